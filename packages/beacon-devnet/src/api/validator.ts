import type { routes } from "@lodestar/api";
import { ApiError, type ApplicationMethods } from "@lodestar/api/server";
import { SLOTS_PER_EPOCH } from "@lodestar/params";
import { computeEpochAtSlot } from "@lodestar/state-transition";
import type { electra } from "@lodestar/types";
import { ProducedBlockSource } from "@lodestar/types";
import { fromHex, toRootHex } from "@lodestar/utils";
import { blobsOncePerSlot } from "../blobs/blobs.ts";
import { acceptRegistrations } from "../builder/registrations.ts";
import { produceAttestationData } from "../chain/attestationData.ts";
import type { ProduceBlockArgs } from "../chain/chain.ts";
import { DevnetError } from "../errors.ts";
import { PoolError } from "../pool/poolError.ts";
import type { ApiContext } from "./context.ts";

type Methods = ApplicationMethods<routes.validator.Endpoints>;

/** The `validator` namespace: duties, attestation data, aggregation, sync committee, block production. */
export function getValidatorApi(ctx: ApiContext): Partial<Methods> {
  const { chain, clock } = ctx;

  const checkEpoch = (epoch: number, maxAhead: number) => {
    const current = computeEpochAtSlot(clock.currentSlot());
    if (!Number.isInteger(epoch) || epoch < 0) throw new ApiError(400, `Invalid epoch ${epoch}`);
    if (epoch > current + maxAhead) {
      throw new ApiError(400, `Epoch ${epoch} is too far ahead: duties are known up to epoch ${current + maxAhead}`);
    }
  };

  const pubkeyOf = (index: number) => {
    const state = chain.headState;
    if (index >= state.validators.length) throw new ApiError(400, `Unknown validator index ${index}`);
    return state.validators.getReadonly(index).pubkey;
  };

  // Blobs are a function of the slot: computed once per slot however many validator clients ask.
  const producedBlobs = blobsOncePerSlot(ctx.blobsPerBlock);

  return {
    async getAttesterDuties({ epoch, indices }) {
      checkEpoch(epoch, 1);
      const state = chain.getHeadStateAtEpoch(Math.max(0, epoch - 1));
      if (epoch < computeEpochAtSlot(state.slot) - 1) throw new ApiError(400, `Epoch ${epoch} is too old for duties`);
      const duties = state.epochCtx.getCommitteeAssignments(epoch, indices.map(Number));
      return {
        data: [...duties.values()].map((duty) => ({ ...duty, pubkey: pubkeyOf(duty.validatorIndex) })),
        meta: { executionOptimistic: false, dependentRoot: chain.dependentRoot(epoch - 1) },
      };
    },
    async getProposerDuties({ epoch }) {
      checkEpoch(epoch, 1);
      const state = chain.getHeadStateAtEpoch(epoch);
      if (computeEpochAtSlot(state.slot) !== epoch) throw new ApiError(400, `Epoch ${epoch} is in the past`);
      const start = epoch * SLOTS_PER_EPOCH;
      return {
        data: state.epochCtx.getBeaconProposers().map((validatorIndex, i) => ({
          slot: start + i,
          validatorIndex,
          pubkey: pubkeyOf(validatorIndex),
        })),
        meta: { executionOptimistic: false, dependentRoot: chain.dependentRoot(epoch) },
      };
    },
    async getSyncCommitteeDuties({ epoch, indices }) {
      checkEpoch(epoch, 1);
      const state = chain.getHeadStateAtEpoch(Math.max(0, epoch - 1));
      let committee: ReturnType<typeof state.epochCtx.getIndexedSyncCommitteeAtEpoch>;
      try {
        committee = state.epochCtx.getIndexedSyncCommitteeAtEpoch(epoch);
      } catch (e) {
        throw new ApiError(400, `Sync committee of epoch ${epoch} unknown: ${(e as Error).message}`);
      }
      const data = [];
      for (const index of indices.map(Number)) {
        const positions = committee.validatorIndexMap.get(index);
        if (positions !== undefined) {
          data.push({ pubkey: pubkeyOf(index), validatorIndex: index, validatorSyncCommitteeIndices: positions });
        }
      }
      return { data, meta: { executionOptimistic: false } };
    },
    async produceAttestationData({ slot }) {
      const current = clock.currentSlot();
      if (slot > current) throw new ApiError(400, `Slot ${slot} is in the future (current ${current})`);
      if (slot + SLOTS_PER_EPOCH < current) throw new ApiError(400, `Slot ${slot} is too old`);
      return { data: produceAttestationData(chain, slot) };
    },
    async getAggregatedAttestationV2({ attestationDataRoot, slot, committeeIndex }) {
      if (attestationDataRoot.length !== 32) throw new ApiError(400, "attestation_data_root must be 32 bytes");
      const aggregate = ctx.attestationPool.getAggregate(toRootHex(attestationDataRoot), slot, committeeIndex);
      if (aggregate === null)
        throw new ApiError(404, "No aggregated attestation for this data root, slot and committee");
      return { data: aggregate, meta: { version: chain.config.getForkName(slot) } };
    },
    async publishAggregateAndProofsV2({ signedAggregateAndProofs }) {
      poolSubmit("aggregates", signedAggregateAndProofs, (a) =>
        ctx.attestationPool.addAggregateAndProof(a as electra.SignedAggregateAndProof),
      );
    },
    async produceSyncCommitteeContribution({ slot, subcommitteeIndex, beaconBlockRoot }) {
      if (beaconBlockRoot.length !== 32) throw new ApiError(400, "beacon_block_root must be 32 bytes");
      const contribution = ctx.syncCommitteePool.getContribution(slot, subcommitteeIndex, beaconBlockRoot);
      if (contribution === null)
        throw new ApiError(404, "No sync committee messages for this slot, subcommittee and root");
      return { data: contribution };
    },
    async publishContributionAndProofs({ contributionAndProofs }) {
      poolSubmit("contributions", contributionAndProofs, (c) => ctx.syncCommitteePool.addContributionAndProof(c));
    },
    async prepareBeaconCommitteeSubnet() {},
    async prepareSyncCommitteeSubnets() {},
    async prepareBeaconProposer({ proposers }) {
      const parsed = proposers.map((p) => ({ index: p.validatorIndex, address: parseAddress(p.feeRecipient) }));
      for (const p of parsed) chain.prepareProposer(p.index, p.address);
    },
    async registerValidator({ registrations }) {
      const book = ctx.registrations;
      if (book === undefined) return;
      const failures = acceptRegistrations(chain.config, book, registrations, Math.floor(Date.now() / 1000));
      const valid = registrations.filter((r) => book.get(r.message.pubkey) === r.message);
      if (ctx.builder != null && valid.length > 0) await ctx.builder.registerValidators(valid);
      if (failures.length > 0) throw new ApiError(400, `Some registrations failed validation: ${failures.join("; ")}`);
    },
    async produceBlockV3({ slot, randaoReveal, graffiti, feeRecipient, builderBoostFactor }) {
      if (randaoReveal.length !== 96) throw new ApiError(400, "randao_reveal must be 96 bytes");
      const current = clock.currentSlot();
      if (slot < current || slot > current + 1) {
        throw new ApiError(400, `Cannot produce a block for slot ${slot} at slot ${current}`);
      }
      const args = {
        slot,
        randaoReveal,
        ...(graffiti !== undefined ? { graffiti: toGraffiti(graffiti) } : {}),
        ...(feeRecipient !== undefined ? { feeRecipient: parseAddress(feeRecipient) } : {}),
      };
      const localValue = ctx.localBlockValueWei ?? 0n;
      // builder-specs: an absent builder_boost_factor means 100; 0 means local payloads only.
      const builderBlock = await tryBuilderBlock(ctx, args, builderBoostFactor ?? 100n, localValue);
      if (builderBlock !== null) {
        return {
          data: builderBlock.block,
          meta: {
            version: chain.config.getForkName(slot),
            executionPayloadBlinded: true,
            executionPayloadSource: ProducedBlockSource.builder,
            executionPayloadValue: builderBlock.value,
            consensusBlockValue: 0n,
          },
        } as never;
      }
      const blobs = producedBlobs(slot);
      let block: electra.BeaconBlock;
      try {
        block = chain.produceBlock({ ...args, blobKzgCommitments: blobs.commitments });
      } catch (e) {
        if (e instanceof DevnetError) throw new ApiError(400, e.message);
        throw e;
      }
      return {
        data: { block, kzgProofs: blobs.proofs, blobs: blobs.blobs },
        meta: {
          version: chain.config.getForkName(slot),
          executionPayloadBlinded: false,
          executionPayloadSource: ProducedBlockSource.engine,
          executionPayloadValue: localValue,
          consensusBlockValue: 0n,
        },
      } as never;
    },
  };
}

