import type { Hex } from "viem";
import { getContractEvents } from "viem/actions";
import type { NektarReadClient, WithContracts } from "../client.ts";
import { RpcError } from "../errors/contract.ts";
import { exitManager } from "../internal/contracts.ts";
import { EXIT_REASONS, type ExitReason } from "./getValidatorExit.ts";
import { sortByPosition } from "./getValidatorRequestedEvents.ts";

export type GetValidatorExitRequestedEventsParameters = WithContracts<"withdrawalVault"> & {
  fromBlock: bigint;
  /** Last block, inclusive. */
  toBlock: bigint;
};

/** A `ValidatorExitRequested` log of the exit manager: a validator was asked to exit. */
export type ValidatorExitRequestedEvent = {
  validatorId: bigint;
  pubkey: Hex;
  reason: ExitReason;
  /** From this time anyone may send the EIP-7002 request (Unix seconds). */
  withdrawalRequestAfter: bigint;
  blockNumber: bigint;
  logIndex: number;
  transactionHash: Hex;
};

/** In chain order (block, then log index). */
export type GetValidatorExitRequestedEventsReturnType = ValidatorExitRequestedEvent[];

export type GetValidatorExitRequestedEventsErrorType = RpcError;

/** The `ValidatorExitRequested` events of a block range (one `eth_getLogs`: keep the range within the RPC's limit). */
export async function getValidatorExitRequestedEvents(
  client: NektarReadClient,
  p: GetValidatorExitRequestedEventsParameters,
): Promise<GetValidatorExitRequestedEventsReturnType> {
  const manager = await exitManager(client, p.contracts);
  const logs = await getContractEvents(client, {
    ...manager,
    eventName: "ValidatorExitRequested",
    fromBlock: p.fromBlock,
    toBlock: p.toBlock,
    strict: true,
  }).catch((e: unknown) => {
    throw new RpcError("ExitManager ValidatorExitRequested logs", e);
  });
  return sortByPosition(
    logs.map((l) => ({
      validatorId: l.args.validatorId,
      pubkey: l.args.pubkey,
      reason: EXIT_REASONS[l.args.reason] ?? "none",
      withdrawalRequestAfter: l.args.withdrawalRequestAfter,
      blockNumber: l.blockNumber,
      logIndex: l.logIndex,
      transactionHash: l.transactionHash,
    })),
  );
}
