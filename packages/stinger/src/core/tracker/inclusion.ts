import type { ApiClient } from "@lodestar/api";
import type { electra } from "@lodestar/types";
import type { Logger } from "../../logger/logger.ts";
import { type DutyDefinition, DutyType, dutyKey, type InclusionTracker } from "../interfaces.ts";
import type { SlotClock } from "../scheduler/slotClock.ts";
import type { DutyTracker } from "./tracker.ts";

/** The parts of a block the checker reads (Electra and later). */
export type BlockView = {
  readonly slot: number;
  readonly proposerIndex: number;
  readonly attestations: readonly Pick<electra.Attestation, "data" | "aggregationBits" | "committeeBits">[];
  readonly syncCommitteeBits: { get(index: number): boolean };
};

type Watched = { definition: DutyDefinition; deadline: number };

/** Blocks read per check at most (a node that fell far behind catches up over several slots). */
const MAX_BLOCKS_PER_CHECK = 16;

/**
 * Judges the cluster's duties from canonical blocks read over the standard Beacon API (`getBlockV2` per slot), so the
 * outcome is what the chain says, whoever in the cluster submitted:
 * - attestation of slot s: included when a block's attestation for s has the validator's aggregation bit set in its
 *   committee; missed after the last slot it may be included in (end of epoch(s) + 1, EIP-7045);
 * - sync committee message of slot s: included when the block of s + 1 has the validator's sync committee bits set;
 *   missed when that block lacks them or slot s + 1 is empty;
 * - proposal of slot s: included when the canonical block of s has the validator as proposer.
 * A slot's block is read once its slot is over (half a slot into the next); later reorgs do not revise a judgement.
 */
export class InclusionChecker implements InclusionTracker {
  private readonly api: ApiClient;
  private readonly clock: SlotClock;
  private readonly tracker: DutyTracker;
  private readonly logger: Logger;
  private readonly watched = new Map<string, Watched>();
  /** Committee lengths of a slot (index → length), for the offset of a committee in Electra's concatenated bits. */
  private readonly committeeLengths = new Map<number, Map<number, number>>();
  /** Slots whose committees were asked for (once, answered or not). */
  private readonly committeesRead = new Set<number>();
  private nextSlot: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(opts: { api: ApiClient; clock: SlotClock; tracker: DutyTracker; logger: Logger }) {
    this.api = opts.api;
    this.clock = opts.clock;
    this.tracker = opts.tracker;
    this.logger = opts.logger;
  }

  /** Follows a scheduled duty (attester, sync message, proposer; other types are ignored). */
  watch(definition: DutyDefinition): void {
    const { duty } = definition;
    let deadline: number;
    if (duty.type === DutyType.attester) {
      if (definition.committeeIndex === undefined || definition.validatorCommitteeIndex === undefined) return;
      deadline = (this.clock.epochOf(duty.slot) + 2) * this.clock.slotsPerEpoch - 1;
    } else if (duty.type === DutyType.syncMessage) {
      if (definition.syncCommitteeIndices === undefined || definition.syncCommitteeIndices.length === 0) return;
      deadline = duty.slot + 1;
    } else if (duty.type === DutyType.proposer) {
      deadline = duty.slot;
    } else {
      return;
    }
    this.watched.set(dutyKey(duty), { definition, deadline });
    if (definition.committeeIndex !== undefined && definition.committeeLength !== undefined) {
      const lengths = this.committeeLengths.get(duty.slot) ?? new Map<number, number>();
      lengths.set(definition.committeeIndex, definition.committeeLength);
      this.committeeLengths.set(duty.slot, lengths);
    }
    if (this.nextSlot === undefined || duty.slot < this.nextSlot) this.nextSlot = duty.slot;
  }

  /** Number of duties still waiting for a judgement. */
  get pending(): number {
    return this.watched.size;
  }

  start(): void {
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
  }

  /** Reads the blocks up to `uptoSlot` not read yet and judges what they decide. Exposed for tests. */
  async check(uptoSlot: number): Promise<void> {
    if (this.watched.size === 0) this.nextSlot = undefined;
    if (this.nextSlot === undefined) return;
    const last = Math.min(uptoSlot, this.nextSlot + MAX_BLOCKS_PER_CHECK - 1);
    for (let slot = this.nextSlot; slot <= last; slot++) {
      const block = await this.readBlock(slot);
      if (block === undefined) return; // beacon node unreachable: retry from this slot next time
      if (block !== null) await this.learnCommitteeLengths(block);
      this.observeBlock(slot, block);
      this.nextSlot = slot + 1;
    }
  }

