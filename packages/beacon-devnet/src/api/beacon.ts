import type { routes } from "@lodestar/api";
import { ApiError, type ApplicationMethods } from "@lodestar/api/server";
import { SLOTS_PER_EPOCH } from "@lodestar/params";
import { computeEpochAtSlot, computeStartSlotAtEpoch, signedBlindedBlockToFull } from "@lodestar/state-transition";
import type { electra } from "@lodestar/types";
import { ssz } from "@lodestar/types";
import { fromHex, toRootHex } from "@lodestar/utils";
import { blobBundleProblem } from "../blobs/blobs.ts";
import type { BuilderConnection } from "../builder/builderConnection.ts";
import type { StoredBlock } from "../chain/types.ts";
import { DevnetError } from "../errors.ts";
import { PoolError } from "../pool/poolError.ts";
import type { ApiContext } from "./context.ts";
import { resolveBlock, resolveState } from "./resolve.ts";
import { getValidatorStatus, statusMatches } from "./validatorStatus.ts";

type Methods = ApplicationMethods<routes.beacon.Endpoints>;

/** The `beacon` namespace: genesis, states, validators, blocks, block publication and pools. */
export function getBeaconApi(ctx: ApiContext): Partial<Methods> {
  const { chain } = ctx;
  const meta = (blockRootHex: string) => ({
    executionOptimistic: false,
    finalized:
      computeEpochAtSlot(chain.getBlockByRoot(blockRootHex)?.slot ?? 0) < chain.finalizedCheckpoint.epoch ||
      chain.getBlockByRoot(blockRootHex)?.slot === 0,
  });

  const validatorsOf = (
    stateId: string | number,
    ids: (string | number)[] | undefined,
    statuses: string[] | undefined,
  ) => {
    const { state, block } = resolveState(chain, stateId);
    const epoch = computeEpochAtSlot(state.slot);
    const count = state.validators.length;
    const indices =
      ids === undefined || ids.length === 0 ? [...Array(count).keys()] : ids.map((id) => toIndex(state, id));
    const data = [];
    for (const index of indices) {
      if (index === null || index >= count) continue;
      const validator = state.validators.getReadonly(index).toValue();
      const balance = state.balances.get(index);
      const status = getValidatorStatus(validator, balance, epoch);
      if (!statusMatches(status, statuses ?? [])) continue;
      data.push({ index, balance, status, validator });
    }
    return { data, meta: meta(block.rootHex) };
  };

  return {
    async getGenesis() {
      return {
        data: {
          genesisTime: chain.genesisTime,
          genesisValidatorsRoot: chain.config.genesisValidatorsRoot,
          genesisForkVersion: chain.config.GENESIS_FORK_VERSION,
        },
      };
    },
    async getStateRoot({ stateId }) {
      const { state, block } = resolveState(chain, stateId);
      return { data: { root: state.hashTreeRoot() }, meta: meta(block.rootHex) };
    },
    async getStateFork({ stateId }) {
      const { state, block } = resolveState(chain, stateId);
      return { data: state.fork.toValue(), meta: meta(block.rootHex) };
    },
    async getStateFinalityCheckpoints({ stateId }) {
      const { state, block } = resolveState(chain, stateId);
      return {
        data: {
          previousJustified: state.previousJustifiedCheckpoint.toValue(),
          currentJustified: state.currentJustifiedCheckpoint.toValue(),
          finalized: state.finalizedCheckpoint.toValue(),
        },
        meta: meta(block.rootHex),
      };
    },
    async getEpochCommittees({ stateId, epoch, index, slot }) {
      const { state, block } = resolveState(chain, stateId);
      const stateEpoch = computeEpochAtSlot(state.slot);
      const e = epoch ?? (slot === undefined ? stateEpoch : computeEpochAtSlot(slot));
      // The state's shuffling covers its previous, current and next epoch only.
      if (e + 1 < stateEpoch || e > stateEpoch + 1) {
        throw new ApiError(400, `Epoch ${e} is not within one epoch of the state's epoch ${stateEpoch}`);
      }
      if (slot !== undefined && computeEpochAtSlot(slot) !== e) {
        throw new ApiError(400, `Slot ${slot} is not in epoch ${e}`);
      }
      const count = state.epochCtx.getCommitteeCountPerSlot(e);
      if (index !== undefined && index >= count) {
        throw new ApiError(400, `Committee index ${index} out of range: ${count} committee(s) per slot in epoch ${e}`);
      }
      const first = computeStartSlotAtEpoch(e);
      const data = [];
      for (let s = first; s < first + SLOTS_PER_EPOCH; s++) {
        if (slot !== undefined && s !== slot) continue;
        for (let i = 0; i < count; i++) {
          if (index !== undefined && i !== index) continue;
          data.push({ index: i, slot: s, validators: Array.from(state.epochCtx.getBeaconCommittee(s, i)) });
        }
      }
      return { data, meta: meta(block.rootHex) };
    },
    async getStateValidators({ stateId, validatorIds, statuses }) {
      return validatorsOf(stateId, validatorIds, statuses);
    },
    async postStateValidators({ stateId, validatorIds, statuses }) {
      return validatorsOf(stateId, validatorIds, statuses);
    },
    async getStateValidator({ stateId, validatorId }) {
      const { data, meta: m } = validatorsOf(stateId, [validatorId], undefined);
      const first = data[0];
      if (first === undefined) throw new ApiError(404, `Validator ${validatorId} not found`);
      return { data: first, meta: m };
    },
    async getStateValidatorBalances({ stateId, validatorIds }) {
      const { data, meta: m } = validatorsOf(stateId, validatorIds, undefined);
      return { data: data.map(({ index, balance }) => ({ index, balance })), meta: m };
    },
    async postStateValidatorBalances({ stateId, validatorIds }) {
      const { data, meta: m } = validatorsOf(stateId, validatorIds, undefined);
      return { data: data.map(({ index, balance }) => ({ index, balance })), meta: m };
    },
    async getBlockHeader({ blockId }) {
      const block = resolveBlock(chain, blockId);
      return { data: headerResponse(chain.isCanonical(block.rootHex), block), meta: meta(block.rootHex) };
    },
    async getBlockHeaders({ slot, parentRoot }) {
      let blocks =
        slot !== undefined ? [chain.getCanonicalBlockAtSlot(slot)].filter((b) => b !== undefined) : [chain.head];
      if (parentRoot !== undefined) {
        blocks = chain.canonicalBlocks(0, chain.head.slot).filter((b) => b.parentRootHex === parentRoot.toLowerCase());
      }
      return {
        data: blocks.map((b) => headerResponse(chain.isCanonical(b.rootHex), b)),
        meta: { executionOptimistic: false, finalized: false },
      };
    },
    async getBlockV2({ blockId }) {
      const block = resolveBlock(chain, blockId);
      return {
        data: block.signedBlock,
        meta: { ...meta(block.rootHex), version: chain.config.getForkName(block.slot) },
      };
    },
    async getBlockRoot({ blockId }) {
      const block = resolveBlock(chain, blockId);
      return { data: { root: block.root }, meta: meta(block.rootHex) };
    },
    async getBlockAttestationsV2({ blockId }) {
      const block = resolveBlock(chain, blockId);
      return {
        data: block.signedBlock.message.body.attestations,
        meta: { ...meta(block.rootHex), version: chain.config.getForkName(block.slot) },
      };
    },
    async publishBlockV2({ signedBlockContents }) {
      const contents = signedBlockContents as electra.SignedBlockContents;
      const commitments = contents.signedBlock.message.body.blobKzgCommitments;
      const bundle = { commitments, blobs: contents.blobs ?? [], proofs: contents.kzgProofs ?? [] };
      const problem = blobBundleProblem(bundle);
      if (problem !== null) throw new ApiError(400, `Block contents rejected: ${problem}`);
      const stored = publishBlock(ctx, contents.signedBlock);
      if (commitments.length > 0) ctx.blobs.put(stored.rootHex, stored.slot, bundle);
    },
    async publishBlindedBlockV2({ signedBlindedBlock }) {
      await publishBlinded(ctx, signedBlindedBlock as electra.SignedBlindedBeaconBlock);
    },
    async submitPoolAttestationsV2({ signedAttestations }) {
      collectFailures("attestations", signedAttestations, (att) =>
        ctx.attestationPool.addSingleAttestation(att as electra.SingleAttestation),
      );
    },
    async submitPoolSyncCommitteeSignatures({ signatures }) {
      collectFailures("sync committee messages", signatures, (msg) => ctx.syncCommitteePool.addMessage(msg));
    },
    async submitPoolVoluntaryExit({ signedVoluntaryExit }) {
      try {
        ctx.voluntaryExitPool.add(signedVoluntaryExit, chain.headState);
      } catch (e) {
        if (e instanceof PoolError) throw new ApiError(400, e.message);
        throw e;
      }
    },
  };
}

