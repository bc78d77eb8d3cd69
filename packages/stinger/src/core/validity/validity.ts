import type { BeaconConfig } from "@lodestar/config";
import { type phase0, ssz } from "@lodestar/types";
import type { SlashingProtectionDB } from "../../slashing/db.ts";
import { decodeProposal, proposalRoot } from "../blockProposal.ts";
import {
  type Acceptance,
  type AggSigDB,
  type DutyBatch,
  type DutyDefinition,
  DutyType,
  dutyKey,
  type UnsignedData,
  type Validity,
} from "../interfaces.ts";
import { PipelineError } from "../pipelineError.ts";
import { computeDutySigningRoot } from "../signer/signingRoot.ts";
import type { ValidatorKeys } from "../signer/validatorKeys.ts";
import { ABSENT, type BlockView } from "./blockView.ts";
import { dutyFlow, relatedDuty } from "./dutyFlow.ts";
import {
  AggregateAndProofList,
  type AggregationView,
  aggregatesAcceptable,
  attestationProblem,
  blockProblem,
  ContributionAndProofList,
  contributionsAcceptable,
  HEAD_UNKNOWN,
  headProblem,
  syncRootProblem,
} from "./rules.ts";

/** Slots behind the prune floor whose head roots still judge a proposed sync committee block root. */
const RECENT_HEAD_SLOTS = 2;

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const invalid = (reason: string) => new PipelineError({ code: "ERR_DUTY_DATA_INVALID", reason });

export type DutyValidityOptions = {
  config: BeaconConfig;
  slotsPerEpoch: number;
  keys: Pick<ValidatorKeys, "get">;
  /** Read-only use: would the DB let this operator sign? (The signer records, authoritatively.) */
  slashingDb: Pick<SlashingProtectionDB, "wouldAcceptAttestation" | "wouldAcceptBlock">;
  /** Combined selection proofs (an aggregation entry must carry the one this operator combined). */
  aggSigDb: Pick<AggSigDB, "get">;
  /**
   * This operator's beacon node's view of the block roots proposals vote for. Without it only this operator's own
   * head (and heads it reported) are acceptable.
   */
  blocks?: BlockView;
};

/**
 * The validity step: every rule of every duty type's agreed value in one place (`docs/duties.md`). A proposed value
 * is acceptable when it fits this operator's own beacon view (`rules.ts`) and its slashing-protection DB would sign
 * it. It also remembers what later duties of a slot are judged against: the agreed attestation data (aggregates must
 * be over it), the agreed sync block root (contributions must be over it) and the heads this operator's beacon node
 * reported (a proposed sync root must be one of them).
 */
export class DutyValidity implements Validity {
  private readonly o: DutyValidityOptions;
  private readonly attestations = new Map<number, phase0.AttestationData>();
  private readonly syncRoots = new Map<number, Uint8Array>();
  /** Head roots this operator's beacon node reported, hex → slot. */
  private readonly recentHeads = new Map<string, number>();

  constructor(opts: DutyValidityOptions) {
    this.o = opts;
  }

  /** The attestation data the cluster agreed for a slot (what aggregates are fetched for). */
  attestationData(slot: number): phase0.AttestationData | undefined {
    return this.attestations.get(slot);
  }

  /** The block root the cluster's sync committee messages of a slot sign (what contributions are fetched for). */
  syncBlockRoot(slot: number): Uint8Array | undefined {
    return this.syncRoots.get(slot);
  }

  proposal(batch: DutyBatch, locals: readonly UnsignedData[]): Uint8Array {
    const own = locals.filter((l) => l.type === batch.type);
    const first = own[0];
    switch (first?.type) {
      case DutyType.attester:
        return ssz.phase0.AttestationData.serialize(first.data);
      case DutyType.proposer:
        return first.data.encoded;
      case DutyType.syncMessage:
        // A head this operator's beacon node reported (the agreed attestation data's head is added when decided).
        this.recentHeads.set(hex(first.data.beaconBlockRoot), batch.slot);
        return first.data.beaconBlockRoot;
    }
    if (batch.type === DutyType.aggregator) {
      return AggregateAndProofList.serialize(own.flatMap((l) => (l.type === DutyType.aggregator ? [l.data] : [])));
    }
    if (batch.type === DutyType.syncContribution) {
      return ContributionAndProofList.serialize(
        own.flatMap((l) => (l.type === DutyType.syncContribution ? [l.data] : [])),
      );
    }
    throw invalid(`no local ${batch.type} data to propose for slot ${batch.slot}`);
  }

