import {
  ContractRevertedError,
  drawCluster,
  ejectOperator,
  expireRequest,
  getOperatorIdByNodeIdentity,
  getOperatorStrikes,
  getPendingDraw,
  getRegistryState,
  getValidatorRequest,
  type NektarContracts,
  type NektarWriteClient,
  type ValidatorRequest,
} from "@nektar/sdk";
import { Counter, type Registry } from "prom-client";
import type { Hex } from "viem";
import { getBlock } from "viem/actions";
import type { Logger } from "../logger/logger.ts";
import { type DkgAttestor, NO_RESULT_DIGEST } from "./dkgAttestation.ts";
import { PollLoop } from "./pollLoop.ts";
import { rotationPlace } from "./poolUpkeep.ts";

/** What the DKG upkeep did (also counted in `stinger_dkg_upkeep_transactions_total{action}`). */
export type DkgUpkeepEvent =
  | { action: "expired"; requestId: bigint; missedOperatorIds: bigint[]; redraw: boolean; tx: Hex }
  | { action: "redrawn"; requestId: bigint; operatorIds: number[]; tx: Hex }
  | { action: "ejected"; operatorId: bigint; strikes: bigint; tx: Hex }
  | { action: "attested-no-result"; requestId: bigint; tx: Hex };

export type DkgUpkeepOptions = {
  /** The operator's registered signer: it attests for this node and pays for the upkeep's calls. */
  client: NektarWriteClient;
  contracts: Pick<NektarContracts, "operatorRegistry">;
  /** This node's identity key: the operator registered with it is this node's place in the rotation. */
  nodeIdentity: Hex;
  attestor: DkgAttestor;
  /** Execution seconds each place after the turn holder waits before doing a due task itself. */
  fallbackSeconds: bigint;
  /**
   * Seconds before a round's DKG timeout at which this node attests "no result" for a round of its own it has not
   * attested yet (its ceremony still running or never started, e.g. behind another request): present, not struck.
   */
  attestMarginSeconds: bigint;
  /** Operators scanned for ejectability at start (larger registries rely on the strikes this node sees happen). */
  startupScanLimit?: number | undefined;
  pollIntervalMs: number;
  logger: Logger;
  metricsRegistry?: Registry | undefined;
  onEvent?: ((e: DkgUpkeepEvent) => void) | undefined;
};

/** A drawn request past its DKG deadline with operators that did not attest: they are struck when it settles. */
type Overdue = { requestedAt: bigint; missed: bigint[] };

/**
 * The permissionless upkeep that makes a missed DKG cost the operator who missed it (run by every Stinger that follows
 * the registry):
 *
 * - **attest before the deadline**: a round of this node's own that it has not attested `attestMarginSeconds`
 *   before the DKG timeout gets a "no result" attestation (the ceremony path attests the digest or "no result" as
 *   soon as the ceremony ends: `onchainOperator.ts`);
 * - **expire**: once a drawn request passes `requestedAt + DKG_TIMEOUT` still `requested`, `expireRequest` strikes
 *   every operator that did not attest, burns 10% of its lock and redraws its seat (or expires the request after
 *   `MAX_REDRAWS`);
 * - **redraw**: the redraw is the two-step draw's second step (`drawCluster`) once its draw block is mined; its
 *   `ValidatorRequested` makes the newcomers' followers (and the remaining members') run the retried ceremony;
 * - **eject**: an operator whose strikes reached `STRIKES_TO_EJECT` within the window is ejected (`ejectOperator`).
 *
 * Each task instance has one deterministic caller first (`rotationPlace` over the registered operators, keyed by the
 * request or operator id); the other nodes follow `place × fallbackSeconds` later (execution time) if the task is
 * still due. A task another node did first reverts in simulation, which costs nothing.
 */
export class DkgUpkeep {
  private readonly o: DkgUpkeepOptions;
  private readonly loop: PollLoop;
  private readonly sent: Counter<"action"> | undefined;
  private operatorId = 0n;
  /** Requests below this id are settled (never `requested` again). */
  private lowestOpen = 1n;
  private readonly settled = new Set<bigint>();
  private readonly overdue = new Map<bigint, Overdue>();
  /** Operators to check for ejection, with the execution time they were first seen ejectable (0n: not yet). */
  private readonly ejectCandidates = new Map<bigint, bigint>();
  /** The pending redraw this node saw due, and since when (execution time). */
  private drawSeen: { requestId: bigint; drawBlock: bigint; since: bigint } | undefined;
  private scanned = false;

