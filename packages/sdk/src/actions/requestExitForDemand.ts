import type { Hex } from "viem";
import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { ExitConditionError } from "../errors/exits.ts";
import { exitManagerAbi } from "../generated/abis.ts";
import { EXIT_MANAGER, exitManager, transactionResult } from "../internal/contracts.ts";
import { read } from "../internal/read.ts";
import { eventArgs, type SendErrorType, send } from "../internal/send.ts";

export type RequestExitForDemandParameters = WithContracts<"withdrawalVault"> & {
  /** The validator to exit; default: the next in line (oldest exit-eligible), found on-chain. */
  validatorId?: bigint | undefined;
  /** Validator ids inspected when looking for the next in line (default 256). */
  maxScan?: bigint | undefined;
};

export type RequestExitForDemandReturnType = TransactionResult & {
  validatorId: bigint;
  pubkey: Hex;
  /** From this time anyone may send the EIP-7002 request if the cluster has not exited the validator. */
  withdrawalRequestAfter: bigint;
};

/**
 * `ExitConditionError` when no validator is in line within `maxScan`; `ContractRevertedError` `DemandCovered` when
 * the buffer, the vault and exits in flight cover the withdrawal demand, `NotNextInLine` for a younger validator.
 */
export type RequestExitForDemandErrorType = SendErrorType | ExitConditionError;

/**
 * Asks the oldest exit-eligible validator to exit because the withdrawal queue owes more than the buffer, the vault and
 * exits in flight will provide. Anyone may call; the cluster then publishes a voluntary exit.
 */
export async function requestExitForDemand(
  client: NektarWriteClient,
  p: RequestExitForDemandParameters,
): Promise<RequestExitForDemandReturnType> {
  const manager = await exitManager(client, p.contracts);
  const validatorId =
    p.validatorId ??
    (await read(client, EXIT_MANAGER, { ...manager, functionName: "nextDemandExit", args: [p.maxScan ?? 256n] }));
  if (validatorId === 0n) {
    throw new ExitConditionError("no deposited validator is in line to exit (none found within the scan)");
  }
  const sent = await send(client, EXIT_MANAGER, {
    ...manager,
    functionName: "requestExitForDemand",
    args: [validatorId],
  });
  const e = eventArgs(exitManagerAbi, sent.receipt.logs, "ValidatorExitRequested");
  return {
    ...transactionResult(sent),
    validatorId,
    pubkey: e.pubkey,
    withdrawalRequestAfter: e.withdrawalRequestAfter,
  };
}