/** Import a block a validator client publishes; only blocks for the current slot are accepted (slot deadline). */
export function publishBlock(ctx: ApiContext, signedBlock: electra.SignedBeaconBlock): StoredBlock {
  const currentSlot = ctx.clock.currentSlot();
  const slot = signedBlock.message.slot;
  if (slot !== currentSlot) {
    throw new ApiError(
      400,
      `Block for slot ${slot} rejected: the current slot is ${currentSlot} (publish within the block's slot)`,
    );
  }
  try {
    return ctx.chain.importBlock(signedBlock);
  } catch (e) {
    if (e instanceof DevnetError) throw new ApiError(400, e.message);
    throw e;
  }
}

/**
 * Import a signed blinded block: the builder reveals the payload (checked against the signed header), the full block
 * is the blinded one with the payload in place of its header (same root, same signature) and is imported as any
 * published block. A block the chain already holds (another operator of the cluster published it) is done.
 */
async function publishBlinded(ctx: ApiContext, signed: electra.SignedBlindedBeaconBlock): Promise<void> {
  const root = toRootHex(ssz.electra.BlindedBeaconBlock.hashTreeRoot(signed.message));
  if (ctx.chain.getBlockByRoot(root) !== undefined) return;
  const slot = signed.message.slot;
  if (slot !== ctx.clock.currentSlot()) {
    throw new ApiError(400, `Blinded block for slot ${slot} rejected: the current slot is ${ctx.clock.currentSlot()}`);
  }
  if (ctx.builder == null) throw new ApiError(400, "This beacon node has no builder: publish full blocks");
  let contents: Awaited<ReturnType<BuilderConnection["unblind"]>>;
  try {
    contents = await ctx.builder.unblind(signed);
  } catch (e) {
    throw new ApiError(502, `Blinded block for slot ${slot} could not be unblinded: ${(e as Error).message}`);
  }
  // A builder block with blobs is imported only with the builder's blobs, their KZG proofs verified (as a full one).
  const problem = blobBundleProblem(contents.blobs);
  if (problem !== null) throw new ApiError(502, `Blinded block for slot ${slot}: the builder's blobs: ${problem}`);
  const full = signedBlindedBlockToFull(ctx.chain.config.getForkName(slot), signed, contents.payload);
  const stored = publishBlock(ctx, full as electra.SignedBeaconBlock);
  if (contents.blobs.commitments.length > 0) ctx.blobs.put(stored.rootHex, stored.slot, contents.blobs);
}