  isAcceptable(batch: DutyBatch, locals: readonly UnsignedData[], value: Uint8Array): Acceptance {
    return this.verdict(batch, locals, value, true);
  }

  fitsView(batch: DutyBatch, locals: readonly UnsignedData[], value: Uint8Array): Acceptance {
    return this.verdict(batch, locals, value, false);
  }

  private verdict(batch: DutyBatch, locals: readonly UnsignedData[], value: Uint8Array, slashing: boolean): Acceptance {
    let problem: string | null;
    try {
      problem = this.problem(batch, locals, value, slashing);
    } catch {
      return false;
    }
    if (problem !== HEAD_UNKNOWN || this.o.blocks === undefined) return problem === null;
    // A head this node's beacon node was not asked about: wait (bounded) for it, then agreement asks again.
    const own = locals.find((l) => l.type === batch.type);
    const roots =
      batch.type === DutyType.attester
        ? [ssz.phase0.AttestationData.deserialize(value).beaconBlockRoot]
        : [value.subarray(0, 32)];
    if (own?.type === DutyType.attester) roots.push(own.data.beaconBlockRoot);
    const blocks = this.o.blocks;
    return Promise.all(roots.map((r) => blocks.learn(r, batch.slot)));
  }

  /**
   * Why this operator may not sign `value` for the batch, or `null` (throws on undecodable bytes). With `slashing`
   * false, the slashing-protection DB is not consulted (the value is judged against the beacon view only).
   */
  problem(batch: DutyBatch, locals: readonly UnsignedData[], value: Uint8Array, slashing = true): string | null {
    const own = locals.find((l) => l.type === batch.type);
    switch (batch.type) {
      case DutyType.attester: {
        if (own?.type !== DutyType.attester) return "no local attestation data";
        const v = ssz.phase0.AttestationData.deserialize(value);
        const proposedHead =
          this.o.blocks?.get(v.beaconBlockRoot) ?? (this.o.blocks === undefined ? ABSENT : undefined);
        const unfit =
          attestationProblem(v, own.data, proposedHead, this.o.slotsPerEpoch) ??
          headProblem(v, own.data, proposedHead, this.o.blocks?.get(own.data.beaconBlockRoot));
        if (unfit !== null || !slashing) return unfit;
        const signingRoot = this.signingRoot({ type: DutyType.attester, data: v });
        const refused = batch.definitions.find(
          (def) =>
            !this.o.slashingDb.wouldAcceptAttestation({
              pubkey: this.o.keys.get(def.duty.validator).pubkeyHex,
              source: BigInt(v.source.epoch),
              target: BigInt(v.target.epoch),
              signingRoot,
            }).ok,
        );
        return refused === undefined ? null : `slashing protection refuses it for ${dutyKey(refused.duty)}`;
      }
      case DutyType.proposer: {
        const def = batch.definitions[0];
        if (own?.type !== DutyType.proposer || def === undefined) return "no local block";
        const proposal = decodeProposal(value);
        const unfit = blockProblem(
          proposal,
          decodeProposal(own.data.encoded),
          def.duty,
          this.o.keys.get(def.duty.validator).feeRecipient,
        );
        if (unfit !== null || !slashing) return unfit;
        const block = proposal.block;
        // Blinded or full: the same root, so the same slashing-protection record.
        const blockRoot = proposalRoot(proposal);
        const verdict = this.o.slashingDb.wouldAcceptBlock({
          pubkey: this.o.keys.get(def.duty.validator).pubkeyHex,
          slot: BigInt(block.slot),
          signingRoot: this.signingRoot({
            type: DutyType.proposer,
            data: { slot: block.slot, blockRoot, encoded: value },
          }),
        });
        return verdict.ok ? null : "slashing protection refuses the block";
      }
      case DutyType.syncMessage:
        return syncRootProblem(
          value,
          batch.slot,
          new Set(this.recentHeads.keys()),
          value.length !== 32
            ? undefined
            : (this.o.blocks?.get(value) ?? (this.o.blocks === undefined ? ABSENT : undefined)),
        );
      case DutyType.aggregator: {
        const attestationData = this.attestations.get(batch.slot);
        if (attestationData === undefined) return "no agreed attestation data for the slot";
        return aggregatesAcceptable(value, { selected: this.selected(batch), attestationData })
          ? null
          : "aggregate list unfit";
      }
      case DutyType.syncContribution: {
        const beaconBlockRoot = this.syncRoots.get(batch.slot);
        if (beaconBlockRoot === undefined) return "no agreed sync block root for the slot";
        return contributionsAcceptable(value, { selected: this.selected(batch), slot: batch.slot, beaconBlockRoot })
          ? null
          : "contribution list unfit";
      }
      default:
        return `${batch.type} duties are deterministic: nothing to agree on`;
    }
  }