  constructor(o: DkgUpkeepOptions) {
    this.o = o;
    this.loop = new PollLoop({
      intervalMs: o.pollIntervalMs,
      onError: (e) => o.logger.warn("DKG upkeep round failed; retrying", {}, e as Error),
    });
    this.sent = o.metricsRegistry
      ? new Counter({
          name: "stinger_dkg_upkeep_transactions_total",
          help: "DKG upkeep transactions this node sent: requests expired, seats redrawn, operators ejected, no-result attestations at the deadline",
          labelNames: ["action"],
          registers: [o.metricsRegistry],
        })
      : undefined;
  }

  run(): Promise<void> {
    this.o.logger.info("DKG upkeep started", { signer: this.o.client.account.address });
    return this.loop.run(() => this.tick());
  }

  stop(): void {
    this.loop.stop();
  }

  /** One round over the open requests, the pending redraw and the ejection candidates. */
  async tick(): Promise<void> {
    const { client, contracts } = this.o;
    if (this.operatorId === 0n) {
      this.operatorId = await getOperatorIdByNodeIdentity(client, { contracts, nodeIdentity: this.o.nodeIdentity });
      if (this.operatorId === 0n) return; // Not registered yet: no place in the rotation, no clusters.
    }
    const [registry, latest, pending] = await Promise.all([
      getRegistryState(client, { contracts }),
      getBlock(client, { blockTag: "latest" }),
      getPendingDraw(client, { contracts }),
    ]);
    const now = latest.timestamp;
    if (!this.scanned) {
      this.scanned = true;
      const limit = BigInt(this.o.startupScanLimit ?? 1_000);
      for (let id = 1n; id <= registry.operatorCount && id <= limit; id++) this.ejectCandidates.set(id, 0n);
    }
    for (let id = this.lowestOpen; id <= registry.requestCount; id++) {
      if (this.settled.has(id)) {
        if (id === this.lowestOpen) this.lowestOpen++;
        continue;
      }
      const r = await this.requestOrUndefined(id);
      if (r === undefined) {
        // Waiting for its first draw (the pool upkeep draws it), or expired before it ever had a cluster.
        if (pending.requestId !== id) this.settled.add(id);
        continue;
      }
      if (r.status !== "requested") {
        this.settled.add(id);
        this.roundEnded(id);
        continue;
      }
      if (pending.requestId === id) {
        // Its missed seats are being redrawn: the round that missed is over.
        this.roundEnded(id);
        await this.redraw(id, pending.drawBlock, latest.number, registry.operatorCount, now);
        continue;
      }
      const ended = this.overdue.get(id);
      if (ended !== undefined && ended.requestedAt !== r.requestedAt) this.roundEnded(id);
      await this.dueRound(r, registry.dkgTimeout, registry.operatorCount, now);
    }
    if (pending.requestId === 0n) this.drawSeen = undefined;
    await this.ejectStruck(registry.operatorCount, pending.requestId !== 0n, now);
  }

  /** One drawn request in its DKG round: attest "no result" before the deadline if this node has not, expire after. */
  private async dueRound(r: ValidatorRequest, timeout: bigint, operatorCount: bigint, now: bigint): Promise<void> {
    const { o } = this;
    const deadline = r.requestedAt + timeout;
    const round = { requestId: r.requestId, requestedAt: r.requestedAt };
    const position = r.operatorIds.findIndex((id) => BigInt(id) === this.operatorId);
    const attested = (p: number) => ((r.attestedBitmap >> BigInt(p)) & 1n) === 1n;
    if (position >= 0 && !attested(position) && now + o.attestMarginSeconds >= deadline && now < deadline) {
      const out = await o.attestor.attest(round, position, NO_RESULT_DIGEST);
      if (out.outcome === "attested") {
        o.logger.warn("DKG round of this node near its timeout without a result: attested presence", {
          requestId: r.requestId.toString(),
          secondsLeft: (deadline - now).toString(),
        });
        this.emit({ action: "attested-no-result", requestId: r.requestId, tx: out.tx });
      }
    }
    if (now < deadline) return;
    const missed = r.operatorIds.flatMap((id, p) => (attested(p) ? [] : [BigInt(id)]));
    // With no attestation at all the registry blames nobody (nothing tells a staller from the others).
    this.overdue.set(r.requestId, { requestedAt: r.requestedAt, missed: missed.length === 16 ? [] : missed });
    const place = rotationPlace(r.requestId, this.operatorId, operatorCount);
    if (now < deadline + place * o.fallbackSeconds) return;
    try {
      const x = await expireRequest(o.client, { contracts: o.contracts, requestId: r.requestId });
      const missedIds = r.operatorIds.flatMap((id, p) =>
        ((x.missedBitmap >> BigInt(p)) & 1n) === 1n ? [BigInt(id)] : [],
      );
      o.logger.info(
        x.redraw
          ? "DKG timed out: operators that did not attest struck, their seats are being redrawn"
          : "DKG timed out: request expired",
        {
          requestId: r.requestId.toString(),
          missedOperatorIds: missedIds.join(",") || "none",
          penaltyUnits: x.penaltyUnits.toString(),
          tx: x.hash,
        },
      );
      this.emit({
        action: "expired",
        requestId: r.requestId,
        missedOperatorIds: missedIds,
        redraw: x.redraw,
        tx: x.hash,
      });
    } catch (e) {
      // Another node expired it first, or a draw is pending (the redraw needs the freeze): the next round retries.
      if (
        e instanceof ContractRevertedError &&
        ["InvalidStatus", "DrawPending", "RequestNotExpired"].includes(e.errorName)
      ) {
        return;
      }
      throw e;
    }
  }

