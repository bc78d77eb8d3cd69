import type { ApiClient } from "@lodestar/api";
import { CELLS_PER_EXT_BLOB, isForkPostFulu } from "@lodestar/params";
import type { bellatrix, electra, phase0 } from "@lodestar/types";
import { ssz } from "@lodestar/types";
import { MAX_BEACON_BLOCK_BYTES, MAX_BLOBS_PER_BLOCK_MAINNET } from "../blockLimits.ts";
import { encodeProposal } from "../blockProposal.ts";
import {
  type BlockContentsStore,
  type Duty,
  type DutyDefinition,
  DutyType,
  type Fetcher,
  type UnsignedData,
} from "../interfaces.ts";
import { PipelineError } from "../pipelineError.ts";
import { aggregateProblem, blobsProblem, contributionProblem } from "./validate.ts";

/** What aggregation duties need from earlier duties of the same slot (decided values and combined signatures). */
export type FetcherInputs = {
  /** The threshold-signed RANDAO reveal of a proposal. */
  randaoReveal?: (slot: number, validator: number) => Uint8Array | undefined;
  /** The combined selection proof of a `prepare_aggregator` / `prepare_sync_contribution` duty. */
  selectionProof?: (duty: Duty) => Uint8Array | undefined;
  /** The attestation data the cluster agreed on for a slot. */
  attestationData?: (slot: number) => phase0.AttestationData | undefined;
  /** The head block root the cluster's sync committee messages of a slot sign. */
  syncBlockRoot?: (slot: number) => Uint8Array | undefined;
  /** Where a fetched block's blobs wait for the broadcaster (without it, blocks with blobs cannot be published). */
  blockContents?: BlockContentsStore;
  /**
   * `builder_boost_factor` of block requests (default 0: local payloads only). With a positive factor the beacon node
   * may answer with a builder's blinded block; one that does not pay {@link feeRecipient} is refused and the local
   * block is fetched instead.
   */
  builderBoostFactor?: bigint;
  /** The protocol's fee recipient of a validator (the withdrawal vault of its lock), if any. */
  feeRecipient?: (validator: number) => Uint8Array | undefined;
  /** The validator registration a `builder_registration` duty signs (`node/builderRegistrations.ts`). */
  registration?: (definition: DutyDefinition) => bellatrix.ValidatorRegistrationV1 | undefined;
  /** Called for each builder block fetched: `refused` is why it was refused for the local block, or null. */
  onBuilderBlock?: (duty: Duty, refused: string | null) => void;
};

/**
 * Fetches the data to sign from this operator's own beacon node, over the standard Beacon API only.
 * Proposals need the threshold-signed RANDAO reveal, which the caller passes through `randaoReveal`.
 */
export class BeaconFetcher implements Fetcher {
  private readonly api: ApiClient;
  private readonly slotsPerEpoch: number;
  private readonly randaoReveal: (slot: number, validator: number) => Uint8Array | undefined;
  private readonly inputs: FetcherInputs;

  constructor(opts: { api: ApiClient; slotsPerEpoch: number } & FetcherInputs) {
    this.api = opts.api;
    this.slotsPerEpoch = opts.slotsPerEpoch;
    this.randaoReveal = opts.randaoReveal ?? (() => undefined);
    this.inputs = opts;
  }

