import { bytesToHex, type Hex } from "viem";

/** EIP-4788 beacon roots contract. */
export const BEACON_ROOTS_ADDRESS = "0x000F3df6D732807Ef1319fB7B8bB8522d0Beac02" as const;
/** EIP-4788 HISTORY_BUFFER_LENGTH. */
export const HISTORY_BUFFER_LENGTH = 8191n;

/**
 * The two storage writes the EIP-4788 system call makes for an execution block with `timestamp` whose parent
 * beacon block root is `root`: slot `timestamp % 8191` holds the timestamp, slot `+ 8191` holds the root.
 */
export function beaconRootStorageWrites(timestamp: bigint, root: Uint8Array): { slot: Hex; value: Hex }[] {
  const timestampIndex = timestamp % HISTORY_BUFFER_LENGTH;
  return [
    { slot: word(timestampIndex), value: word(timestamp) },
    { slot: word(timestampIndex + HISTORY_BUFFER_LENGTH), value: bytesToHex(root) },
  ];
}

function word(n: bigint): Hex {
  return `0x${n.toString(16).padStart(64, "0")}`;
}