function collectFailures<T>(kind: string, items: T[], add: (item: T) => void): void {
  const failures: string[] = [];
  for (const [index, item] of items.entries()) {
    try {
      add(item);
    } catch (e) {
      if (!(e instanceof PoolError)) throw e;
      failures.push(`#${index}: ${e.type.reason}`);
    }
  }
  if (failures.length > 0) {
    throw new ApiError(400, `Some ${kind} failed validation: ${failures.join("; ")}`);
  }
}

function headerResponse(canonical: boolean, block: { root: Uint8Array; signedBlock: electra.SignedBeaconBlock }) {
  const { message, signature } = block.signedBlock;
  return {
    root: block.root,
    canonical,
    header: {
      message: {
        slot: message.slot,
        proposerIndex: message.proposerIndex,
        parentRoot: message.parentRoot,
        stateRoot: message.stateRoot,
        bodyRoot: ssz.electra.BeaconBlockBody.hashTreeRoot(message.body),
      },
      signature,
    },
  };
}

function toIndex(
  state: { epochCtx: { getValidatorIndex(pk: Uint8Array): number | null } },
  id: string | number,
): number | null {
  if (typeof id === "number") return Number.isInteger(id) && id >= 0 ? id : null;
  if (/^\d{1,15}$/.test(id)) return Number(id);
  if (/^0x[0-9a-fA-F]{96}$/.test(id)) return state.epochCtx.getValidatorIndex(fromHex(id));
  throw new ApiError(400, `Invalid validator id '${id}': use an index or a 0x-prefixed 48-byte public key`);
}
