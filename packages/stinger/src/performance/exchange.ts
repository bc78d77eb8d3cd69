import type { ValidatorIndex } from "@lodestar/types";
import { checkPerformanceStatement, computePerformanceStatementRoot, type PerformanceStatement } from "@nektar/crypto";
import type { ValidatorKeys } from "../core/signer/validatorKeys.ts";
import { DutyMessageKind, type DutyTransport } from "../core/transport.ts";
import type { Logger } from "../logger/logger.ts";
import {
  buildProposal,
  combineStatement,
  evaluateProposal,
  type PerformanceContext,
  type PerformanceProposal,
  performanceLeader,
  type SignedView,
  type StatementPartial,
  signStatements,
  signView,
} from "./agreement.ts";
import { type FrameCounters, frameAtTime, type OracleFrames } from "./counters.ts";
import {
  chunk,
  decodePerformanceMessage,
  encodePerformanceMessage,
  MAX_BATCH_ITEMS,
  MAX_PROPOSAL_ITEMS,
  type PartialsMessage,
  PerformanceMessageType,
  type ProposalsMessage,
  type ViewsMessage,
} from "./messages.ts";
import type { PerformanceMetrics } from "./metrics.ts";
import type { PerformanceStore, SignedPerformanceStatement } from "./store.ts";

export type PerformanceExchangeOptions = {
  transport: DutyTransport;
  store: PerformanceStore;
  keys: ValidatorKeys;
  operators: number;
  threshold: number;
  /** What every statement binds: the execution chain and the accounting oracle whose frames are counted. */
  chainId: bigint;
  oracle: `0x${string}`;
  genesisForkVersion: Uint8Array;
  frameSlots: number;
  /** The oracle's frames in time when its genesis is not the beacon's (default: frames of `frameSlots` from slot 0). */
  frames?: OracleFrames;
  clock: { now(): number; currentSlot(): number; slotStartMs(slot: number): number; readonly secondsPerSlot: number };
  /** Round length; default two slots. */
  roundMs?: number;
  /** Rounds before a frame's agreement gives up; default n (every member leads each validator once). */
  maxRounds?: number;
  /** How often rounds are advanced; default half a slot. */
  tickMs?: number;
  logger: Logger;
  metrics?: PerformanceMetrics;
  /** Each statement this node combined (after it is saved). */
  onStatement?: (s: SignedPerformanceStatement) => void;
};

type PartialItem = PartialsMessage["items"][number];

/** One validator's agreement of one frame at this member. */
type ValidatorRound = {
  ctx: PerformanceContext;
  own: SignedView | undefined;
  /** Signed views by share index (first one a member sent wins; the transport proves the sender). */
  views: Map<number, SignedView>;
  proposedIn: Set<number>;
  /** A proposal that arrived before this member closed the frame (evaluated at close). */
  early: { from: number; proposal: PerformanceProposal } | undefined;
  /** Partials by statement root, then by share index. */
  partials: Map<string, { statement: PerformanceStatement; byShare: Map<number, StatementPartial> }>;
  /** The statement root each member's partial signed (an honest member signs one per validator and frame). */
  partialRoots: Map<number, string>;
  ownPartial: PartialItem | undefined;
  done: SignedPerformanceStatement | undefined;
};

type FrameRound = {
  frame: number;
  /** When round 0 starts: one slot after the frame's last slot, so every member's views have arrived. */
  t0: number;
  closed: boolean;
  validators: Map<ValidatorIndex, ValidatorRound>;
  signedRoots: Map<string, string>;
  /** Statements saved before this node (re)started, by validator pubkey hex (read once per frame). */
  saved: Map<string, SignedPerformanceStatement>;
  lastRound: number;
  gaveUp: boolean;
  /** Messages accepted per member (quota: a member cannot make this node do unbounded work for a frame). */
  received: Map<number, number>;
  answeredRounds: Set<number>;
  unsaved: SignedPerformanceStatement[];
};

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/**
 * Runs the performance agreement (`agreement.ts`) of every validator of one cluster over the cluster's duty topic
 * (`DutyMessageKind.performance`): at each frame end this member broadcasts its signed views in one batch; rounds are
 * clocked (round r of frame F starts `t0 + r · roundMs`, the same at every member), and the leader of round r for
 * validator v (`performanceLeader`) proposes the views it holds; members accept and broadcast their partial signatures
 * (with the statement's arrays, so any member can combine); each member combines ≥ threshold partials, verifies the
 * result against the validator key and saves it (`PerformanceStore`, one atomic write per tick).
 *
 * Retries: at each new round a member without a statement for v broadcasts its views (and its partial, if it signed)
 * again, so a lost message or a member that restarted is caught up, and the next leader proposes; a member that
 * already holds the statement answers such a late message with its own partial. Rounds stop after `maxRounds`.
 * Admission: only members' messages (the transport proves the sender), only for the two frames before the current
 * one, bounded batches (`messages.ts`), at most a fixed number of messages per member and frame, only validators of
 * this cluster; a view is the sender's own (its share index is the transport's sender), checked by signature when
 * proposed.
 */
