import type { Hex } from "viem";
import { getContractEvents } from "viem/actions";
import type { NektarReadClient, WithContracts } from "../client.ts";
import { RpcError } from "../errors/contract.ts";
import { stakingPool } from "../internal/contracts.ts";
import { sortByPosition } from "./getValidatorRequestedEvents.ts";

export type GetWithdrawalsFinalizedEventsParameters = WithContracts<"stakingPool"> & {
  fromBlock: bigint;
  /** Last block, inclusive. */
  toBlock: bigint;
};

/** A `WithdrawalsFinalized` log: requests up to `lastRequestId` became claimable (anyone may finalize). */
export type WithdrawalsFinalizedEvent = {
  lastRequestId: bigint;
  /** Ether moved to the withdrawal queue for the claims, wei. */
  etherLocked: bigint;
  /** divETH shares of the finalized requests burnt. */
  sharesBurnt: bigint;
  blockNumber: bigint;
  logIndex: number;
  transactionHash: Hex;
};

/** In chain order (block, then log index). */
export type GetWithdrawalsFinalizedEventsReturnType = WithdrawalsFinalizedEvent[];

export type GetWithdrawalsFinalizedEventsErrorType = RpcError;

/** The `WithdrawalsFinalized` events of a block range (one `eth_getLogs`: keep the range within the RPC's limit). */
export async function getWithdrawalsFinalizedEvents(
  client: NektarReadClient,
  p: GetWithdrawalsFinalizedEventsParameters,
): Promise<GetWithdrawalsFinalizedEventsReturnType> {
  const logs = await getContractEvents(client, {
    ...stakingPool(p.contracts),
    eventName: "WithdrawalsFinalized",
    fromBlock: p.fromBlock,
    toBlock: p.toBlock,
    strict: true,
  }).catch((e: unknown) => {
    throw new RpcError("StakingPool WithdrawalsFinalized logs", e);
  });
  return sortByPosition(
    logs.map((l) => ({
      ...l.args,
      blockNumber: l.blockNumber,
      logIndex: l.logIndex,
      transactionHash: l.transactionHash,
    })),
  );
}