  async fetch(definition: DutyDefinition, _signal: AbortSignal): Promise<UnsignedData> {
    const { duty } = definition;
    switch (duty.type) {
      case DutyType.attester: {
        const res = await this.call("produceAttestationData", () =>
          this.api.validator.produceAttestationData({ slot: duty.slot, committeeIndex: 0 }),
        );
        const data = res.value();
        if (data.slot !== duty.slot) throw this.bad("produceAttestationData", `slot ${data.slot} ≠ ${duty.slot}`);
        // Electra: the committee goes in the SingleAttestation, AttestationData.index is always 0.
        return { type: DutyType.attester, data: { ...data, index: 0 } };
      }
      case DutyType.randao:
        return { type: DutyType.randao, data: { epoch: Math.floor(duty.slot / this.slotsPerEpoch) } };
      case DutyType.voluntaryExit:
        // Deterministic: every operator signs the exit at the epoch of the duty's slot, which they all agreed on.
        return {
          type: DutyType.voluntaryExit,
          data: { epoch: Math.floor(duty.slot / this.slotsPerEpoch), validatorIndex: duty.validator },
        };
      case DutyType.prepareAggregator:
        return { type: DutyType.prepareAggregator, data: { slot: duty.slot } };
      case DutyType.builderRegistration: {
        // Deterministic: every operator derives the same message from the lock and the duty's slot.
        const data = this.inputs.registration?.(definition);
        if (data === undefined)
          throw this.bad("registerValidator", "no fee recipient for this validator's registration");
        return { type: DutyType.builderRegistration, data };
      }
      case DutyType.prepareSyncContribution:
        return {
          type: DutyType.prepareSyncContribution,
          data: { slot: duty.slot, subcommitteeIndex: subcommitteeOf(definition) },
        };
      case DutyType.aggregator:
        return this.fetchAggregate(definition);
      case DutyType.syncMessage: {
        const res = await this.call("getBlockRoot", () => this.api.beacon.getBlockRoot({ blockId: "head" }));
        const root = res.value().root;
        if (root.length !== 32) throw this.bad("getBlockRoot", `root of ${root.length} bytes`);
        return { type: DutyType.syncMessage, data: { slot: duty.slot, beaconBlockRoot: root } };
      }
      case DutyType.syncContribution:
        return this.fetchContribution(definition);
      case DutyType.proposer: {
        const randaoReveal = this.randaoReveal(duty.slot, duty.validator);
        if (randaoReveal === undefined) throw this.bad("produceBlockV3", "no threshold-signed RANDAO reveal yet");
        const factor = this.inputs.builderBoostFactor ?? 0n;
        let res = await this.produceBlock(duty.slot, randaoReveal, factor);
        if (res.meta().executionPayloadBlinded) {
          const blinded = res.value() as electra.BlindedBeaconBlock;
          const problem = this.builderBlockProblem(blinded, definition);
          if (problem === null) {
            const encoded = encodeProposal({ blinded: true, block: blinded });
            if (encoded.length > MAX_BEACON_BLOCK_BYTES) {
              throw this.bad("produceBlockV3", `block of ${encoded.length} bytes exceeds ${MAX_BEACON_BLOCK_BYTES}`);
            }
            this.inputs.onBuilderBlock?.(duty, null);
            const blockRoot = ssz.electra.BlindedBeaconBlock.hashTreeRoot(blinded);
            return { type: DutyType.proposer, data: { slot: duty.slot, blockRoot, encoded } };
          }
          // A builder bid this cluster must not sign (e.g. paying someone else): propose the local payload instead.
          this.inputs.onBuilderBlock?.(duty, problem);
          res = await this.produceBlock(duty.slot, randaoReveal, 0n);
          if (res.meta().executionPayloadBlinded) {
            throw this.bad("produceBlockV3", "a blinded block although builder_boost_factor was 0");
          }
        }
        const meta = res.meta();
        const contents = res.value() as electra.BlockContents;
        const block = contents.block;
        if (block.slot !== duty.slot || block.proposerIndex !== duty.validator) {
          throw this.bad("produceBlockV3", `block for slot ${block.slot}/proposer ${block.proposerIndex}`);
        }
        const encoded = ssz.electra.BeaconBlock.serialize(block);
        if (encoded.length > MAX_BEACON_BLOCK_BYTES) {
          throw this.bad("produceBlockV3", `block of ${encoded.length} bytes exceeds ${MAX_BEACON_BLOCK_BYTES}`);
        }
        const blobs = contents.blobs ?? [];
        const kzgProofs = contents.kzgProofs ?? [];
        const problem = blobsProblem(
          block.body.blobKzgCommitments.length,
          blobs.length,
          kzgProofs.length,
          isForkPostFulu(meta.version) ? CELLS_PER_EXT_BLOB : 1,
          MAX_BLOBS_PER_BLOCK_MAINNET,
        );
        if (problem !== null) throw this.bad("produceBlockV3", problem);
        const blockRoot = ssz.electra.BeaconBlock.hashTreeRoot(block);
        // Agreement moves the block only; the broadcaster publishes it with these blobs if the cluster decides it.
        this.inputs.blockContents?.put(duty.slot, blockRoot, { blobs, kzgProofs });
        return { type: DutyType.proposer, data: { slot: duty.slot, blockRoot, encoded } };
      }
    }
  }

  private produceBlock(slot: number, randaoReveal: Uint8Array, builderBoostFactor: bigint) {
    return this.call("produceBlockV3", () =>
      this.api.validator.produceBlockV3({ slot, randaoReveal, graffiti: "nektar/stinger", builderBoostFactor }),
    );
  }