  decided(batch: DutyBatch, value: Uint8Array): Map<number, UnsignedData> {
    const all = (data: UnsignedData) => new Map(batch.definitions.map((def) => [def.duty.validator, data]));
    switch (batch.type) {
      case DutyType.attester: {
        const data = ssz.phase0.AttestationData.deserialize(value);
        this.attestations.set(batch.slot, data);
        // The cluster's attestations vote for this head: an acceptable sync committee block root too.
        this.recentHeads.set(hex(data.beaconBlockRoot), batch.slot);
        return all({ type: DutyType.attester, data });
      }
      case DutyType.proposer: {
        const def = batch.definitions[0] as DutyDefinition;
        const blockRoot = proposalRoot(decodeProposal(value));
        return new Map([
          [def.duty.validator, { type: DutyType.proposer, data: { slot: batch.slot, blockRoot, encoded: value } }],
        ]);
      }
      case DutyType.syncMessage:
        this.syncRoots.set(batch.slot, value);
        return all({ type: DutyType.syncMessage, data: { slot: batch.slot, beaconBlockRoot: value } });
      case DutyType.aggregator:
        return new Map(
          AggregateAndProofList.deserialize(value).map((data) => [
            data.aggregatorIndex,
            { type: DutyType.aggregator, data },
          ]),
        );
      case DutyType.syncContribution:
        return new Map(
          ContributionAndProofList.deserialize(value).map((data) => [
            data.aggregatorIndex,
            { type: DutyType.syncContribution, data },
          ]),
        );
      default:
        throw invalid(`${batch.type} duties are deterministic: nothing was agreed`);
    }
  }

  prune(slot: number): void {
    for (const m of [this.attestations, this.syncRoots]) for (const s of m.keys()) if (s < slot) m.delete(s);
    // Heads of a few slots back stay acceptable (a slow beacon node may report the previous head).
    for (const [root, s] of this.recentHeads) if (s < slot - RECENT_HEAD_SLOTS) this.recentHeads.delete(root);
    this.o.blocks?.prune(slot - RECENT_HEAD_SLOTS);
  }

  /** The batch's validators with the selection proof this operator combined for them. */
  private selected(batch: DutyBatch): AggregationView["selected"] {
    const proofType = dutyFlow[batch.type].selectedBy;
    const out = new Map<number, { definition: DutyDefinition; selectionProof: Uint8Array }>();
    if (proofType === undefined) return out;
    for (const definition of batch.definitions) {
      const selectionProof = this.o.aggSigDb.get(relatedDuty(definition.duty, proofType));
      if (selectionProof !== undefined) out.set(definition.duty.validator, { definition, selectionProof });
    }
    return out;
  }

  private signingRoot(data: UnsignedData): string {
    return `0x${hex(computeDutySigningRoot(this.o.config, this.o.slotsPerEpoch, data))}`;
  }
}
