import { ssz } from "@lodestar/types";
import type { Logger } from "../logger/logger.ts";
import type { SlashingProtectionDB } from "../slashing/db.ts";
import { AggregationDuties, SELECTION_OF } from "./aggregation/duties.ts";
import type { AgreementRunner } from "./agreement/runner.ts";
import type { BeaconBroadcaster, SignedDuty } from "./broadcast/broadcaster.ts";
import { CombinedSignatures } from "./dutydb/combinedSignatures.ts";
import type { MemoryDutyDB } from "./dutydb/dutyDb.ts";
import type { FetcherInputs } from "./fetcher/fetcher.ts";
import {
  type Duty,
  type DutyDefinition,
  DutyType,
  dutyKey,
  type Fetcher,
  type PartialSignature,
  type UnsignedData,
} from "./interfaces.ts";
import { PartialSignatureDB } from "./parsigdb/parSigDb.ts";
import type { BatchedParSigEx } from "./parsigex/parSigEx.ts";
import type { BeaconScheduler } from "./scheduler/scheduler.ts";
import type { SlotClock } from "./scheduler/slotClock.ts";
import type { ThresholdSigAgg } from "./sigagg/sigAgg.ts";
import type { ShareSigner, SigningItem } from "./signer/signer.ts";
import { computeDutySigningRoot } from "./signer/signingRoot.ts";
import type { ValidatorKeys } from "./signer/validatorKeys.ts";
import type { InclusionChecker } from "./tracker/inclusion.ts";
import { type DutyTracker, PipelineStep } from "./tracker/tracker.ts";

export type PipelineDeps = {
  clock: SlotClock;
  scheduler: BeaconScheduler;
  fetcher: Fetcher;
  agreement: AgreementRunner;
  dutyDb: MemoryDutyDB;
  signer: ShareSigner;
  parSigEx: BatchedParSigEx;
  sigAgg: ThresholdSigAgg;
  broadcaster: BeaconBroadcaster;
  tracker: DutyTracker;
  /** Judges the cluster's duties from canonical blocks (optional: without it outcomes stop at broadcast). */
  inclusion?: InclusionChecker;
  keys: ValidatorKeys;
  slashingDb: SlashingProtectionDB;
  config: Parameters<typeof computeDutySigningRoot>[0];
  threshold: number;
  logger: Logger;
};

/** Duties whose data is deterministic (no agreement needed): every honest operator signs the same object. */
const DETERMINISTIC = new Set<DutyType>([
  DutyType.randao,
  DutyType.prepareAggregator,
  DutyType.prepareSyncContribution,
]);
/** Duties whose group signature is consumed by a later duty of the slot instead of being broadcast. */
const CONSUMED = new Set<DutyType>([DutyType.randao, DutyType.prepareAggregator, DutyType.prepareSyncContribution]);
/** Slots kept in memory behind the current one (late partials still combine within this window). */
const KEEP_SLOTS = 2;

/**
 * Stitches the steps together (Charon's `wire`): scheduler → fetcher → agreement (one instance per slot and duty
 * type, all cluster validators at once) → dutydb → signer → parsigex → parsigdb → sigagg → broadcast, with the
 * tracker timing every step and the inclusion checker judging the result on chain. Proposals wait for the
 * threshold-signed RANDAO reveal of their slot; aggregation duties wait for their threshold-signed selection proof
 * and run only when it selects the validator (`docs/duties.md`).
 */
export class DutyPipeline {
  private readonly d: PipelineDeps;
  private readonly parSigDb: PartialSignatureDB;
  private readonly pending = new Map<string, DutyDefinition[]>();
  private readonly toBroadcast = new Map<number, SignedDuty[]>();
  /** RANDAO reveals and selection proofs, by their duty. */
  private readonly combined = new CombinedSignatures();
  /** Sync committee messages, aggregates and contributions. */
  private readonly aggregation: AggregationDuties;
  private readonly abort = new AbortController();
  private unsubscribe: (() => void)[] = [];
  private lastPruned = 0;