  /** Why a builder's blinded block is unfit for the duty (slot, proposer, the protocol's fee recipient), or null. */
  private builderBlockProblem(block: electra.BlindedBeaconBlock, definition: DutyDefinition): string | null {
    const { duty } = definition;
    if (block.slot !== duty.slot || block.proposerIndex !== duty.validator) {
      return `blinded block for slot ${block.slot}/proposer ${block.proposerIndex}`;
    }
    const expected = this.inputs.feeRecipient?.(duty.validator);
    const paid = block.body.executionPayloadHeader.feeRecipient;
    if (expected !== undefined && !Buffer.from(paid).equals(expected)) {
      return `builder block pays 0x${Buffer.from(paid).toString("hex")}, not the protocol's 0x${Buffer.from(expected).toString("hex")}`;
    }
    return null;
  }

  /** `getAggregatedAttestationV2` for the agreed attestation data and the duty's committee. */
  private async fetchAggregate(definition: DutyDefinition): Promise<UnsignedData> {
    const { duty } = definition;
    const call = "getAggregatedAttestationV2";
    const selectionProof = this.inputs.selectionProof?.({ ...duty, type: DutyType.prepareAggregator });
    if (selectionProof === undefined) throw this.bad(call, "no combined selection proof for this slot yet");
    const data = this.inputs.attestationData?.(duty.slot);
    if (data === undefined) throw this.bad(call, "the cluster agreed no attestation data for this slot");
    const { committeeIndex, committeeLength } = definition;
    if (committeeIndex === undefined || committeeLength === undefined) {
      throw new PipelineError({ code: "ERR_DUTY_DATA_INVALID", reason: "aggregator duty without its committee" });
    }
    const res = await this.call(call, () =>
      this.api.validator.getAggregatedAttestationV2({
        attestationDataRoot: ssz.phase0.AttestationData.hashTreeRoot(data),
        slot: duty.slot,
        committeeIndex,
      }),
    );
    const aggregate = res.value() as electra.Attestation;
    if (!("committeeBits" in aggregate)) throw this.bad(call, "pre-Electra aggregate");
    const problem = aggregateProblem(aggregate, data, committeeIndex, committeeLength);
    if (problem !== null) throw this.bad(call, problem);
    return { type: DutyType.aggregator, data: { aggregatorIndex: duty.validator, aggregate, selectionProof } };
  }

  /** `produceSyncCommitteeContribution` for the duty's subcommittee over the cluster's sync message root. */
  private async fetchContribution(definition: DutyDefinition): Promise<UnsignedData> {
    const { duty } = definition;
    const call = "produceSyncCommitteeContribution";
    const subcommitteeIndex = subcommitteeOf(definition);
    const selectionProof = this.inputs.selectionProof?.({ ...duty, type: DutyType.prepareSyncContribution });
    if (selectionProof === undefined) throw this.bad(call, "no combined sync selection proof for this slot yet");
    const beaconBlockRoot = this.inputs.syncBlockRoot?.(duty.slot);
    if (beaconBlockRoot === undefined) throw this.bad(call, "the cluster agreed no sync block root for this slot");
    const res = await this.call(call, () =>
      this.api.validator.produceSyncCommitteeContribution({ slot: duty.slot, subcommitteeIndex, beaconBlockRoot }),
    );
    const contribution = res.value();
    const problem = contributionProblem(contribution, duty.slot, subcommitteeIndex, beaconBlockRoot);
    if (problem !== null) throw this.bad(call, problem);
    return {
      type: DutyType.syncContribution,
      data: { aggregatorIndex: duty.validator, contribution, selectionProof },
    };
  }

  private async call<T extends { ok: boolean; status: number; error(): unknown }>(
    name: string,
    fn: () => Promise<T>,
  ): Promise<T> {
    let res: T;
    try {
      res = await fn();
    } catch (e) {
      throw this.bad(name, (e as Error).message);
    }
    if (!res.ok) throw this.bad(name, `HTTP ${res.status}: ${String((res.error() as Error | null)?.message ?? "")}`);
    return res;
  }

  private bad(call: string, reason: string): PipelineError {
    return new PipelineError({ code: "ERR_BEACON_NODE", call, reason });
  }
}

function subcommitteeOf(definition: DutyDefinition): number {
  const sub = definition.syncSubcommitteeIndices?.[0];
  if (sub === undefined) {
    throw new PipelineError({
      code: "ERR_DUTY_DATA_INVALID",
      reason: `${definition.duty.type} duty without subcommittee`,
    });
  }
  return sub;
}
