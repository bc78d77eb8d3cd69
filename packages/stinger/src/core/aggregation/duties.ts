import type { phase0 } from "@lodestar/types";
import type { Logger } from "../../logger/logger.ts";
import type { AgreementRunner } from "../agreement/runner.ts";
import type { CombinedSignatures } from "../dutydb/combinedSignatures.ts";
import type { MemoryDutyDB } from "../dutydb/dutyDb.ts";
import { type Duty, type DutyDefinition, DutyType, dutyKey, type Fetcher, type UnsignedData } from "../interfaces.ts";
import { PipelineError } from "../pipelineError.ts";
import type { SlotClock } from "../scheduler/slotClock.ts";
import { isAttestationAggregator, isSyncCommitteeAggregator } from "../selection/selection.ts";
import { type DutyTracker, PipelineStep } from "../tracker/tracker.ts";
import {
  AggregateAndProofList,
  type AggregationView,
  aggregatesAcceptable,
  ContributionAndProofList,
  contributionsAcceptable,
  syncRootAcceptable,
} from "./values.ts";

/** Aggregation duties and the duty whose combined signature (selection proof) decides whether they run. */
export const SELECTION_OF: Partial<Record<DutyType, DutyType>> = {
  [DutyType.aggregator]: DutyType.prepareAggregator,
  [DutyType.syncContribution]: DutyType.prepareSyncContribution,
};
const invalid = (reason: string) => new PipelineError({ code: "ERR_DUTY_DATA_INVALID", reason });

/** Slots of head roots remembered to judge a proposed sync committee block root. */
const RECENT_HEAD_SLOTS = 4;

export type AggregationDutiesDeps = {
  clock: SlotClock;
  fetcher: Fetcher;
  agreement: AgreementRunner;
  dutyDb: MemoryDutyDB;
  tracker: DutyTracker;
  logger: Logger;
  /** Selection proofs, combined by the pipeline. */
  combined: CombinedSignatures;
  /** Aborted when the pipeline stops. */
  signal: AbortSignal;
  /** Records that a duty passed a pipeline step. */
  step: (duty: Duty, step: string) => void;
};

/**
 * The pipeline's agreement step for sync committee messages, aggregates and contributions (`docs/duties.md`):
 * selection from the threshold-signed selection proofs, one agreement instance per slot and duty type, and the data of
 * a slot that later duties depend on (agreed attestation data, agreed sync block root).
 */
export class AggregationDuties {
  /** Attestation data the cluster agreed per slot (aggregates must be over it). */
  readonly attestationData = new Map<number, phase0.AttestationData>();
  /** Block root the cluster's sync messages of a slot sign (contributions must be over it). */
  readonly syncRoots = new Map<number, Uint8Array>();
  /** Head roots this operator's beacon node reported, hex → slot. */
  private readonly recentHeads = new Map<string, number>();
  private readonly d: AggregationDutiesDeps;

  constructor(deps: AggregationDutiesDeps) {
    this.d = deps;
  }

  /**
   * The validators of an aggregation batch whose combined selection proof selects them (consensus specs'
   * `is_aggregator` with the committee length, `is_sync_committee_aggregator`). Waits for the proofs until the slot
   * ends; a missing proof fails that duty.
   */
  async selected(slot: number, type: DutyType, defs: DutyDefinition[]): Promise<DutyDefinition[]> {
    const proofType = SELECTION_OF[type] as DutyType;
    const waitMs = this.d.clock.slotStartMs(slot + 1) - this.d.clock.now();
    const out: DutyDefinition[] = [];
    await Promise.all(
      defs.map(async (def) => {
        let proof: Uint8Array;
        try {
          proof = await this.d.combined.await({ ...def.duty, type: proofType }, waitMs, this.d.signal);
        } catch {
          this.d.tracker.failed(def.duty, "selection", "no_selection_proof");
          return;
        }
        try {
          const chosen =
            type === DutyType.aggregator
              ? isAttestationAggregator(def.committeeLength ?? 0, proof)
              : isSyncCommitteeAggregator(proof);
          if (chosen) out.push(def);
        } catch (e) {
          this.d.tracker.failed(def.duty, "selection", (e as PipelineError).type?.code ?? "error");
        }
      }),
    );
    return out;
  }