  constructor(deps: PipelineDeps) {
    this.d = deps;
    this.aggregation = new AggregationDuties({
      ...deps,
      combined: this.combined,
      signal: this.abort.signal,
      step: (duty, step) => this.step(duty, step),
    });
    this.parSigDb = new PartialSignatureDB({
      threshold: deps.threshold,
      onThreshold: (partials) => void this.combine(partials),
      onEquivocation: (shareIndex, p) => {
        deps.tracker.fault(shareIndex, "partial_equivocation");
        deps.logger.warn("Operator sent two different partials for one duty", { shareIndex, duty: dutyKey(p.duty) });
      },
    });
  }

  start(): void {
    this.unsubscribe.push(this.d.scheduler.subscribeDuties((def) => this.enqueue(def)));
    this.unsubscribe.push(
      this.d.parSigEx.subscribe((partials, from) => {
        this.d.tracker.partialsReceived(partials[0]?.duty.type ?? DutyType.attester, partials.length);
        for (const p of partials) if (this.d.keys.has(p.duty.validator)) this.parSigDb.add(p);
        void from;
      }),
    );
    this.d.scheduler.start();
    this.d.inclusion?.start();
  }

  stop(): void {
    this.abort.abort();
    for (const u of this.unsubscribe) u();
    this.unsubscribe = [];
    this.d.scheduler.stop();
    this.d.inclusion?.stop();
    this.d.agreement.stop();
  }

  /** Duties of one (slot, type) emitted together are handled as one batch. */
  private enqueue(def: DutyDefinition): void {
    this.d.inclusion?.watch(def);
    const key = `${def.duty.slot}/${def.duty.type}`;
    const list = this.pending.get(key);
    if (list !== undefined) {
      list.push(def);
      return;
    }
    this.pending.set(key, [def]);
    queueMicrotask(() => {
      const defs = this.pending.get(key) ?? [];
      this.pending.delete(key);
      void this.runBatch(def.duty.slot, def.duty.type, defs);
    });
  }

  private async runBatch(slot: number, type: DutyType, scheduled: DutyDefinition[]): Promise<void> {
    this.prune(slot);
    let defs = scheduled;
    try {
      if (SELECTION_OF[type] !== undefined) {
        defs = await this.aggregation.selected(slot, type, scheduled);
        if (defs.length === 0) return;
      }
      const decided = DETERMINISTIC.has(type) ? await this.fetchAll(defs) : await this.agree(slot, type, defs);
      const items: SigningItem[] = [];
      for (const def of defs) {
        const data = decided.get(def.duty.validator);
        if (data === undefined) {
          // Aggregation: the decided list lacks this validator (the leader's beacon node had no aggregate for it).
          this.d.tracker.failed(def.duty, "agreement", "not_in_decided_value");
          continue;
        }
        this.d.dutyDb.store(def.duty, data);
        this.step(def.duty, PipelineStep.decided);
        items.push({ duty: def.duty, data });
      }
      const outcomes = await this.d.signer.signBatch(items);
      const partials: PartialSignature[] = [];
      for (const o of outcomes) {
        if (!o.ok) {
          this.d.tracker.failed(o.duty, "signer", o.reason);
          this.d.logger.warn("Slashing protection refused to sign", { duty: dutyKey(o.duty), reason: o.reason });
          continue;
        }
        this.step(o.partial.duty, PipelineStep.signed);
        partials.push(o.partial);
      }
      await this.d.parSigEx.broadcast(partials);
      for (const p of partials) {
        this.parSigDb.expect(p.duty, p.signingRoot);
        this.parSigDb.add(p);
      }
    } catch (e) {
      for (const def of defs)
        this.d.tracker.failed(def.duty, "pipeline", (e as { type?: { code?: string } }).type?.code ?? "error");
      this.d.logger.warn("Duty batch failed", { slot, type, validators: defs.length, reason: (e as Error).message });
    }
  }