/**
 * The builder flow of `produceBlockV3`: a blinded block when a builder is configured, the proposer registered, a
 * verified bid arrives within the bounded wait, its value × `boostFactor` / 100 beats the local payload's value and
 * its header fits the chain. Null otherwise: the caller proposes the local block (the fallback never fails the call).
 */
async function tryBuilderBlock(
  ctx: ApiContext,
  args: ProduceBlockArgs,
  boostFactor: bigint,
  localValue: bigint,
): Promise<{ block: electra.BlindedBeaconBlock; value: bigint } | null> {
  const { chain, builder, registrations } = ctx;
  if (builder == null || registrations === undefined || boostFactor <= 0n) return null;
  const attributes = chain.payloadAttributesAt(args.slot);
  if (attributes === null) return null;
  const proposer = attributes.state.epochCtx.getBeaconProposer(args.slot);
  const pubkey = attributes.state.validators.getReadonly(proposer).pubkey;
  if (registrations.get(pubkey) === undefined) return null;
  const bid = await builder.getBid(args.slot, attributes.parentHash, pubkey);
  if (bid === null) return null;
  if ((bid.message.value * boostFactor) / 100n <= localValue) return null;
  try {
    return { block: chain.produceBlindedBlock(args, bid.message), value: bid.message.value };
  } catch (e) {
    if (!(e instanceof DevnetError)) throw e;
    ctx.logger.warn({ err: e, slot: args.slot }, "builder bid does not fit the chain: proposing the local block");
    return null;
  }
}

function poolSubmit<T>(kind: string, items: T[], add: (item: T) => void): void {
  const failures: string[] = [];
  for (const [index, item] of items.entries()) {
    try {
      add(item);
    } catch (e) {
      if (!(e instanceof PoolError)) throw e;
      failures.push(`#${index}: ${e.type.reason}`);
    }
  }
  if (failures.length > 0) throw new ApiError(400, `Some ${kind} failed validation: ${failures.join("; ")}`);
}

function toGraffiti(text: string): Uint8Array {
  const out = new Uint8Array(32);
  const bytes = /^0x[0-9a-fA-F]{0,64}$/.test(text) ? fromHex(text) : new TextEncoder().encode(text);
  if (bytes.length > 32) throw new ApiError(400, "graffiti is longer than 32 bytes");
  out.set(bytes);
  return out;
}

function parseAddress(text: string): Uint8Array {
  if (!/^0x[0-9a-fA-F]{40}$/.test(text)) throw new ApiError(400, `Invalid fee recipient '${text}'`);
  return fromHex(text);
}