export class PerformanceExchange {
  private readonly o: PerformanceExchangeOptions & { roundMs: number; maxRounds: number; tickMs: number };
  private readonly frames = new Map<number, FrameRound>();
  private timer: NodeJS.Timeout | undefined;
  private lastCombinedFrame = -1;

  constructor(opts: PerformanceExchangeOptions) {
    const slotMs = opts.clock.secondsPerSlot * 1000;
    this.o = {
      roundMs: 2 * slotMs,
      maxRounds: opts.operators,
      tickMs: Math.max(50, Math.floor(slotMs / 2)),
      ...opts,
    };
    opts.transport.onMessage(DutyMessageKind.performance, (from, payload) => this.receive(from, payload));
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.timer = setInterval(() => this.tick(), this.o.tickMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    for (const f of this.frames.values()) this.save(f);
  }

  private get shareIndex(): number {
    return this.o.keys.shareIndex;
  }

  private currentFrame(): number {
    const { frames, clock } = this.o;
    return frames === undefined
      ? Math.floor(clock.currentSlot() / this.o.frameSlots)
      : frameAtTime(clock.now() / 1000, frames);
  }

  /** When `frame` ends (ms). */
  private frameEndMs(frame: number): number {
    const { frames, clock } = this.o;
    return frames === undefined
      ? clock.slotStartMs((frame + 1) * this.o.frameSlots)
      : (frames.genesisTime + (frame + 1) * frames.frameSeconds) * 1000;
  }

  private roundAt(f: FrameRound): number {
    return Math.floor((this.o.clock.now() - f.t0) / this.o.roundMs);
  }

  /** The frame's state; undefined for a frame outside the window this node takes part in. */
  private frameRound(frame: number): FrameRound | undefined {
    let f = this.frames.get(frame);
    if (f !== undefined) return f;
    const current = this.currentFrame();
    if (frame > current || frame < current - 2) return undefined;
    f = {
      frame,
      t0: this.frameEndMs(frame) + this.o.clock.secondsPerSlot * 1000,
      closed: false,
      validators: new Map(),
      signedRoots: this.o.store.signedRoots(frame),
      saved: new Map(this.o.store.loadStatements(frame).map((st) => [hex(st.statement.validatorPubkey), st])),
      lastRound: -1,
      gaveUp: false,
      received: new Map(),
      answeredRounds: new Set(),
      unsaved: [],
    };
    this.frames.set(frame, f);
    return f;
  }

  private validatorRound(f: FrameRound, index: number): ValidatorRound | undefined {
    let v = f.validators.get(index);
    if (v !== undefined) return v;
    if (!this.o.keys.has(index)) return undefined;
    const dv = this.o.keys.get(index);
    v = {
      ctx: {
        subject: { chainId: this.o.chainId, oracle: this.o.oracle, validatorPubkey: dv.pubkey, frame: BigInt(f.frame) },
        genesisForkVersion: this.o.genesisForkVersion,
        threshold: this.o.threshold,
        validatorIndex: index,
        groupPublicKey: dv.groupPublicKey,
        sharePublicKeys: dv.sharePublicKeys,
        shareIndex: this.shareIndex,
        secretShare: dv.secretShare,
      },
      own: undefined,
      views: new Map(),
      proposedIn: new Set(),
      early: undefined,
      partials: new Map(),
      partialRoots: new Map(),
      ownPartial: undefined,
      done: f.saved.get(hex(dv.pubkey)),
    };
    f.validators.set(index, v);
    return v;
  }

  /**
   * The recorder closed `counters`' frame at this member: sign a view per validator it combined duties of and
   * broadcast them (validators that already have a saved statement are skipped).
   */
  closeFrame(counters: FrameCounters): void {
    const f = this.frameRound(counters.frame);
    if (f === undefined || f.closed) return;
    f.closed = true;
    const items: ViewsMessage["items"] = [];
    for (const index of counters.validators()) {
      const counts = counters.get(index);
      const v = this.validatorRound(f, index);
      if (v === undefined || counts === undefined || counts.duties === 0 || v.done !== undefined) continue;
      v.own = signView(v.ctx, counts);
      v.views.set(this.shareIndex, v.own);
      items.push(viewItem(index, v.own));
    }
    this.o.logger.info("Performance frame closed: views sent", { frame: f.frame, validators: items.length });
    this.send(PerformanceMessageType.views, f.frame, Math.max(0, this.roundAt(f)), items);
    const accepted: { from: number; v: ValidatorRound; proposal: PerformanceProposal }[] = [];
    for (const v of f.validators.values()) {
      if (v.early === undefined) continue;
      accepted.push({ ...v.early, v });
      v.early = undefined;
    }
    this.accept(f, accepted);
  }

  /** Advances rounds: retries, leadership, giving up, saving; forgets frames out of the window. */
  tick(): void {
    const current = this.currentFrame();
    for (const f of this.frames.values()) {
      if (f.frame < current - 2) {
        this.save(f);
        this.frames.delete(f.frame);
        continue;
      }
      if (!f.closed || f.gaveUp) {
        this.save(f);
        continue;
      }
      const round = this.roundAt(f);
      const pending = [...f.validators.values()].filter((v) => v.own !== undefined && v.done === undefined);
      if (round >= this.o.maxRounds) {
        f.gaveUp = true;
        if (pending.length > 0) {
          this.o.metrics?.statements.inc({ outcome: "gave_up" }, pending.length);
          this.o.logger.warn("No performance statement agreed", {
            frame: f.frame,
            validators: pending.map((v) => v.ctx.validatorIndex).join(","),
          });
        }
      } else if (round >= 0) {
        if (round > f.lastRound) {
          f.lastRound = round;
          if (round > 0 && pending.length > 0) {
            this.send(
              PerformanceMessageType.views,
              f.frame,
              round,
              pending.map((v) => viewItem(v.ctx.validatorIndex, v.own as SignedView)),
            );
            this.sendPartials(
              f,
              pending.flatMap((v) => (v.ownPartial === undefined ? [] : [v.ownPartial])),
            );
          }
        }
        // Every tick of the round: a leader short of threshold views at the round's start proposes once they are in.
        this.lead(f, round, pending);
      }
      this.save(f);
    }
  }

  private lead(f: FrameRound, round: number, pending: ValidatorRound[]): void {
    const n = this.o.operators;
    const items: ProposalsMessage["items"] = [];
    const mine: { from: number; v: ValidatorRound; proposal: PerformanceProposal }[] = [];
    for (const v of pending) {
      if (performanceLeader(f.frame, v.ctx.validatorIndex, round, n) !== this.shareIndex) continue;
      if (v.proposedIn.has(round) || v.views.size < this.o.threshold) continue;
      v.proposedIn.add(round);
      let proposal: PerformanceProposal;
      try {
        proposal = buildProposal(v.ctx, round, [...v.views.values()]);
      } catch (e) {
        this.o.logger.info("Cannot propose a performance statement yet", { frame: f.frame, reason: String(e) });
        continue;
      }
      items.push({
        validatorIndex: v.ctx.validatorIndex,
        views: proposal.views.map((sv) => ({
          shareIndex: sv.view.shareIndex,
          duties: sv.view.duties,
          contributed: [...sv.view.contributed],
          signature: sv.signature,
        })),
      });
      mine.push({ from: this.shareIndex, v, proposal });
    }
    for (const batch of chunk(items, MAX_PROPOSAL_ITEMS)) {
      this.broadcast(
        encodePerformanceMessage({
          type: PerformanceMessageType.proposals,
          body: { frame: f.frame, round, items: batch },
        }),
      );
    }
    this.accept(f, mine);
  }

  private receive(from: number, payload: Uint8Array): void {
    const m = decodePerformanceMessage(payload);
    if (m === undefined) {
      this.drop("malformed");
      return;
    }
    const f = this.frameRound(m.body.frame);
    if (f === undefined) {
      this.drop("frame");
      return;
    }
    const sender = from + 1;
    if (sender < 1 || sender > this.o.operators || sender === this.shareIndex) {
      this.drop("sender");
      return;
    }
    const count = (f.received.get(sender) ?? 0) + 1;
    if (count > this.quota()) {
      this.drop("quota");
      return;
    }
    f.received.set(sender, count);
    if (m.type === PerformanceMessageType.views) this.onViews(f, sender, m.body);
    else if (m.type === PerformanceMessageType.proposals) this.onProposals(f, sender, m.body);
    else this.onPartials(f, sender, m.body);
  }

  /** Messages one member may send per frame: views and partials once per round, proposals in chunks, twice over. */
  private quota(): number {
    const validators = this.o.keys.indices().length;
    const perRound = 2 * Math.ceil(validators / MAX_BATCH_ITEMS) + Math.ceil(validators / MAX_PROPOSAL_ITEMS) + 1;
    return 2 * (this.o.maxRounds + 1) * perRound;
  }

  private onViews(f: FrameRound, sender: number, body: ViewsMessage): void {
    const answer: PartialItem[] = [];
    for (const item of body.items) {
      const v = this.validatorRound(f, item.validatorIndex);
      if (v === undefined || item.contributed.length !== this.o.operators) {
        this.drop("item");
        continue;
      }
      if (v.done !== undefined) {
        if (body.round > 0 && v.ownPartial !== undefined) answer.push(v.ownPartial);
        continue;
      }
      if (v.views.has(sender)) continue;
      v.views.set(sender, {
        view: { ...v.ctx.subject, shareIndex: sender, duties: item.duties, contributed: item.contributed },
        signature: item.signature,
      });
    }
    // A member still without a statement asks again: answered once per round with this member's partials.
    if (answer.length > 0 && !f.answeredRounds.has(body.round)) {
      f.answeredRounds.add(body.round);
      this.sendPartials(f, answer);
    }
  }

  private onProposals(f: FrameRound, sender: number, body: ProposalsMessage): void {
    const latest = f.closed ? Math.max(0, this.roundAt(f)) + 1 : 1;
    if (body.round > latest) {
      this.drop("early_round");
      return;
    }
    const accepted: { from: number; v: ValidatorRound; proposal: PerformanceProposal }[] = [];
    for (const item of body.items) {
      const v = this.validatorRound(f, item.validatorIndex);
      if (v === undefined || performanceLeader(f.frame, item.validatorIndex, body.round, this.o.operators) !== sender) {
        this.drop("not_leader");
        continue;
      }
      if (v.done !== undefined) continue;
      const proposal: PerformanceProposal = {
        round: body.round,
        leader: sender,
        views: item.views.map((pv) => ({
          view: { ...v.ctx.subject, shareIndex: pv.shareIndex, duties: pv.duties, contributed: pv.contributed },
          signature: pv.signature,
        })),
      };
      if (!f.closed) v.early = { from: sender, proposal };
      else if (v.own !== undefined) accepted.push({ from: sender, v, proposal });
    }
    this.accept(f, accepted);
  }

  /** Evaluates proposals, signs the accepted statements in one batch (recorded first) and sends the partials. */
  private accept(f: FrameRound, proposals: { from: number; v: ValidatorRound; proposal: PerformanceProposal }[]): void {
    const toSign: { v: ValidatorRound; statement: PerformanceStatement }[] = [];
    for (const { from, v, proposal } of proposals) {
      if (v.own === undefined || v.done !== undefined) continue;
      const signed = f.signedRoots.get(hex(v.ctx.subject.validatorPubkey));
      const evaluation = evaluateProposal(
        v.ctx,
        from,
        proposal,
        v.own,
        signed === undefined ? undefined : Buffer.from(signed, "hex"),
      );
      if (!evaluation.ok) {
        this.o.logger.info("Performance proposal rejected", {
          frame: f.frame,
          validator: v.ctx.validatorIndex,
          reason: evaluation.reason,
        });
        continue;
      }
      toSign.push({ v, statement: evaluation.statement });
    }
    if (toSign.length === 0) return;
    let partials: StatementPartial[];
    try {
      partials = signStatements(
        toSign.map(({ v, statement }) => ({ ctx: v.ctx, statement })),
        this.o.store,
      );
    } catch (e) {
      this.o.logger.error("Could not sign performance statements", { frame: f.frame }, e);
      return;
    }
    const items: PartialItem[] = [];
    toSign.forEach(({ v, statement }, i) => {
      const p = partials[i] as StatementPartial;
      f.signedRoots.set(hex(v.ctx.subject.validatorPubkey), hex(p.statementRoot));
      v.ownPartial = {
        validatorIndex: v.ctx.validatorIndex,
        expected: [...statement.expected],
        contributed: [...statement.contributed],
        signature: p.signature,
      };
      items.push(v.ownPartial);
      this.addPartial(f, v, statement, p);
    });
    this.sendPartials(f, items);
  }

  private onPartials(f: FrameRound, sender: number, body: PartialsMessage): void {
    for (const item of body.items) {
      const v = this.validatorRound(f, item.validatorIndex);
      if (v === undefined) {
        this.drop("item");
        continue;
      }
      if (v.done !== undefined) continue;
      const statement: PerformanceStatement = {
        ...v.ctx.subject,
        expected: item.expected,
        contributed: item.contributed,
      };
      let root: Uint8Array;
      try {
        if (item.expected.length !== this.o.operators) throw new Error("share count");
        checkPerformanceStatement(statement);
        root = computePerformanceStatementRoot(statement);
      } catch {
        this.drop("item");
        continue;
      }
      this.addPartial(f, v, statement, { shareIndex: sender, signature: item.signature, statementRoot: root });
    }
  }

  private addPartial(f: FrameRound, v: ValidatorRound, statement: PerformanceStatement, p: StatementPartial): void {
    const key = hex(p.statementRoot);
    // A second, different statement signed by the same member is never needed (and bounds what a member can store).
    const first = v.partialRoots.get(p.shareIndex);
    if (first !== undefined && first !== key) {
      this.drop("second_statement");
      return;
    }
    v.partialRoots.set(p.shareIndex, key);
    let entry = v.partials.get(key);
    if (entry === undefined) {
      entry = { statement, byShare: new Map() };
      v.partials.set(key, entry);
    }
    if (entry.byShare.has(p.shareIndex)) return;
    entry.byShare.set(p.shareIndex, p);
    if (entry.byShare.size < this.o.threshold) return;
    try {
      v.done = combineStatement(v.ctx, entry.statement, [...entry.byShare.values()]);
    } catch {
      // A bad partial among them: the next valid one completes the set.
      return;
    }
    v.partials.clear();
    v.early = undefined;
    f.unsaved.push(v.done);
    const m = this.o.metrics;
    if (m !== undefined) {
      m.statements.inc({ outcome: "combined" });
      m.agreementSeconds.observe((this.o.clock.now() - (f.t0 - this.o.clock.secondsPerSlot * 1000)) / 1000);
      const s = this.shareIndex - 1;
      const expected = v.done.statement.expected[s] ?? 0;
      m.ownShareRatio.set(
        { validator: String(v.ctx.validatorIndex) },
        expected === 0 ? 0 : (v.done.statement.contributed[s] ?? 0) / expected,
      );
      this.lastCombinedFrame = Math.max(this.lastCombinedFrame, f.frame);
      m.lastFrame.set(this.lastCombinedFrame);
    }
  }

  /** Writes the statements combined since the last save (one atomic write per frame). */
  private save(f: FrameRound): void {
    if (f.unsaved.length === 0) return;
    const batch = f.unsaved;
    f.unsaved = [];
    try {
      this.o.store.saveStatements(f.frame, batch);
    } catch (e) {
      f.unsaved.push(...batch);
      this.o.logger.error("Could not save performance statements", { frame: f.frame }, e);
      return;
    }
    this.o.logger.info("Performance statements combined", { frame: f.frame, validators: batch.length });
    for (const s of batch) this.o.onStatement?.(s);
  }

  private send(type: typeof PerformanceMessageType.views, frame: number, round: number, items: ViewsMessage["items"]) {
    for (const batch of chunk(items, MAX_BATCH_ITEMS)) {
      this.broadcast(encodePerformanceMessage({ type, body: { frame, round, items: batch } }));
    }
  }

  private sendPartials(f: FrameRound, items: PartialItem[]): void {
    for (const batch of chunk(items, MAX_BATCH_ITEMS)) {
      this.broadcast(
        encodePerformanceMessage({ type: PerformanceMessageType.partials, body: { frame: f.frame, items: batch } }),
      );
    }
  }

  private broadcast(payload: Uint8Array): void {
    this.o.transport
      .broadcast(DutyMessageKind.performance, payload)
      .catch((e) => this.o.logger.warn("Could not send a performance message", {}, e));
  }

  private drop(reason: string): void {
    this.o.metrics?.dropped.inc({ reason });
  }
}

function viewItem(validatorIndex: number, sv: SignedView): ViewsMessage["items"][number] {
  return {
    validatorIndex,
    duties: sv.view.duties,
    contributed: [...sv.view.contributed],
    signature: sv.signature,
  };
}
