import type { PipelineDeps } from "./interfaces.ts";

/** Slots kept in memory behind the current one (late partials still combine within this window). */
export const KEEP_SLOTS = 2;
/** Slots the tracker keeps beyond the others: outcomes are judged up to an epoch and more after the duty. */
const TRACKER_EXTRA_SLOTS = 64;

/**
 * What the pipeline's steps keep per slot, dropped when a batch of a newer slot starts: every step's state before
 * `slot - KEEP_SLOTS`, the tracker's {@link TRACKER_EXTRA_SLOTS} later. Returns the new floor, or `lastFloor` when
 * nothing was due.
 */
export function pruneBehind(deps: PipelineDeps, slot: number, lastFloor: number): number {
  const floor = slot - KEEP_SLOTS;
  if (floor <= lastFloor) return lastFloor;
  const { dutyDb, parSigDb, agreement, broadcaster, aggSigDb, validity, tracker } = deps;
  for (const step of [dutyDb, parSigDb, agreement, broadcaster, aggSigDb, validity]) step.prune(floor);
  tracker.prune(floor - TRACKER_EXTRA_SLOTS);
  return floor;
}
