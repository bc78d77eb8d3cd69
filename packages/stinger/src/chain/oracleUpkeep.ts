import type { AnchoredBeaconState, ReportTree } from "@nektar/crypto";
import {
  applyOracleReport,
  BeaconStateFetchError,
  buildOracleReport,
  ContractRevertedError,
  disputeOracleReport,
  fetchAnchoredBeaconState,
  getBeaconRoot,
  getOperatorCount,
  getOperatorIdByNodeIdentity,
  getOracleFrameSnapshot,
  getOracleLeafRequests,
  getOracleReport,
  getOracleState,
  listValidators,
  type NektarContracts,
  type NektarWriteClient,
  type OracleReportRecord,
  type OracleState,
  postOracleReport,
  proveValidatorStatus,
  requestOracleLeaf,
  revealOracleLeaf,
  snapshotOracleFrame,
  VALIDATOR_STATUSES,
  voidUnrevealedOracleReport,
} from "@nektar/sdk";
import { Counter, type Registry } from "prom-client";
import type { Address, Hex } from "viem";
import { getBlock, getBlockNumber } from "viem/actions";
import type { Logger } from "../logger/logger.ts";
import { nextDisputeStep } from "./disputeSearch.ts";
import { PollLoop } from "./pollLoop.ts";

/** What one upkeep round did (also counted in `stinger_oracle_reports_total{action}`). */
export type OracleUpkeepEvent =
  | { action: "posted"; frame: bigint; anchorTimestamp: bigint; count: bigint; balanceSum: bigint; tx: string }
  | { action: "snapshotted"; frame: bigint; anchorTimestamp: bigint; vaultPull: bigint; tx: string }
  | { action: "applied" | "rejected" | "superseded"; frame: bigint; tx: string }
  | { action: "verified"; frame: bigint; reporterOperatorId: bigint }
  | { action: "status"; validatorId: bigint; status: string; tx: string }
  | { action: "mismatch"; frame: bigint; reporterOperatorId: bigint; reason: string }
  | { action: "disputed"; frame: bigint; reporterOperatorId: bigint; tx: string };

export type OracleUpkeepOptions = {
  /** Signs posts and applies with the operator's registered signer (or owner) key, and pays their gas. */
  client: NektarWriteClient;
  contracts: Pick<NektarContracts, "accountingOracle" | "operatorRegistry" | "stakingPool" | "withdrawalVault">;
  /**
   * This operator's Beacon API URL(s) (states through `/eth/v2/debug/beacon/states`): tried in order, the next one
   * when a node fails, as the duties' beacon pool does.
   */
  beaconUrls: readonly string[];
  /** Beacon genesis time (Unix seconds): execution blocks at slot times carry the EIP-4788 roots. */
  beaconGenesisTime: bigint;
  /**
   * The beacon chain's clock, Unix seconds (default: the system clock). No slot after it has a block or a root yet,
   * so anchors are searched from here even when execution time runs ahead.
   */
  beaconNow?: () => bigint;
  /** This node's identity key: the operator registered with it is the one it reports for (looked up until found). */
  nodeIdentity: Hex;
  pollIntervalMs: number;
  logger: Logger;
  metricsRegistry?: Registry | undefined;
  onEvent?: ((e: OracleUpkeepEvent) => void) | undefined;
  /**
   * TEST ONLY (the lying-reporter e2e and `npm start --demo-lying-reporter`): this node posts, once per frame and
   * without waiting for its turn, a report whose root claims 1 ETH more than its children hold (the honest root hash),
   * and never verifies its own reports. `stinger run` sets it only with the test marker (see the README).
   */
  testOnlyLyingReporter?: boolean;
};

/**
 * This node's rebuild of a report: `ok` when root, count and sum match. A report carries no vault figure (the frame's
 * on-chain snapshot reads the vault), so everything it claims is disputable.
 */
type Verdict = { ok: boolean; tree: ReportTree; state: AnchoredBeaconState; requested: Set<bigint> };