  private async fetchAll(defs: DutyDefinition[]): Promise<Map<number, UnsignedData>> {
    const out = new Map<number, UnsignedData>();
    for (const def of defs) {
      out.set(def.duty.validator, await this.d.fetcher.fetch(def, this.abort.signal));
      this.step(def.duty, PipelineStep.fetched);
    }
    return out;
  }

  /** One agreement instance for the slot and duty type; its value covers every validator of the batch. */
  private async agree(slot: number, type: DutyType, defs: DutyDefinition[]): Promise<Map<number, UnsignedData>> {
    const first = defs[0];
    if (first === undefined) return new Map();
    if (type === DutyType.attester) {
      // Electra: one AttestationData per slot for every committee (index 0), so one value serves all validators.
      const local = await this.d.fetcher.fetch(first, this.abort.signal);
      if (local.type !== DutyType.attester) throw new Error("fetcher returned non-attester data");
      for (const def of defs) this.step(def.duty, PipelineStep.fetched);
      const value = await this.d.agreement.decide(
        slot,
        type,
        ssz.phase0.AttestationData.serialize(local.data),
        (v) => this.attestationAcceptable(v, local.data, defs),
        this.abort.signal,
      );
      const data = ssz.phase0.AttestationData.deserialize(value);
      this.aggregation.attestationData.set(slot, data);
      return new Map(defs.map((def) => [def.duty.validator, { type: DutyType.attester, data }]));
    }
    if (type === DutyType.proposer) {
      await this.combined.await(
        { slot, type: DutyType.randao, validator: first.duty.validator },
        this.d.clock.secondsPerSlot * 1000,
        this.abort.signal,
      );
      const local = await this.d.fetcher.fetch(first, this.abort.signal);
      if (local.type !== DutyType.proposer) throw new Error("fetcher returned non-proposer data");
      this.step(first.duty, PipelineStep.fetched);
      const value = await this.d.agreement.decide(
        slot,
        type,
        local.data.encoded,
        (v) => this.blockAcceptable(v, local.data.encoded, first),
        this.abort.signal,
      );
      const block = ssz.electra.BeaconBlock.deserialize(value);
      return new Map([
        [
          first.duty.validator,
          {
            type: DutyType.proposer,
            data: { slot, blockRoot: ssz.electra.BeaconBlock.hashTreeRoot(block), encoded: value },
          },
        ],
      ]);
    }
    if (type === DutyType.syncMessage) return this.aggregation.agreeSyncRoot(slot, defs);
    if (type === DutyType.aggregator || type === DutyType.syncContribution) {
      return this.aggregation.agreeAggregation(slot, type, defs);
    }
    throw new Error(`no agreement wiring for ${type}`);
  }

  /** Same slot, same source and target as this operator's own beacon view, and slashing-safe for every validator. */
  private attestationAcceptable(value: Uint8Array, own: UnsignedData["data"], defs: DutyDefinition[]): boolean {
    const v = ssz.phase0.AttestationData.deserialize(value);
    const o = own as ReturnType<typeof ssz.phase0.AttestationData.deserialize>;
    if (v.slot !== o.slot || v.index !== 0) return false;
    if (v.source.epoch !== o.source.epoch || !Buffer.from(v.source.root).equals(o.source.root)) return false;
    if (v.target.epoch !== o.target.epoch || !Buffer.from(v.target.root).equals(o.target.root)) return false;
    const root = `0x${Buffer.from(computeDutySigningRoot(this.d.config, this.d.clock.slotsPerEpoch, { type: "attester", data: v })).toString("hex")}`;
    return defs.every(
      (def) =>
        this.d.slashingDb.wouldAcceptAttestation({
          pubkey: this.d.keys.get(def.duty.validator).pubkeyHex,
          source: BigInt(v.source.epoch),
          target: BigInt(v.target.epoch),
          signingRoot: root,
        }).ok,
    );
  }

