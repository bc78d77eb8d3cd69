import type { Address } from "viem";
import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import type { InsufficientBalanceError } from "../errors/input.ts";
import type { UnknownRestakingOperatorError } from "../errors/restaking.ts";
import { requireBalance } from "../internal/balance.ts";
import {
  RESTAKING_VAULT,
  restakingVault,
  STAKING_POOL,
  stakingPool,
  transactionResult,
} from "../internal/contracts.ts";
import { read } from "../internal/read.ts";
import { requireRestakingOperator } from "../internal/restaking.ts";
import { eventArgs, type SendErrorType, send } from "../internal/send.ts";

export type UndelegateRestakeParameters = WithContracts<"stakingPool" | "restakingVault"> & {
  operator: Address;
  /** divETH (in wei of ether) to undelegate; `all` takes the whole active position. */
  amount: bigint | "all";
};

export type UndelegateRestakeReturnType = TransactionResult & {
  /** divETH shares moved to the withdrawal queue. */
  shares: bigint;
  /** Epoch from which `claimRestakeWithdrawal` pays them (they stay slashable until then). */
  claimEpoch: bigint;
};

export type UndelegateRestakeErrorType = UnknownRestakingOperatorError | InsufficientBalanceError | SendErrorType;

/** Moves part (or all) of the caller's active stake with `operator` to the epoch withdrawal queue. */
export async function undelegateRestake(
  client: NektarWriteClient,
  p: UndelegateRestakeParameters,
): Promise<UndelegateRestakeReturnType> {
  await requireRestakingOperator(client, p);
  const vault = restakingVault(p.contracts);
  const [active] = await read(client, RESTAKING_VAULT, {
    ...vault,
    functionName: "positionOf",
    args: [client.account.address, p.operator],
  });
  const shares =
    p.amount === "all"
      ? active
      : await read(client, STAKING_POOL, {
          ...stakingPool(p.contracts),
          functionName: "getSharesByPooledEth",
          args: [p.amount],
        });
  requireBalance(client.account.address, "active restaked divETH shares", active, shares === 0n ? 1n : shares);
  const sent = await send(client, RESTAKING_VAULT, {
    ...vault,
    functionName: "undelegate",
    args: [p.operator, shares],
  });
  const event = eventArgs(vault.abi, sent.receipt.logs, "Undelegated");
  return { ...transactionResult(sent), shares: event.shares, claimEpoch: event.claimEpoch };
}