/** Blocks scanned back for leaf requests (a report is at most four frames old). */
const LEAF_EVENT_BLOCKS = 50_000n;

function reverted(e: unknown, ...names: string[]): boolean {
  return e instanceof ContractRevertedError && names.includes(e.errorName);
}

type Anchor = { timestamp: bigint; root: Hex; state: AnchoredBeaconState };

/** Anchor candidates tried per round, newest first (a run of empty slots longer than this waits for the next block). */
const ANCHOR_CANDIDATES = 8;

/**
 * The accounting oracle's upkeep run by every Stinger that follows the registry, from its own beacon node:
 *
 * - **post**: once the current frame's anchor window is open (`ref + secondsPerSlot ≤ t < ref + frame`), the
 *   operator whose turn it is (`frame mod operatorCount + 1`) snapshots the frame on-chain if nobody has
 *   (`snapshotOracleFrame`: the anchor is that block's slot, the vault balance is read in the same transaction), then
 *   builds the sum-Merkle tree of the state the anchor's EIP-4788 root names and posts it (no vault figure: the pull
 *   is the snapshot's); every other operator falls back after half a frame plus one slot per place after the turn
 *   holder, so one honest bonded operator is enough for liveness;
 * - **verify**: every pending report of the last four frames is rebuilt from the same anchor and compared (root hash,
 *   count, balance sum). A report that differs is
 *   never applied by this node, is logged as a warning naming the frame and reporter, and is disputed automatically
 *   (`dispute`, `disputeSearch.ts`);
 * - **apply**: a verified report whose challenge window has passed is applied (anyone may; "already applied" is done).
 *
 * Gas is paid by the signer key: a report locks the operator's reporter bond and earns nothing directly, but the
 * rebase is what pays the operator's fee and keeps its own bond's divETH honest, and the fallback keeps a frame from
 * being finalized only by the dearer proofs path.
 */
export class OracleUpkeep {
  private readonly o: OracleUpkeepOptions;
  private readonly loop: PollLoop;
  private readonly counter: Counter<"action"> | undefined;
  /** `${frame}:${version}` → this node's rebuild of the report and whether it matched the posted root. */
  private readonly verdicts = new Map<string, Verdict>();
  private readonly account: Address;
  private operatorId = 0n;
  private lifecycleEpoch = -1n;
  /** The oracle's challenge window (seconds), read each round. */
  private window = 0n;
  /** Frames this node lied in (`testOnlyLyingReporter`). */
  private readonly lied = new Set<bigint>();

  constructor(o: OracleUpkeepOptions) {
    this.o = o;
    this.account = o.client.account.address;
    this.loop = new PollLoop({
      intervalMs: o.pollIntervalMs,
      onError: (e) => o.logger.warn("Oracle upkeep round failed; retrying", {}, e),
    });
    this.counter = o.metricsRegistry
      ? new Counter({
          name: "stinger_oracle_reports_total",
          help: "Accounting oracle upkeep by this node: reports posted, applied, verified, found wrong",
          labelNames: ["action"],
          registers: [o.metricsRegistry],
        })
      : undefined;
  }

  run(): Promise<void> {
    this.o.logger.info("Oracle upkeep started", { signer: this.account });
    return this.loop.run(() => this.tick());
  }

  stop(): void {
    this.loop.stop();
  }

