import type { routes } from "@lodestar/api";
import type { ApplicationMethods } from "@lodestar/api/server";
import { computeEpochAtSlot } from "@lodestar/state-transition";
import type { ApiContext } from "./context.ts";
import { resolveState } from "./resolve.ts";

/**
 * The `debug` namespace: the full `BeaconState` (`/eth/v2/debug/beacon/states/{state_id}`), which clients such as
 * Stinger read (SSZ) to build Merkle proofs of validator records, exactly as they would from any beacon node.
 */
export function getDebugApi(ctx: ApiContext): Partial<ApplicationMethods<routes.debug.Endpoints>> {
  const { chain } = ctx;
  return {
    async getStateV2({ stateId }) {
      const { state, block } = resolveState(chain, stateId);
      return {
        data: state.serialize(),
        meta: {
          executionOptimistic: false,
          finalized: block.slot === 0 || computeEpochAtSlot(block.slot) < chain.finalizedCheckpoint.epoch,
          version: chain.config.getForkName(state.slot),
        },
      };
    },
  };
}