  /** Same slot and proposer, built on the parent this operator's beacon node builds on, and slashing-safe. */
  private blockAcceptable(value: Uint8Array, own: Uint8Array, def: DutyDefinition): boolean {
    const b = ssz.electra.BeaconBlock.deserialize(value);
    const o = ssz.electra.BeaconBlock.deserialize(own);
    if (b.slot !== def.duty.slot || b.proposerIndex !== def.duty.validator) return false;
    if (!Buffer.from(b.parentRoot).equals(o.parentRoot)) return false;
    const root = computeDutySigningRoot(this.d.config, this.d.clock.slotsPerEpoch, {
      type: "proposer",
      data: { slot: b.slot, blockRoot: ssz.electra.BeaconBlock.hashTreeRoot(b), encoded: value },
    });
    return this.d.slashingDb.wouldAcceptBlock({
      pubkey: this.d.keys.get(def.duty.validator).pubkeyHex,
      slot: BigInt(b.slot),
      signingRoot: `0x${Buffer.from(root).toString("hex")}`,
    }).ok;
  }

  /** The threshold-signed RANDAO reveal the fetcher needs for a proposal (set when the randao duty combines). */
  randaoReveal(slot: number, validator: number): Uint8Array | undefined {
    return this.combined.get({ slot, type: DutyType.randao, validator });
  }

  /** What the fetcher needs from earlier duties of a slot: RANDAO reveals, selection proofs, agreed data. */
  fetcherInputs(): Required<FetcherInputs> {
    return {
      randaoReveal: (slot, validator) => this.randaoReveal(slot, validator),
      selectionProof: (duty) => this.combined.get(duty),
      attestationData: (slot) => this.aggregation.attestationData.get(slot),
      syncBlockRoot: (slot) => this.aggregation.syncRoots.get(slot),
    };
  }

  private async combine(partials: PartialSignature[]): Promise<void> {
    const duty = (partials[0] as PartialSignature).duty;
    try {
      const signature = await this.d.sigAgg.aggregate(partials);
      this.parSigDb.markDone(duty);
      this.step(duty, PipelineStep.aggregated);
      if (CONSUMED.has(duty.type)) {
        this.combined.set(duty, signature.signature);
        return;
      }
      const data = this.d.dutyDb.get(duty);
      const definition = this.d.scheduler.getDutyDefinitions(duty.slot).find((x) => dutyKey(x.duty) === dutyKey(duty));
      if (data === undefined || definition === undefined) return;
      this.queueBroadcast({ definition, data, signature });
    } catch (e) {
      this.d.logger.debug("Combining partials failed; waiting for more", {
        duty: dutyKey(duty),
        reason: (e as Error).message,
      });
    }
  }

  /** Signed messages of a slot that complete in the same tick go to the beacon node in one call. */
  private queueBroadcast(item: SignedDuty): void {
    const slot = item.definition.duty.slot;
    const list = this.toBroadcast.get(slot);
    if (list !== undefined) {
      list.push(item);
      return;
    }
    this.toBroadcast.set(slot, [item]);
    setImmediate(() => {
      const batch = this.toBroadcast.get(slot) ?? [];
      this.toBroadcast.delete(slot);
      void this.d.broadcaster.broadcastBatch(batch).then((res) => {
        for (const i of [...res.published, ...res.duplicates]) this.step(i.definition.duty, PipelineStep.broadcast);
        for (const { item, reason } of res.failed) {
          this.d.tracker.failed(item.definition.duty, "broadcast", "beacon_node");
          this.d.logger.warn("Broadcast failed", { duty: dutyKey(item.definition.duty), reason });
        }
      });
    });
  }

  private step(duty: Duty, step: string): void {
    this.d.tracker.stepDone(duty, step, this.d.clock.secondsIntoSlot(duty.slot));
  }

  private prune(slot: number): void {
    const floor = slot - KEEP_SLOTS;
    if (floor <= this.lastPruned) return;
    this.lastPruned = floor;
    this.d.dutyDb.prune(floor);
    this.parSigDb.prune(floor);
    this.d.agreement.prune(floor);
    this.d.broadcaster.prune(floor);
    this.d.tracker.prune(floor - 64);
    this.combined.prune(floor);
    this.aggregation.prune(floor, slot);
  }
}