  /** One round: verify and apply pending reports, then post the current frame's if it is this node's turn. */
  async tick(): Promise<void> {
    const { client, contracts } = this.o;
    if (this.operatorId === 0n) {
      this.operatorId = await getOperatorIdByNodeIdentity(client, { contracts, nodeIdentity: this.o.nodeIdentity });
      if (this.operatorId === 0n) return; // Not registered yet: nothing to post, nothing to verify for.
      this.o.logger.info("Oracle upkeep reporting for operator", { operatorId: this.operatorId.toString() });
    }
    const s = await getOracleState(client, { contracts });
    this.window = s.challengeWindow;
    const now = (await getBlock(client, { blockTag: "latest" })).timestamp;
    const count = await getOperatorCount(client, { contracts });
    // Frames up to the last applied one are settled; the oracle keeps the last four.
    const oldest = s.currentFrame > 3n ? s.currentFrame - 3n : 0n;
    const first = s.lastAppliedFrame + 1n > oldest ? s.lastAppliedFrame + 1n : oldest;
    let current: OracleReportRecord | undefined;
    for (let frame = first; frame <= s.currentFrame; frame++) {
      const r = await getOracleReport(client, { contracts, frame });
      if (frame === s.currentFrame) current = r;
      if (r.status !== "pending") continue;
      if (this.o.testOnlyLyingReporter && r.reporterOperatorId === this.operatorId) continue;
      try {
        await this.verifyAndApply(r, now, this.place(r.reporterOperatorId, count) * s.secondsPerSlot);
      } catch (e) {
        // One report's trouble (its anchor state pruned, a busy RPC) must not stop posting the current frame.
        this.o.logger.warn("Could not verify or settle an oracle report", { frame: frame.toString() }, e);
      }
    }
    for (const key of this.verdicts.keys()) if (BigInt(key.split(":")[0] as string) < oldest) this.verdicts.delete(key);
    if (current !== undefined) await this.maybePost(s, current, now, count);
    const ref = s.genesisTime + s.currentFrame * s.frameSeconds;
    if (now >= ref + s.secondsPerSlot + this.turnDelay(s.currentFrame, count, s)) await this.proveStatuses(s, now);
  }

  /**
   * Once per epoch (by the frame's turn holder, the others as fallback): moves every registry validator whose beacon
   * record shows a later lifecycle status (active, exiting, exited, withdrawn) forward with a beacon proof.
   */
  private async proveStatuses(s: OracleState, now: bigint): Promise<void> {
    const { client, contracts, logger } = this.o;
    const epoch = (now - this.o.beaconGenesisTime) / (s.secondsPerSlot * s.slotsPerEpoch);
    if (epoch <= this.lifecycleEpoch) return;
    const rank = (status: string) => VALIDATOR_STATUSES.indexOf(status as (typeof VALIDATOR_STATUSES)[number]);
    const { validators } = await listValidators(client, { contracts, limit: 1000n });
    // Fully deposited and not yet withdrawn: the statuses a beacon record can move forward.
    const open = validators.filter(
      (v) => v.pubkey !== undefined && rank(v.status) >= rank("deposited") && rank(v.status) <= rank("exited"),
    );
    if (open.length === 0) {
      this.lifecycleEpoch = epoch;
      return;
    }
    // The newest beacon slots: the execution clock can run ahead of the beacon chain, so the window ends at the
    // earlier of the two (an anchor window above the beacon clock would never hold a root).
    const wall = this.o.beaconNow?.() ?? BigInt(Math.floor(Date.now() / 1000));
    const top = now < wall ? now : wall;
    const anchor = await this.findAnchorIn(top - BigInt(ANCHOR_CANDIDATES) * s.secondsPerSlot, top, s.secondsPerSlot);
    if (anchor === undefined) return;
    const state = anchor.state;
    const stateEpoch = state.slotProof().slot / s.slotsPerEpoch;
    const byPubkey = new Map(open.map((v) => [(v.pubkey as string).toLowerCase(), v]));
    const indices = state.protocolLeaves((pubkey) => byPubkey.has(pubkey.toLowerCase())).map((l) => l.beaconIndex);
    for (const index of indices) {
      const record = state.validatorProof(Number(index)).validator;
      const v = byPubkey.get(record.pubkey.toLowerCase());
      if (v === undefined) continue;
      const target =
        record.withdrawableEpoch <= stateEpoch && record.effectiveBalance === 0n
          ? "withdrawn"
          : record.exitEpoch <= stateEpoch
            ? "exited"
            : record.exitEpoch !== 2n ** 64n - 1n
              ? "exiting"
              : record.activationEpoch <= stateEpoch
                ? "active"
                : "none";
      if (rank(target) <= rank(v.status)) continue;
      try {
        const sent = await proveValidatorStatus(client, {
          contracts,
          validatorId: v.validatorId,
          anchorTimestamp: anchor.timestamp,
          state,
          beaconIndex: Number(index),
        });
        logger.info("Validator status proven", {
          validatorId: v.validatorId.toString(),
          status: target,
          tx: sent.hash,
        });
        this.emit({ action: "status", validatorId: v.validatorId, status: target, tx: sent.hash });
      } catch (e) {
        // Another node proved it first.
        if (!(e instanceof ContractRevertedError && e.errorName === "NoStatusChange")) throw e;
      }
    }
    this.lifecycleEpoch = epoch;
  }

