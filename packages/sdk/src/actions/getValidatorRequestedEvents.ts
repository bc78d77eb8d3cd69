import type { Hex } from "viem";
import { getContractEvents } from "viem/actions";
import type { NektarReadClient, WithContracts } from "../client.ts";
import { RpcError } from "../errors/contract.ts";
import { operatorRegistry } from "../internal/contracts.ts";

export type GetValidatorRequestedEventsParameters = WithContracts<"operatorRegistry"> & {
  fromBlock: bigint;
  /** Last block, inclusive. */
  toBlock: bigint;
};

/** A `ValidatorRequested` log: a request drew 16 operators, who now run its DKG. */
export type ValidatorRequestedEvent = {
  requestId: bigint;
  /** The 16 drawn operator ids in cluster order (unpacked from the event's `cluster` word). */
  operatorIds: number[];
  /** Signatures needed to sign for the validator. */
  threshold: bigint;
  /** The pool's withdrawal credentials for the deposit. */
  withdrawalCredentials: Hex;
  /** Bond units locked on each drawn operator. */
  lockUnits: bigint;
  blockNumber: bigint;
  logIndex: number;
  transactionHash: Hex;
};

/** In chain order (block, then log index). */
export type GetValidatorRequestedEventsReturnType = ValidatorRequestedEvent[];

export type GetValidatorRequestedEventsErrorType = RpcError;

/** The `ValidatorRequested` events of a block range (one `eth_getLogs`: keep the range within the RPC's limit). */
export async function getValidatorRequestedEvents(
  client: NektarReadClient,
  p: GetValidatorRequestedEventsParameters,
): Promise<GetValidatorRequestedEventsReturnType> {
  const logs = await getContractEvents(client, {
    ...operatorRegistry(p.contracts),
    eventName: "ValidatorRequested",
    fromBlock: p.fromBlock,
    toBlock: p.toBlock,
    strict: true,
  }).catch((e: unknown) => {
    throw new RpcError("OperatorRegistry ValidatorRequested logs", e);
  });
  return sortByPosition(logs.map(validatorRequestedEvent));
}

/** The event fields of one strict `ValidatorRequested` log (shared with `watchValidatorRequested`). */
export function validatorRequestedEvent(log: {
  args: { requestId: bigint; cluster: bigint; threshold: bigint; withdrawalCredentials: Hex; lockUnits: bigint };
  blockNumber: bigint;
  logIndex: number;
  transactionHash: Hex;
}): ValidatorRequestedEvent {
  const { requestId, cluster, threshold, withdrawalCredentials, lockUnits } = log.args;
  return {
    requestId,
    operatorIds: unpackCluster(cluster),
    threshold,
    withdrawalCredentials,
    lockUnits,
    blockNumber: log.blockNumber,
    logIndex: log.logIndex,
    transactionHash: log.transactionHash,
  };
}

/** The registry packs the 16 operator ids 15 bits each, position 0 lowest (bits 240..255 repeat `lockUnits`). */
export function unpackCluster(cluster: bigint): number[] {
  return Array.from({ length: 16 }, (_, i) => Number((cluster >> BigInt(15 * i)) & 0x7fffn));
}

/** Sorts events into chain order: by block, then by log index. */
export function sortByPosition<T extends { blockNumber: bigint; logIndex: number }>(events: T[]): T[] {
  return events.sort((a, b) =>
    a.blockNumber === b.blockNumber ? a.logIndex - b.logIndex : a.blockNumber < b.blockNumber ? -1 : 1,
  );
}
