import type { ApiClient } from "@lodestar/api";
import { EPOCHS_PER_SYNC_COMMITTEE_PERIOD } from "@lodestar/params";
import type { Logger } from "../../logger/logger.ts";
import { type DutyDefinition, DutyType, dutyKey, type Scheduler } from "../interfaces.ts";
import { syncSubcommitteeForSlot } from "../selection/selection.ts";
import type { ValidatorKeys } from "../signer/validatorKeys.ts";
import type { SlotClock } from "./slotClock.ts";

/**
 * When each duty starts, as a fraction of its slot from the slot's start (consensus specs: attest and sync message at
 * 1/3, aggregate and contribute at 2/3). Selection proofs start half a slot early, between the previous slot's
 * attestations and aggregates: they are ready by 2/3 and stay off the proposal's critical path at the slot start.
 */
const START_FRACTION: Record<DutyType, number> = {
  [DutyType.proposer]: 0,
  [DutyType.randao]: 0,
  [DutyType.prepareAggregator]: -1 / 2,
  [DutyType.prepareSyncContribution]: -1 / 2,
  [DutyType.attester]: 1 / 3,
  [DutyType.syncMessage]: 1 / 3,
  [DutyType.aggregator]: 2 / 3,
  [DutyType.syncContribution]: 2 / 3,
  [DutyType.voluntaryExit]: 0,
  // Off the slot's critical path (the proposal at 0, attestations at 1/3).
  [DutyType.builderRegistration]: 1 / 2,
};

type EpochDuties = {
  attesterRoot: string;
  proposerRoot: string;
  /** False while a sync committee period this epoch needs could not be fetched yet (refetched next slot). */
  syncComplete: boolean;
  /** The epoch's duties as one string: a moved dependent root that changes nothing is not worth a warning. */
  fingerprint: string;
  bySlot: Map<number, DutyDefinition[]>;
};
/** A cluster validator's sync committee membership for one sync committee period. */
type SyncDuty = { validator: number; pubkey: Uint8Array; positions: readonly number[] };

/**
 * Fetches the cluster validators' duties per epoch (current and next) from the beacon node and emits each duty when
 * its start time in its slot arrives. Reorgs: every slot the duties of the current and next epoch are fetched again;
 * when a dependent root changed, that epoch's duties are replaced before anything else of it is emitted.
 */
export class BeaconScheduler implements Scheduler {
  private readonly api: ApiClient;
  private readonly clock: SlotClock;
  private readonly keys: ValidatorKeys;
  private readonly logger: Logger;
  private readonly handlers = new Set<(d: DutyDefinition) => void>();
  private readonly epochs = new Map<number, EpochDuties>();
  /** Sync committee duties per sync committee period (fixed one period ahead, so fetched once per period). */
  private readonly syncPeriods = new Map<number, SyncDuty[]>();
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Keys of next-slot duties already scheduled ahead of their slot. */
  private readonly emittedEarly = new Set<string>();
  /** Duties added by `addDuty` (voluntary exits), by slot. */
  private readonly added = new Map<number, DutyDefinition[]>();
  private slotTimer: NodeJS.Timeout | undefined;
  private stopped = true;

  constructor(opts: { api: ApiClient; clock: SlotClock; keys: ValidatorKeys; logger: Logger }) {
    this.api = opts.api;
    this.clock = opts.clock;
    this.keys = opts.keys;
    this.logger = opts.logger;
  }

