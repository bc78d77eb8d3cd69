import type { routes } from "@lodestar/api";
import { ApiError, type ApplicationMethods } from "@lodestar/api/server";
import { SLOTS_PER_EPOCH } from "@lodestar/params";
import { computeEpochAtSlot } from "@lodestar/state-transition";
import type { electra } from "@lodestar/types";
import { ProducedBlockSource } from "@lodestar/types";
import { fromHex, toRootHex } from "@lodestar/utils";
import { produceAttestationData } from "../chain/attestationData.ts";
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
    async registerValidator() {},
    async produceBlockV3({ slot, randaoReveal, graffiti, feeRecipient }) {
      if (randaoReveal.length !== 96) throw new ApiError(400, "randao_reveal must be 96 bytes");
      const current = clock.currentSlot();
      if (slot < current || slot > current + 1) {
        throw new ApiError(400, `Cannot produce a block for slot ${slot} at slot ${current}`);
      }
      let block: electra.BeaconBlock;
      try {
        block = chain.produceBlock({
          slot,
          randaoReveal,
          ...(graffiti !== undefined ? { graffiti: toGraffiti(graffiti) } : {}),
          ...(feeRecipient !== undefined ? { feeRecipient: parseAddress(feeRecipient) } : {}),
        });
      } catch (e) {
        if (e instanceof DevnetError) throw new ApiError(400, e.message);
        throw e;
      }
      return {
        data: { block, kzgProofs: [], blobs: [] },
        meta: {
          version: chain.config.getForkName(slot),
          executionPayloadBlinded: false,
          executionPayloadSource: ProducedBlockSource.engine,
          executionPayloadValue: 0n,
          consensusBlockValue: 0n,
        },
      } as never;
    },
  };
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