  private emit(e: OracleUpkeepEvent): void {
    this.counter?.inc({ action: e.action });
    this.o.onEvent?.(e);
  }

  /** The anchored state of `blockRoot` from the first of this node's beacon nodes that serves it. */
  private async fetchState(blockRoot: Hex): Promise<AnchoredBeaconState> {
    let last: unknown;
    for (const beaconUrl of this.o.beaconUrls) {
      try {
        return await fetchAnchoredBeaconState({ beaconUrl, blockId: blockRoot });
      } catch (e) {
        last = e;
      }
    }
    throw last;
  }

  /**
   * Verifies a pending report, then applies it (a verified one) or disputes it (a wrong one). `stagger` (this node's
   * place after the reporter, in seconds) spreads the nodes' apply and leaf-request transactions so they do not race.
   */
  private async verifyAndApply(r: OracleReportRecord, now: bigint, stagger: bigint): Promise<void> {
    const { client, contracts, logger } = this.o;
    const key = `${r.frame}:${r.version}`;
    let verdict = this.verdicts.get(key);
    if (verdict === undefined) {
      const state = await this.fetchState(r.blockRoot);
      const tree = await buildOracleReport(client, { contracts, state });
      const mine = tree.root;
      const reasons: string[] = [];
      if (mine.hash.toLowerCase() !== r.root.toLowerCase()) reasons.push(`root ${r.root} ≠ ${mine.hash}`);
      if (mine.count !== r.count) reasons.push(`count ${r.count} ≠ ${mine.count}`);
      if (mine.sum !== r.balanceSum) reasons.push(`balance sum ${r.balanceSum} gwei ≠ ${mine.sum}`);
      verdict = { ok: reasons.length === 0, tree, state, requested: new Set() };
      this.verdicts.set(key, verdict);
      if (verdict.ok) {
        logger.debug("Oracle report verified", { frame: r.frame.toString(), reporter: r.reporter });
        this.emit({ action: "verified", frame: r.frame, reporterOperatorId: r.reporterOperatorId });
      } else {
        const reason = reasons.join("; ");
        logger.warn("WRONG ORACLE REPORT: it differs from this node's beacon state; not applying it, disputing it", {
          frame: r.frame.toString(),
          version: r.version,
          reporter: r.reporter,
          reporterOperatorId: r.reporterOperatorId.toString(),
          anchor: r.blockRoot,
          disputeDeadline: r.disputeDeadline.toString(),
          reason,
        });
        this.emit({ action: "mismatch", frame: r.frame, reporterOperatorId: r.reporterOperatorId, reason });
      }
    }
    if (verdict.ok) {
      await this.answerReveals(r, verdict, now, stagger);
      if (now < r.disputeDeadline + stagger || r.openReveals > 0) return;
      try {
        const applied = await applyOracleReport(client, { contracts, frame: r.frame });
        logger.info("Oracle report applied", { frame: r.frame.toString(), outcome: applied.outcome, tx: applied.hash });
        this.emit({ action: applied.outcome, frame: r.frame, tx: applied.hash });
      } catch (e) {
        // Another node applied it first (or the window moved on a reveal): nothing left to do this round.
        if (!reverted(e, "ReportNotPending", "ChallengeWindowOpen", "RevealsOpen")) throw e;
      }
    } else {
      await this.dispute(r, verdict, stagger);
    }
  }