  /** Applies one slot's canonical block (`null`: the slot is empty) to the watched duties. Pure; exposed for tests. */
  observeBlock(slot: number, block: BlockView | null): void {
    for (const [key, w] of this.watched) {
      const { duty } = w.definition;
      if (duty.slot > slot) continue;
      if (block !== null && this.includes(block, w.definition)) {
        this.tracker.included(duty, slot);
        this.watched.delete(key);
      } else if (w.deadline <= slot) {
        this.tracker.missed(duty);
        this.watched.delete(key);
      }
    }
    for (const s of this.committeeLengths.keys()) {
      if (s >= slot - 2 * this.clock.slotsPerEpoch) continue;
      this.committeeLengths.delete(s);
      this.committeesRead.delete(s);
    }
  }

  private includes(block: BlockView, def: DutyDefinition): boolean {
    const { duty } = def;
    switch (duty.type) {
      case DutyType.proposer:
        return block.slot === duty.slot && block.proposerIndex === duty.validator;
      case DutyType.syncMessage:
        return (
          block.slot === duty.slot + 1 && (def.syncCommitteeIndices ?? []).some((p) => block.syncCommitteeBits.get(p))
        );
      case DutyType.attester:
        return block.slot > duty.slot && block.attestations.some((a) => this.attestationIncludes(a, def));
      default:
        return false;
    }
  }

  /** Electra: aggregation bits are the concatenation of the bits of every committee set in `committeeBits`. */
  private attestationIncludes(att: BlockView["attestations"][number], def: DutyDefinition): boolean {
    const committee = def.committeeIndex as number;
    if (att.data.slot !== def.duty.slot || !att.committeeBits.get(committee)) return false;
    let offset = 0;
    const lengths = this.committeeLengths.get(def.duty.slot);
    for (const c of att.committeeBits.getTrueBitIndexes()) {
      if (c === committee) break;
      const length = lengths?.get(c);
      // A committee before ours that no cluster validator sits in: its length is unknown here, so is our offset.
      if (length === undefined) return false;
      offset += length;
    }
    const position = offset + (def.validatorCommitteeIndex as number);
    return position < att.aggregationBits.bitLen && att.aggregationBits.get(position);
  }

  /**
   * Electra blocks pack several committees into one attestation; the position of a cluster validator's bit depends on
   * the lengths of the committees before its own. Those not known from the cluster's duties are read once per slot
   * with `getEpochCommittees` (filtered by slot); a beacon node that does not serve it leaves them unknown.
   */
  private async learnCommitteeLengths(block: BlockView): Promise<void> {
    const watchedSlots = new Set<number>();
    for (const w of this.watched.values())
      if (w.definition.duty.type === DutyType.attester) watchedSlots.add(w.definition.duty.slot);
    for (const att of block.attestations) {
      const slot = att.data.slot;
      if (!watchedSlots.has(slot) || this.committeesRead.has(slot)) continue;
      const known = this.committeeLengths.get(slot);
      const committees = att.committeeBits.getTrueBitIndexes();
      // Our committees are the known ones; an unknown committee before the last of ours shifts our bits.
      const lastOurs = Math.max(-1, ...committees.filter((c) => known?.has(c)));
      if (!committees.some((c) => c < lastOurs && known?.has(c) !== true)) continue;
      this.committeesRead.add(slot);
      try {
        const res = await this.api.beacon.getEpochCommittees({
          stateId: "head",
          epoch: this.clock.epochOf(slot),
          slot,
        });
        if (!res.ok) continue;
        const lengths = known ?? new Map<number, number>();
        for (const c of res.value()) if (c.slot === slot) lengths.set(c.index, c.validators.length);
        this.committeeLengths.set(slot, lengths);
      } catch (e) {
        this.logger.debug("Inclusion check: committees not readable", { slot, reason: (e as Error).message });
      }
    }
  }

  /** The canonical block of a slot, `null` if the slot is empty, `undefined` if the beacon node did not answer. */
  private async readBlock(slot: number): Promise<BlockView | null | undefined> {
    try {
      const res = await this.api.beacon.getBlockV2({ blockId: slot });
      if (res.status === 404) return null;
      if (!res.ok) {
        this.logger.debug("Inclusion check: block not readable", { slot, status: res.status });
        return undefined;
      }
      const message = res.value().message as electra.BeaconBlock;
      return {
        slot: message.slot,
        proposerIndex: message.proposerIndex,
        attestations: message.body.attestations,
        syncCommitteeBits: message.body.syncAggregate.syncCommitteeBits,
      };
    } catch (e) {
      this.logger.debug("Inclusion check: beacon node unreachable", { slot, reason: (e as Error).message });
      return undefined;
    }
  }

  private schedule(): void {
    if (!this.running) return;
    const current = this.clock.currentSlot();
    const at = this.clock.slotStartMs(current) + (this.clock.secondsPerSlot * 1000) / 2;
    const delay =
      at > this.clock.now() ? at - this.clock.now() : at + this.clock.secondsPerSlot * 1000 - this.clock.now();
    this.timer = setTimeout(() => {
      void this.check(this.clock.currentSlot() - 1).finally(() => this.schedule());
    }, delay);
  }
}
