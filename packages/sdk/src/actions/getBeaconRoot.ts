import { type Hex, numberToHex } from "viem";
import { call } from "viem/actions";
import type { NektarReadClient } from "../client.ts";

/** EIP-4788 beacon roots contract (the same address on every network). */
export const BEACON_ROOTS_ADDRESS = "0x000F3df6D732807Ef1319fB7B8bB8522d0Beac02" as const;

export type GetBeaconRootParameters = {
  /** Execution-block timestamp whose parent beacon block root is asked for. */
  timestamp: bigint;
};

/** The parent beacon block root stored for that timestamp, or `undefined` if the ring buffer holds none. */
export type GetBeaconRootReturnType = Hex | undefined;

export type GetBeaconRootErrorType = Error;

/**
 * Reads the EIP-4788 contract as the oracle does when a report names `timestamp` as its anchor: the root of the
 * beacon block whose child the execution block at `timestamp` belongs to (its post-state is what a report commits
 * to). `undefined` when no block has that timestamp or the entry left the 8191-entry ring buffer.
 */
export async function getBeaconRoot(
  client: NektarReadClient,
  p: GetBeaconRootParameters,
): Promise<GetBeaconRootReturnType> {
  try {
    const { data } = await call(client, { to: BEACON_ROOTS_ADDRESS, data: numberToHex(p.timestamp, { size: 32 }) });
    if (data === undefined || data.length !== 66 || /^0x0+$/.test(data)) return undefined;
    return data;
  } catch (e) {
    // The contract reverts (empty data) for a timestamp it has no root for.
    const message = (e as Error).message ?? "";
    if (/revert/i.test(message)) return undefined;
    throw e;
  }
}