  /** Leaf requests on a report this node rebuilt identically: it holds the same tree, so it answers (and earns). */
  private async answerReveals(r: OracleReportRecord, v: Verdict, now: bigint, stagger: bigint): Promise<void> {
    if (r.openReveals === 0) return;
    const { client, contracts, logger } = this.o;
    for (const q of await this.leafRequests(r)) {
      // The reporter answers first, the others one slot per place later (they hold the same tree).
      if (q.answered || now >= q.deadline || now < q.deadline - this.window + stagger) continue;
      try {
        const sent = await revealOracleLeaf(client, { contracts, frame: r.frame, position: q.position, tree: v.tree });
        logger.info("Oracle leaf revealed", {
          frame: r.frame.toString(),
          position: q.position.toString(),
          tx: sent.hash,
        });
      } catch (e) {
        if (!reverted(e, "NoOpenReveal", "RevealDeadline", "ReportNotPending")) throw e;
      }
    }
  }

  /**
   * Disputes a report this node's rebuild contradicts, without the reporter's tree: it asks for leaf openings
   * (`requestOracleLeaf`) where `nextDisputeStep` points — down the reporter's tree towards the shallowest node that
   * differs from this node's, O(log n) requests — and disputes as soon as the openings show an on-chain-checkable fact
   * (a leaf's facts, count/sum, position or registry bound, two leaves out of order, a validator missing between
   * them, an inner node whose counts are not its children's). An opening left unanswered voids the report after a
   * window (`voidUnrevealedOracleReport`): a reporter cannot open a leaf under a node whose sums it invented.
   */
  private async dispute(r: OracleReportRecord, v: Verdict, stagger: bigint): Promise<void> {
    const { client, contracts, logger } = this.o;
    // Rebuilding the tree can take seconds under load: decide on the chain's time now, not the round's start.
    const [requests, now] = await Promise.all([
      this.leafRequests(r),
      getBlock(client, { blockTag: "latest" }).then((b) => b.timestamp),
    ]);
    const frame = r.frame.toString();
    for (const q of requests) {
      if (q.answered) continue;
      if (now < q.deadline + stagger) return; // Wait for the answer (or its absence).
      try {
        const sent = await voidUnrevealedOracleReport(client, { contracts, frame: r.frame, position: q.position });
        logger.warn("Wrong oracle report voided: its leaf was not revealed", { frame, tx: sent.hash });
        this.emit({ action: "disputed", frame: r.frame, reporterOperatorId: r.reporterOperatorId, tx: sent.hash });
      } catch (e) {
        if (!reverted(e, "ReportNotPending", "NoOpenReveal")) throw e;
      }
      return;
    }
    if (now >= r.disputeDeadline) return;
    const openings = requests.flatMap((q) =>
      q.revealed === undefined ? [] : [{ position: Number(q.position), ...q.revealed }],
    );
    const next = nextDisputeStep({
      root: { hash: r.root, count: r.count, sum: r.balanceSum },
      honest: v.tree,
      openings,
      requested: new Set(requests.map((q) => Number(q.position))),
      state: v.state,
      validatorCount: Number(v.state.validatorsRootProof().length),
    });
    if (next.step === "dispute") {
      // Disputes race harmlessly (the first voids, the others revert): still, one slot per place after the reporter.
      if (now < r.disputeDeadline - this.window + stagger && openings.length === 0) return;
      try {
        const sent = await disputeOracleReport(client, { contracts, frame: r.frame, dispute: next.dispute });
        logger.warn("Wrong oracle report disputed", { frame, kind: next.dispute.kind, tx: sent.hash });
        this.emit({ action: "disputed", frame: r.frame, reporterOperatorId: r.reporterOperatorId, tx: sent.hash });
      } catch (e) {
        if (!reverted(e, "ReportNotPending", "ChallengeWindowClosed")) throw e;
      }
      return;
    }
    if (next.step === "manual") {
      if (!v.requested.has(-1n)) {
        v.requested.add(-1n);
        logger.warn("WRONG ORACLE REPORT needs a manual dispute", {
          frame,
          reporter: r.reporter,
          disputeDeadline: r.disputeDeadline.toString(),
          reason: next.reason,
        });
      }
      return;
    }
    const position = BigInt(next.position);
    if (v.requested.has(position)) return;
    // The node right after the reporter asks first; the others only if it has not after their place.
    if (now < r.disputeDeadline - this.window + stagger) return;
    v.requested.add(position);
    try {
      const sent = await requestOracleLeaf(client, { contracts, frame: r.frame, position });
      logger.info("Oracle leaf requested", { frame, position: position.toString(), tx: sent.hash });
    } catch (e) {
      if (!reverted(e, "RevealAlreadyRequested", "ReportNotPending", "ChallengeWindowClosed")) throw e;
    }
  }

