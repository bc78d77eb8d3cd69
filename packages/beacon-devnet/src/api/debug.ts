import type { ApiContext } from "./context.ts";
import { resolveState } from "./resolve.ts";

/**
 * The debug namespace's `getStateV2` (`GET /eth/v2/debug/beacon/states/{state_id}`, JSON or SSZ by `Accept`): the
 * whole beacon state, from which Stinger and the SDK build accounting reports and their proofs. Any client that
 * serves this route works the same.
 */
export function getDebugApi(ctx: ApiContext) {
  const { chain } = ctx;
  return {
    async getStateV2({ stateId }: { stateId: string | number }) {
      const { state } = resolveState(chain, stateId);
      return {
        data: state.toValue(),
        meta: { version: chain.config.getForkName(state.slot), executionOptimistic: false, finalized: false },
      };
    },
  };
}