  /** The second step of a redraw: `drawCluster` once the draw block is mined, by rotation. */
  private async redraw(
    requestId: bigint,
    drawBlock: bigint,
    blockNumber: bigint,
    operatorCount: bigint,
    now: bigint,
  ): Promise<void> {
    const { o } = this;
    if (blockNumber <= drawBlock) return;
    if (this.drawSeen?.requestId !== requestId || this.drawSeen.drawBlock !== drawBlock) {
      this.drawSeen = { requestId, drawBlock, since: now };
    }
    const place = rotationPlace(requestId, this.operatorId, operatorCount);
    if (now < this.drawSeen.since + place * o.fallbackSeconds) return;
    try {
      const d = await drawCluster(o.client, { contracts: o.contracts, requestId });
      if (!d.drawn) return; // Re-armed (the draw block left `blockhash`'s reach): a later round draws.
      o.logger.info("Missed DKG seats redrawn: the retried ceremony starts", {
        requestId: requestId.toString(),
        operatorIds: d.operatorIds.join(","),
        tx: d.hash,
      });
      this.emit({ action: "redrawn", requestId, operatorIds: d.operatorIds, tx: d.hash });
    } catch (e) {
      if (e instanceof ContractRevertedError && e.errorName === "NoPendingDraw") return;
      throw e;
    }
  }

  /** A round of `requestId` settled: the operators that had missed it are struck now, so check them for ejection. */
  private roundEnded(requestId: bigint): void {
    const ended = this.overdue.get(requestId);
    if (ended === undefined) return;
    this.overdue.delete(requestId);
    for (const id of ended.missed) if (!this.ejectCandidates.has(id)) this.ejectCandidates.set(id, 0n);
  }

  /** Ejects candidates at the strike limit (by rotation); drops those below it or ejected already. */
  private async ejectStruck(operatorCount: bigint, drawPending: boolean, now: bigint): Promise<void> {
    const { o } = this;
    for (const [operatorId, since] of [...this.ejectCandidates]) {
      const s = await getOperatorStrikes(o.client, { contracts: o.contracts, operatorId });
      if (!s.ejectable) {
        this.ejectCandidates.delete(operatorId);
        continue;
      }
      const seen = since === 0n ? now : since;
      this.ejectCandidates.set(operatorId, seen);
      // `ejectOperator` reverts while a draw is pending (the draw's weights are frozen): after it.
      if (drawPending) continue;
      const place = rotationPlace(operatorId, this.operatorId, operatorCount);
      if (now < seen + place * o.fallbackSeconds) continue;
      try {
        const x = await ejectOperator(o.client, { contracts: o.contracts, operatorId });
        this.ejectCandidates.delete(operatorId);
        o.logger.warn("Operator ejected: strike limit reached", {
          operatorId: operatorId.toString(),
          strikes: s.inWindow.toString(),
          tx: x.hash,
        });
        this.emit({ action: "ejected", operatorId, strikes: s.inWindow, tx: x.hash });
      } catch (e) {
        if (
          e instanceof ContractRevertedError &&
          ["OperatorIsEjected", "NotEjectable", "DrawPending"].includes(e.errorName)
        ) {
          continue;
        }
        throw e;
      }
    }
  }

  private async requestOrUndefined(requestId: bigint): Promise<ValidatorRequest | undefined> {
    try {
      return await getValidatorRequest(this.o.client, { contracts: this.o.contracts, requestId });
    } catch (e) {
      if (e instanceof ContractRevertedError && e.errorName === "UnknownRequest") return undefined;
      throw e;
    }
  }

  private emit(e: DkgUpkeepEvent): void {
    this.sent?.inc({ action: e.action });
    this.o.onEvent?.(e);
  }
}