  private async leafRequests(r: OracleReportRecord) {
    const latest = await getBlockNumber(this.o.client, { cacheTime: 0 });
    const fromBlock = latest > LEAF_EVENT_BLOCKS ? latest - LEAF_EVENT_BLOCKS : 0n;
    return getOracleLeafRequests(this.o.client, {
      contracts: this.o.contracts,
      frame: r.frame,
      version: r.version,
      fromBlock,
    });
  }

  /** This node's place after operator `after` in the rotation (1 … count-1; 0 for itself). */
  place(after: bigint, count: bigint): bigint {
    if (count === 0n || after === 0n) return 0n;
    return (this.operatorId - after + count) % count;
  }

  /** Seconds after the anchor window opens before this operator posts: 0 on its turn, else half a frame and its place. */
  turnDelay(frame: bigint, operatorCount: bigint, s: Pick<OracleState, "frameSeconds" | "secondsPerSlot">): bigint {
    if (operatorCount === 0n) return 0n;
    const turn = (frame % operatorCount) + 1n;
    if (turn === this.operatorId) return 0n;
    return s.frameSeconds / 2n + this.place(turn, operatorCount) * s.secondsPerSlot;
  }

  private async maybePost(s: OracleState, r: OracleReportRecord, now: bigint, count: bigint): Promise<void> {
    const { client, contracts, logger } = this.o;
    // A rejected report (beyond the share-rate limits) is not re-posted in its frame: the next frame reports again.
    if (r.status !== "none" && r.status !== "voided") return;
    if (s.currentFrame <= s.lastAppliedFrame) return;
    const ref = s.genesisTime + s.currentFrame * s.frameSeconds;
    const opens = ref + s.secondsPerSlot;
    const lie = this.o.testOnlyLyingReporter === true && !this.lied.has(s.currentFrame);
    if (now < opens + (lie ? 0n : this.turnDelay(s.currentFrame, count, s))) return;
    const anchor = await this.frameAnchor(s.currentFrame);
    if (anchor === undefined) return;
    const tree = await buildOracleReport(client, { contracts, state: anchor.state });
    if (lie) {
      this.lied.add(s.currentFrame);
      const root = { ...tree.root, sum: tree.root.sum + 1_000_000_000n };
      const posted = await postOracleReport(client, {
        contracts,
        frame: s.currentFrame,
        anchorTimestamp: anchor.timestamp,
        root,
      }).catch((e: unknown) => {
        logger.warn("TEST ONLY: could not post the lying report", { frame: s.currentFrame.toString() }, e);
        return undefined;
      });
      if (posted === undefined) return;
      logger.warn("TEST ONLY: posted a LYING oracle report (root sum + 1 ETH)", {
        frame: s.currentFrame.toString(),
        tx: posted.hash,
      });
      this.emit({
        action: "posted",
        frame: s.currentFrame,
        anchorTimestamp: anchor.timestamp,
        count: root.count,
        balanceSum: root.sum,
        tx: posted.hash,
      });
      return;
    }
    try {
      const posted = await postOracleReport(client, {
        contracts,
        frame: s.currentFrame,
        anchorTimestamp: anchor.timestamp,
        root: tree.root,
      });
      logger.info("Oracle report posted", {
        frame: s.currentFrame.toString(),
        anchor: anchor.timestamp.toString(),
        count: tree.root.count.toString(),
        balanceSumGwei: tree.root.sum.toString(),
        tx: posted.hash,
      });
      this.emit({
        action: "posted",
        frame: s.currentFrame,
        anchorTimestamp: anchor.timestamp,
        count: tree.root.count,
        balanceSum: tree.root.sum,
        tx: posted.hash,
      });
    } catch (e) {
      // Someone else's report landed first, or the frame moved on: the next round verifies or posts the next one.
      if (
        e instanceof ContractRevertedError &&
        ["FrameAlreadyReported", "NotCurrentFrame", "FrameAlreadyFinalized"].includes(e.errorName)
      ) {
        return;
      }
      throw e;
    }
  }