  subscribeDuties(handler: (definition: DutyDefinition) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  getDutyDefinitions(slot: number): readonly DutyDefinition[] {
    const assigned = this.epochs.get(this.clock.epochOf(slot))?.bySlot.get(slot) ?? [];
    const added = this.added.get(slot);
    return added === undefined ? assigned : [...assigned, ...added];
  }

  addDuty(definition: DutyDefinition): void {
    const { slot } = definition.duty;
    const list = this.added.get(slot) ?? [];
    if (list.some((d) => dutyKey(d.duty) === dutyKey(definition.duty))) return;
    list.push(definition);
    this.added.set(slot, list);
  }

  /** Starts emitting from the next slot boundary (the current slot too, if its duties are still ahead). */
  start(): void {
    this.stopped = false;
    void this.onSlot(this.clock.currentSlot());
  }

  stop(): void {
    this.stopped = true;
    if (this.slotTimer !== undefined) clearTimeout(this.slotTimer);
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** Fetches (or refreshes) one epoch's duties; exposed for tests. Returns whether they changed. */
  async refreshEpoch(epoch: number): Promise<boolean> {
    const indices = this.keys.indices();
    const [att, prop] = await Promise.all([
      this.api.validator.getAttesterDuties({ epoch, indices }),
      this.api.validator.getProposerDuties({ epoch }),
    ]);
    const attMeta = att.meta();
    const propMeta = prop.meta();
    const attesterRoot = Buffer.from(attMeta.dependentRoot).toString("hex");
    const proposerRoot = Buffer.from(propMeta.dependentRoot).toString("hex");
    const known = this.epochs.get(epoch);
    const sameRoots = known !== undefined && known.attesterRoot === attesterRoot && known.proposerRoot === proposerRoot;
    if (sameRoots && known.syncComplete) return false;
    const bySlot = new Map<number, DutyDefinition[]>();
    const add = (d: DutyDefinition) => {
      const list = bySlot.get(d.duty.slot) ?? [];
      list.push(d);
      bySlot.set(d.duty.slot, list);
    };
    for (const d of att.value()) {
      if (!this.keys.has(d.validatorIndex, d.slot)) continue;
      const base = { pubkey: d.pubkey, committeeIndex: d.committeeIndex, committeeLength: d.committeeLength };
      for (const type of [DutyType.attester, DutyType.prepareAggregator, DutyType.aggregator]) {
        add({
          duty: { slot: d.slot, type, validator: d.validatorIndex },
          ...base,
          validatorCommitteeIndex: d.validatorCommitteeIndex,
        });
      }
    }
    // A sync committee message at `slot` is signed by the committee of `slot + 1` (it goes into that block), so the
    // last slot of a period needs the next period's committee, which a beacon node may not serve yet.
    const sync = new Map<number, SyncDuty[] | undefined>();
    for (const e of [epoch, epoch + 1]) {
      const period = Math.floor(e / EPOCHS_PER_SYNC_COMMITTEE_PERIOD);
      if (sync.has(period)) continue;
      sync.set(
        period,
        await this.syncDuties(e).catch((err: unknown) => {
          this.logger.debug("Sync committee duties not available yet", { epoch: e, reason: (err as Error).message });
          return undefined;
        }),
      );
    }
    const syncComplete = [...sync.values()].every((v) => v !== undefined);
    for (let slot = epoch * this.clock.slotsPerEpoch; slot < (epoch + 1) * this.clock.slotsPerEpoch; slot++) {
      const period = Math.floor(this.clock.epochOf(slot + 1) / EPOCHS_PER_SYNC_COMMITTEE_PERIOD);
      for (const s of sync.get(period) ?? []) {
        // Around a resharing's switch epoch only the pipeline holding the share at `slot` signs.
        if (!this.keys.has(s.validator, slot)) continue;
        const base = { pubkey: s.pubkey, syncCommitteeIndices: s.positions };
        add({ duty: { slot, type: DutyType.syncMessage, validator: s.validator }, ...base });
        const sub = syncSubcommitteeForSlot(slot, s.positions);
        if (sub === undefined) continue;
        for (const type of [DutyType.prepareSyncContribution, DutyType.syncContribution]) {
          add({ duty: { slot, type, validator: s.validator }, ...base, syncSubcommitteeIndices: [sub] });
        }
      }
    }
    for (const d of prop.value()) {
      if (!this.keys.has(d.validatorIndex, d.slot)) continue;
      add({ duty: { slot: d.slot, type: DutyType.randao, validator: d.validatorIndex }, pubkey: d.pubkey });
      add({ duty: { slot: d.slot, type: DutyType.proposer, validator: d.validatorIndex }, pubkey: d.pubkey });
    }
    const fingerprint = [...bySlot.values()]
      .flat()
      .map((d) => `${d.duty.slot}/${d.duty.type}/${d.duty.validator}/${d.committeeIndex}/${d.validatorCommitteeIndex}`)
      .join(",");
    if (known !== undefined && !sameRoots && known.fingerprint !== fingerprint) {
      this.logger.warn("Duties changed after a reorg (dependent root moved)", { epoch, attesterRoot, proposerRoot });
    }
    this.epochs.set(epoch, { attesterRoot, proposerRoot, syncComplete, fingerprint, bySlot });
    return true;
  }

  /** The cluster validators' sync committee duties of the period of `epoch`, fetched once per period. */
  private async syncDuties(epoch: number): Promise<SyncDuty[]> {
    const period = Math.floor(epoch / EPOCHS_PER_SYNC_COMMITTEE_PERIOD);
    const known = this.syncPeriods.get(period);
    if (known !== undefined) return known;
    const res = await this.api.validator.getSyncCommitteeDuties({ epoch, indices: this.keys.indices() });
    const duties = res
      .value()
      .filter((d) => this.keys.has(d.validatorIndex))
      .map((d) => ({ validator: d.validatorIndex, pubkey: d.pubkey, positions: [...d.validatorSyncCommitteeIndices] }));
    this.syncPeriods.set(period, duties);
    for (const old of this.syncPeriods.keys()) if (old < period - 1) this.syncPeriods.delete(old);
    return duties;
  }

  private async onSlot(slot: number): Promise<void> {
    if (this.stopped) return;
    const epoch = this.clock.epochOf(slot);
    try {
      await this.refreshEpoch(epoch);
      await this.refreshEpoch(epoch + 1);
    } catch (e) {
      this.logger.warn("Could not fetch duties from the beacon node; retrying next slot", { slot }, e);
    }
    for (const old of this.epochs.keys()) if (old < epoch - 1) this.epochs.delete(old);
    for (const old of this.added.keys()) if (old < slot - 1) this.added.delete(old);
    if (this.stopped) return;
    this.scheduleSlot(slot);
    const nextMs = this.clock.slotStartMs(slot + 1) - this.clock.now();
    this.slotTimer = setTimeout(() => void this.onSlot(this.clock.currentSlot()), Math.max(0, nextMs));
  }

  /**
   * Schedules the duties of `slot` that start within it and the next slot's duties that start before it (selection
   * proofs). A next-slot duty that appears only later (startup, a reorg) starts late, when its own slot begins.
   */
  private scheduleSlot(slot: number): void {
    const byStart = new Map<number, DutyDefinition[]>();
    const slotMs = this.clock.secondsPerSlot * 1000;
    const add = (d: DutyDefinition, at: number) => {
      const list = byStart.get(at) ?? [];
      list.push(d);
      byStart.set(at, list);
    };
    for (const d of this.getDutyDefinitions(slot)) {
      const fraction = START_FRACTION[d.duty.type];
      if (fraction >= 0) add(d, this.clock.slotStartMs(slot) + fraction * slotMs);
      else if (!this.emittedEarly.has(dutyKey(d.duty))) add(d, this.clock.slotStartMs(slot));
    }
    for (const d of this.getDutyDefinitions(slot + 1)) {
      const fraction = START_FRACTION[d.duty.type];
      if (fraction >= 0) continue;
      this.emittedEarly.add(dutyKey(d.duty));
      add(d, this.clock.slotStartMs(slot + 1) + fraction * slotMs);
    }
    for (const k of this.emittedEarly) if (Number(k.split("/")[0]) < slot) this.emittedEarly.delete(k);
    for (const [at, defs] of byStart) {
      // A duty whose start passed more than a slot ago is lost; one in this slot still runs (late start).
      if (this.clock.now() > at + slotMs) continue;
      const t = setTimeout(
        () => {
          this.timers.delete(t);
          if (this.stopped) return;
          for (const d of defs) for (const h of this.handlers) h(d);
        },
        Math.max(0, at - this.clock.now()),
      );
      this.timers.add(t);
    }
  }
}
