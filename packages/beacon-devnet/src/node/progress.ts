import { TIMELY_TARGET_FLAG_INDEX } from "@lodestar/params";
import type { CachedBeaconStateAllForks, CachedBeaconStateElectra } from "@lodestar/state-transition";
import { computeEpochAtSlot, isActiveValidator } from "@lodestar/state-transition";
import { toRootHex } from "@lodestar/utils";

/** One line of devnet progress. */
export type Progress = {
  slot: number;
  headSlot: number;
  headRoot: string;
  justifiedEpoch: number;
  finalizedEpoch: number;
  /** Share of active balance that attested to the right target in the previous epoch, 0..100. */
  participationPercent: number;
  pendingDeposits: number;
  activeValidators: number;
};

const TIMELY_TARGET = 1 << TIMELY_TARGET_FLAG_INDEX;

export function computeProgress(slot: number, headRoot: Uint8Array, state: CachedBeaconStateAllForks): Progress {
  const epoch = computeEpochAtSlot(state.slot);
  const validators = state.validators.getAllReadonlyValues();
  const participation = (state as CachedBeaconStateElectra).previousEpochParticipation.getAll();
  let active = 0;
  let activeBalance = 0;
  let targetBalance = 0;
  for (const [i, v] of validators.entries()) {
    if (isActiveValidator(v, epoch)) active++;
    if (epoch > 0 && isActiveValidator(v, epoch - 1) && !v.slashed) {
      activeBalance += v.effectiveBalance;
      if (((participation[i] ?? 0) & TIMELY_TARGET) !== 0) targetBalance += v.effectiveBalance;
    }
  }
  return {
    slot,
    headSlot: state.slot,
    headRoot: toRootHex(headRoot),
    justifiedEpoch: state.currentJustifiedCheckpoint.epoch,
    finalizedEpoch: state.finalizedCheckpoint.epoch,
    participationPercent: activeBalance === 0 ? 0 : Math.round((1000 * targetBalance) / activeBalance) / 10,
    pendingDeposits: (state as CachedBeaconStateElectra).pendingDeposits.length,
    activeValidators: active,
  };
}

export function formatProgress(p: Progress): string {
  return (
    `slot ${p.slot} head ${p.headSlot} ${p.headRoot.slice(0, 10)} justified ${p.justifiedEpoch} finalized ${p.finalizedEpoch} ` +
    `participation ${p.participationPercent}% pending-deposits ${p.pendingDeposits} active ${p.activeValidators}`
  );
}