  /** One block root for every sync committee message of the slot: the head this operator's beacon node knows. */
  async agreeSyncRoot(slot: number, defs: DutyDefinition[]): Promise<Map<number, UnsignedData>> {
    const local = await this.d.fetcher.fetch(defs[0] as DutyDefinition, this.d.signal);
    if (local.type !== DutyType.syncMessage) throw invalid(`fetcher returned ${local.type} data for a sync message`);
    for (const def of defs) this.d.step(def.duty, PipelineStep.fetched);
    this.recentHeads.set(Buffer.from(local.data.beaconBlockRoot).toString("hex"), slot);
    const att = this.attestationData.get(slot);
    if (att !== undefined) this.recentHeads.set(Buffer.from(att.beaconBlockRoot).toString("hex"), slot);
    const root = await this.d.agreement.decide(
      slot,
      DutyType.syncMessage,
      local.data.beaconBlockRoot,
      (v) => syncRootAcceptable(v, new Set(this.recentHeads.keys())),
      this.d.signal,
    );
    this.syncRoots.set(slot, root);
    return new Map(
      defs.map((def) => [def.duty.validator, { type: DutyType.syncMessage, data: { slot, beaconBlockRoot: root } }]),
    );
  }

  /**
   * Aggregate-and-proofs or contribution-and-proofs of every selected validator of the slot in one instance: each
   * operator fetches the aggregates from its own beacon node; the leader's list is accepted when every entry is a
   * locally selected aggregator with its combined selection proof, over the data the cluster agreed for the slot.
   */
  async agreeAggregation(
    slot: number,
    type: typeof DutyType.aggregator | typeof DutyType.syncContribution,
    defs: DutyDefinition[],
  ): Promise<Map<number, UnsignedData>> {
    const selected: AggregationView["selected"] = new Map(
      defs.map((definition) => {
        const proofDuty = { ...definition.duty, type: SELECTION_OF[type] as DutyType };
        return [
          definition.duty.validator,
          { definition, selectionProof: this.d.combined.get(proofDuty) as Uint8Array },
        ];
      }),
    );
    // The aggregate is over the slot's agreed attestation data, the contribution over its agreed sync block root:
    // wait for that decision (a loaded node may still be agreeing at 2/3 of the slot).
    const first = defs[0] as DutyDefinition;
    const dependsOn = type === DutyType.aggregator ? DutyType.attester : DutyType.syncMessage;
    const waitMs = Math.max(0, this.d.clock.slotStartMs(slot + 1) - this.d.clock.now());
    await this.d.dutyDb.await(
      { ...first.duty, type: dependsOn },
      AbortSignal.any([this.d.signal, AbortSignal.timeout(waitMs)]),
    );
    const fetched = await Promise.allSettled(defs.map((def) => this.d.fetcher.fetch(def, this.d.signal)));
    const locals: UnsignedData[] = [];
    fetched.forEach((r, i) => {
      const def = defs[i] as DutyDefinition;
      if (r.status === "fulfilled") {
        locals.push(r.value);
        this.d.step(def.duty, PipelineStep.fetched);
      } else {
        const reason = (r.reason as Error).message;
        this.d.logger.debug("No local aggregation data", { duty: dutyKey(def.duty), reason });
      }
    });
    let value: Uint8Array;
    if (type === DutyType.aggregator) {
      const attestationData = this.attestationData.get(slot);
      if (attestationData === undefined) throw invalid(`no agreed attestation data for slot ${slot}`);
      const local = AggregateAndProofList.serialize(locals.flatMap((l) => (l.type === type ? [l.data] : [])));
      value = await this.d.agreement.decide(
        slot,
        type,
        local,
        (v) => aggregatesAcceptable(v, { selected, attestationData }),
        this.d.signal,
      );
      return new Map(AggregateAndProofList.deserialize(value).map((data) => [data.aggregatorIndex, { type, data }]));
    }
    const beaconBlockRoot = this.syncRoots.get(slot);
    if (beaconBlockRoot === undefined) throw invalid(`no agreed sync block root for slot ${slot}`);
    const local = ContributionAndProofList.serialize(locals.flatMap((l) => (l.type === type ? [l.data] : [])));
    value = await this.d.agreement.decide(
      slot,
      type,
      local,
      (v) => contributionsAcceptable(v, { selected, slot, beaconBlockRoot }),
      this.d.signal,
    );
    return new Map(ContributionAndProofList.deserialize(value).map((data) => [data.aggregatorIndex, { type, data }]));
  }

  /** Forgets the data of slots below `floor`; head roots older than a few slots before `slot`. */
  prune(floor: number, slot: number): void {
    for (const m of [this.attestationData, this.syncRoots]) for (const s of m.keys()) if (s < floor) m.delete(s);
    for (const [root, s] of this.recentHeads) if (s < slot - RECENT_HEAD_SLOTS) this.recentHeads.delete(root);
  }
}
