import type { routes } from "@lodestar/api";
import { ApiError, type ApplicationMethods } from "@lodestar/api/server";
import { ForkSeq } from "@lodestar/params";
import {
  type CachedBeaconStateAllForks,
  computeAttestationsRewards,
  computeBlockRewards,
  computeEpochAtSlot,
  computeStartSlotAtEpoch,
  computeSyncCommitteeRewards,
  processSlots,
} from "@lodestar/state-transition";
import type { BeaconChain } from "../chain/chain.ts";
import type { StoredBlock } from "../chain/types.ts";
import type { ApiContext } from "./context.ts";
import { resolveBlock, resolveState } from "./resolve.ts";

type Methods = ApplicationMethods<routes.beacon.rewards.Endpoints>;

/**
 * The standard rewards endpoints (`/eth/v1/beacon/rewards/…`), computed as Lodestar's beacon node computes them, with
 * `@lodestar/state-transition`'s reward helpers on the devnet's states:
 * - attestations of epoch e: the participation flags recorded in the state at the last slot of epoch e + 1 (every
 *   attestation of epoch e that can still count has been included by then), as `process_rewards_and_penalties` will
 *   apply them at the next epoch transition; `ideal_rewards` are a perfect validator's per effective balance;
 * - a block: the proposer's reward for the attestations, sync aggregate and slashings it includes, replayed on the
 *   block's pre-state (its parent's post-state advanced to its slot);
 * - sync committee of a block: each member's reward (or penalty, if its bit is missing) for the block's sync aggregate.
 */
export function getRewardsApi(ctx: ApiContext): Partial<Methods> {
  const { chain } = ctx;
  const meta = (slot: number) => ({
    executionOptimistic: false,
    finalized: slot === 0 || computeEpochAtSlot(slot) < chain.finalizedCheckpoint.epoch,
  });
  return {
    async getAttestationsRewards({ epoch, validatorIds }) {
      if (!Number.isSafeInteger(epoch) || epoch < 0) throw new ApiError(400, `Invalid epoch ${epoch}`);
      if (chain.config.getForkSeq(computeStartSlotAtEpoch(epoch)) < ForkSeq.altair) {
        throw new ApiError(400, `Attestation rewards of epoch ${epoch} (before Altair) are not available`);
      }
      const endSlot = computeStartSlotAtEpoch(epoch + 2) - 1;
      if (endSlot > chain.head.slot) {
        throw new ApiError(
          404,
          `Attestation rewards of epoch ${epoch} are known once the chain reaches slot ${endSlot} (head is at ${chain.head.slot})`,
        );
      }
      const { state } = resolveState(chain, endSlot);
      const data = await computeAttestationsRewards(chain.config, state.epochCtx.pubkeyCache, state, validatorIds);
      return { data, meta: meta(endSlot) };
    },
    async getBlockRewards({ blockId }) {
      const block = resolveBlock(chain, blockId);
      const preState = preStateOf(chain, block);
      const data = await computeBlockRewards(chain.config, block.signedBlock.message, preState);
      return { data, meta: meta(block.slot) };
    },
    async getSyncCommitteeRewards({ blockId, validatorIds }) {
      const block = resolveBlock(chain, blockId);
      const preState = preStateOf(chain, block);
      const data = await computeSyncCommitteeRewards(
        chain.config,
        preState.epochCtx.pubkeyCache,
        block.signedBlock.message,
        preState,
        validatorIds,
      );
      return { data, meta: meta(block.slot) };
    },
  };
}

/** The state a block was applied to: its parent's post-state advanced through the empty slots to the block's slot. */
function preStateOf(chain: BeaconChain, block: StoredBlock): CachedBeaconStateAllForks {
  if (block.slot === 0) throw new ApiError(400, "The genesis block has no rewards");
  const parent = chain.getStateByBlockRoot(block.parentRootHex);
  return parent.slot < block.slot ? processSlots(parent, block.slot, { dontTransferCache: true }) : parent;
}
