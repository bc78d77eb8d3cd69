import { BUILDER_EXTRA_DATA } from "@nektar/beacon-devnet/builder-marker";
import { BeaconApiError } from "./beacon.ts";

/** Slots scanned per call at most (a busy tick must not turn into a long catch-up). */
const MAX_SLOTS_PER_UPDATE = 16;

export type BlockFees = {
  /** Canonical blocks proposed by the tracked (distributed) validators since the devnet started. */
  proposed: number;
  /** Of those, the blocks whose execution payload pays the expected fee recipient (the withdrawal vault). */
  payingVault: number;
  /** Slots of blocks paying another address. */
  foreign: number[];
  /** Of the proposed blocks, those whose payload the devnet's builder built (builder flow); the rest are local. */
  builder: number;
};

type BlockJson = {
  message: {
    slot: string;
    proposer_index: string;
    body: { execution_payload: { fee_recipient: string; extra_data: string } };
  };
};

async function blockAt(baseUrl: string, slot: number): Promise<BlockJson | undefined> {
  const path = `/eth/v2/beacon/blocks/${slot}`;
  let res: Response;
  try {
    res = await fetch(`${baseUrl}${path}`, { signal: AbortSignal.timeout(5_000) });
  } catch (e) {
    throw new BeaconApiError(path, `unreachable (${(e as Error).message})`);
  }
  if (res.status === 404) return undefined; // empty slot
  if (!res.ok) throw new BeaconApiError(path, `HTTP ${res.status}`);
  return ((await res.json()) as { data: BlockJson }).data;
}

/**
 * Follows the canonical blocks slot by slot and counts those the distributed validators proposed, whether they pay
 * the protocol's fee recipient (Stinger refuses any other, so a foreign one means rewards left the protocol) and
 * whether the devnet's builder built their payload (its extra data) or the beacon node's local payload was used.
 */
export function createBlockFeeTracker(baseUrl: string, feeRecipient: string) {
  const expected = feeRecipient.toLowerCase();
  const fees: BlockFees = { proposed: 0, payingVault: 0, foreign: [], builder: 0 };
  const builderMark = `0x${Buffer.from(BUILDER_EXTRA_DATA).toString("hex")}`;
  let next = 1;
  return {
    fees: fees as Readonly<BlockFees>,
    /** Scans the slots up to `headSlot` not scanned yet, counting the blocks of `validators`. */
    async update(headSlot: number, validators: readonly number[]): Promise<void> {
      const tracked = new Set(validators);
      const last = Math.min(headSlot, next + MAX_SLOTS_PER_UPDATE - 1);
      for (; next <= last; next++) {
        const block = await blockAt(baseUrl, next);
        if (block === undefined || !tracked.has(Number(block.message.proposer_index))) continue;
        fees.proposed++;
        const payload = block.message.body.execution_payload;
        if (payload.extra_data.toLowerCase() === builderMark) fees.builder++;
        if (payload.fee_recipient.toLowerCase() === expected) fees.payingVault++;
        else fees.foreign.push(next);
      }
    },
  };
}
