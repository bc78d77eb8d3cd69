import { computeEpochAtSlot, computeStartSlotAtEpoch } from "@lodestar/state-transition";
import type { phase0 } from "@lodestar/types";
import type { BeaconChain } from "./chain.ts";

/**
 * The AttestationData an honest validator signs at `slot`: head block, justified checkpoint of the head state
 * advanced to `slot`'s epoch, and the epoch-boundary block as target. `index` is 0 (Electra).
 */
export function produceAttestationData(chain: BeaconChain, slot: number): phase0.AttestationData {
  const head = chain.head.slot <= slot ? chain.head : chain.getCanonicalBlockAtOrBefore(slot);
  const epoch = computeEpochAtSlot(slot);
  const state = chain.getHeadStateAtEpoch(epoch);
  const startSlot = computeStartSlotAtEpoch(epoch);
  const target = head.slot <= startSlot ? head : chain.getCanonicalBlockAtOrBefore(startSlot);
  return {
    slot,
    index: 0,
    beaconBlockRoot: head.root,
    source: state.currentJustifiedCheckpoint.toValue(),
    target: { epoch, root: target.root },
  };
}
