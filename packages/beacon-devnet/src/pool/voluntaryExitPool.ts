import { MAX_VOLUNTARY_EXITS } from "@lodestar/params";
import {
  type CachedBeaconStateAllForks,
  getVoluntaryExitValidity,
  VoluntaryExitValidity,
} from "@lodestar/state-transition";
import type { phase0 } from "@lodestar/types";
import { PoolError } from "./poolError.ts";

/** Signed voluntary exits waiting for inclusion, verified against the head state on submission. */
export class VoluntaryExitPool {
  private readonly exits = new Map<number, phase0.SignedVoluntaryExit>();

  add(exit: phase0.SignedVoluntaryExit, headState: CachedBeaconStateAllForks): void {
    const fork = headState.config.getForkSeq(headState.slot);
    const validity = getVoluntaryExitValidity(fork, headState, exit, true);
    if (validity !== VoluntaryExitValidity.valid) {
      throw new PoolError("voluntary exit", `rejected by the state transition: ${validity}`);
    }
    this.exits.set(exit.message.validatorIndex, exit);
  }

  getForBlock(state: CachedBeaconStateAllForks): phase0.SignedVoluntaryExit[] {
    const fork = state.config.getForkSeq(state.slot);
    const out: phase0.SignedVoluntaryExit[] = [];
    for (const [index, exit] of this.exits) {
      // Signatures were verified on submission; re-check only the state conditions (it may have exited since).
      if (getVoluntaryExitValidity(fork, state, exit, false) !== VoluntaryExitValidity.valid) {
        this.exits.delete(index);
        continue;
      }
      out.push(exit);
      if (out.length >= MAX_VOLUNTARY_EXITS) break;
    }
    return out;
  }
}