  /**
   * The frame's anchor: its on-chain snapshot (`snapshotOracleFrame`, taken by this node when there is none yet — it
   * is this node's turn to post, so it anchors the frame) and the anchored state, once the EIP-4788 root of the
   * snapshot's slot exists and this node's beacon node serves its state; undefined until then (the next round retries).
   */
  private async frameAnchor(frame: bigint): Promise<Anchor | undefined> {
    const { client, contracts, logger } = this.o;
    let { anchorTimestamp } = await getOracleFrameSnapshot(client, { contracts, frame });
    if (anchorTimestamp === 0n) {
      try {
        const taken = await snapshotOracleFrame(client, { contracts, frame });
        logger.info("Oracle frame snapshotted", {
          frame: frame.toString(),
          anchor: taken.anchorTimestamp.toString(),
          vaultPullWei: taken.vaultPull.toString(),
          tx: taken.hash,
        });
        this.emit({
          action: "snapshotted",
          frame,
          anchorTimestamp: taken.anchorTimestamp,
          vaultPull: taken.vaultPull,
          tx: taken.hash,
        });
        anchorTimestamp = taken.anchorTimestamp;
      } catch (e) {
        // Another node anchored it first, or the frame's last slot came (the next frame reports).
        if (reverted(e, "FrameAlreadySnapshotted", "AnchorOutsideFrame", "NotCurrentFrame", "FrameAlreadyFinalized")) {
          return undefined;
        }
        throw e;
      }
    }
    const root = await getBeaconRoot(client, { timestamp: anchorTimestamp });
    if (root === undefined) return undefined; // The snapshot's slot has no root on the execution chain yet.
    try {
      return { timestamp: anchorTimestamp, root, state: await this.fetchState(root) };
    } catch (e) {
      if (!(e instanceof BeaconStateFetchError)) throw e;
      logger.debug("Anchor root unknown to the beacon node yet", { timestamp: anchorTimestamp.toString(), root });
      return undefined;
    }
  }

  /** The newest slot time in `[lo, hi]` whose execution block has an EIP-4788 root (a few slots back at most). */
  private async findAnchorIn(lo: bigint, hi: bigint, sps: bigint): Promise<Anchor | undefined> {
    const g = this.o.beaconGenesisTime;
    // Execution time can run ahead of the beacon chain (a local node mines a block per transaction, each a second
    // later): slots after the wall clock have no block and no root yet, so the search starts at the wall clock.
    const wall = this.o.beaconNow?.() ?? BigInt(Math.floor(Date.now() / 1000));
    const top = hi < wall ? hi : wall;
    if (top < g) return undefined;
    let t = g + ((top - g) / sps) * sps;
    for (let i = 0; i < ANCHOR_CANDIDATES && t >= lo; i++, t -= sps) {
      const root = await getBeaconRoot(this.o.client, { timestamp: t });
      if (root === undefined) continue;
      try {
        const state = await this.fetchState(root);
        return { timestamp: t, root, state };
      } catch (e) {
        // A root this beacon node does not know (another chain's, or not imported yet): try an older slot.
        if (!(e instanceof BeaconStateFetchError)) throw e;
        this.o.logger.debug("Anchor root unknown to the beacon node", { timestamp: t.toString(), root });
      }
    }
    return undefined;
  }
}
