import {
  ContractRevertedError,
  drawCluster,
  finalizeWithdrawals,
  getExitState,
  getOperatorIdByNodeIdentity,
  getPendingDraw,
  getPoolState,
  getRegistryState,
  getWithdrawalQueueState,
  type NektarContracts,
  type NektarWriteClient,
  requestExitForDemand,
  requestValidator,
} from "@nektar/sdk";
import { Counter, type Registry } from "prom-client";
import type { Address, Hex } from "viem";
import { getBlock } from "viem/actions";
import type { Logger } from "../logger/logger.ts";
import { PollLoop } from "./pollLoop.ts";

/** A validator's deposit: what `requestValidator` reserves of the pool's buffer. */
const DEPOSIT = 32n * 10n ** 18n;

/** What the pool upkeep did (also counted in `stinger_pool_upkeep_transactions_total{action}`). */
export type PoolUpkeepEvent =
  | { action: "finalized"; requests: bigint; lastFinalizedRequestId: bigint; tx: string; gasUsed: bigint }
  | { action: "requested"; requestId: bigint; tx: string; gasUsed: bigint }
  | { action: "exit-requested"; validatorId: bigint; shortfall: bigint; tx: string; gasUsed: bigint }
  | { action: "drawn"; requestId: bigint; operatorIds: number[]; tx: string; gasUsed: bigint }
  | { action: "rearmed"; requestId: bigint; drawBlock: bigint; tx: string; gasUsed: bigint };

export type PoolUpkeepTask = "finalize" | "request" | "draw" | "exit";

export type PoolUpkeepOptions = {
  /** Signs and pays for the calls: the operator's registered signer key. */
  client: NektarWriteClient;
  contracts: Pick<NektarContracts, "stakingPool" | "operatorRegistry" | "withdrawalQueue" | "withdrawalVault">;
  /** This node's identity key: the operator registered with it sets its place in the rotation. */
  nodeIdentity: Hex;
  /** Finalize withdrawal requests a report made payable (`finalizeWithdrawals`). */
  finalizeWithdrawals: boolean;
  /**
   * Request a validator whenever 32 ETH of the buffer are depositable (`requestValidator`), and draw its cluster once
   * its draw block is mined (`drawCluster`).
   */
  requestValidators: boolean;
  /**
   * Ask the oldest exit-eligible validator to exit whenever the withdrawal queue owes more than the buffer, the vault
   * and exits in flight will bring (`requestExitForDemand`; default on).
   */
  demandExits?: boolean | undefined;
  /** Seconds (execution time) each place after the turn holder waits before doing a pending task itself. */
  fallbackSeconds: bigint;
  pollIntervalMs: number;
  logger: Logger;
  metricsRegistry?: Registry | undefined;
  onEvent?: ((e: PoolUpkeepEvent) => void) | undefined;
};

/**
 * Who does a task first: the operator `key mod count + 1` (the key names the task's instance, e.g. the next request
 * id), then one operator per `fallbackSeconds` in id order. Returns this operator's place (0: its turn).
 */
export function rotationPlace(key: bigint, operatorId: bigint, operatorCount: bigint): bigint {
  if (operatorCount === 0n || operatorId === 0n) return 0n;
  const turn = (key % operatorCount) + 1n;
  return (operatorId - turn + operatorCount) % operatorCount;
}

/**
 * A task instance this node saw pending (`key`, e.g. the next request id): since when (execution time), and the pool
 * state an earlier try failed in (not retried in that same state before `retryAfter`).
 */
type Seen = { key: string; since: bigint; heldState: string | undefined; retryAfter: bigint };

/** Execution seconds a failed task waits before this node tries it again (the state usually moved on by then). */
const RETRY_SECONDS = 60n;

/**
 * The staking pool's permissionless upkeep, run by every Stinger that follows the registry:
 *
 * - **finalize withdrawals**: once an applied report made withdrawal requests payable (`finalizableRequestId` above
 *   `lastFinalizedRequestId`) and the unreserved buffer holds ether, `finalizeWithdrawals` locks their ether for the
 *   stakers to claim;
 * - **request validators**: whenever 32 ETH of the buffer are depositable (unreserved and not owed to withdrawals,
 *   which the pool serves first), `requestValidator` reserves them and freezes the bond weights; once the request's
 *   draw block is mined, `drawCluster` draws the cluster that runs the DKG from that block's RANDAO mix (or re-arms
 *   the draw if the block left `blockhash`'s reach);
 * - **exit for demand**: whenever unfinalized withdrawals owe more than the unreserved buffer, the withdrawal vault and
 *   32 ETH per exit in flight, `requestExitForDemand` asks the oldest exit-eligible validator to exit (its cluster then
 *   signs the voluntary exit: `exitUpkeep.ts`). One validator per round: the next round sees the shortfall it left.
 *
 * Sixteen nodes must not all send the same transaction: each task instance has a turn holder (`rotationPlace`), who
 * sends at once; every other node waits `place × fallbackSeconds` from when it first saw the task pending and sends
 * only if it is still pending then. The signer key pays the gas (see the README for why an operator wants to).
 */
export class PoolUpkeep {
  private readonly o: PoolUpkeepOptions;
  private readonly loop: PollLoop;
  private readonly sent: Counter<"action"> | undefined;
  private readonly gas: Counter<"action"> | undefined;
  private readonly account: Address;
  private readonly seen = new Map<PoolUpkeepTask, Seen>();
  private operatorId = 0n;

  constructor(o: PoolUpkeepOptions) {
    this.o = o;
    this.account = o.client.account.address;
    this.loop = new PollLoop({
      intervalMs: o.pollIntervalMs,
      onError: (e) => o.logger.warn("Pool upkeep round failed; retrying", {}, e),
    });
    const registers = o.metricsRegistry ? [o.metricsRegistry] : undefined;
    this.sent = registers
      ? new Counter({
          name: "stinger_pool_upkeep_transactions_total",
          help: "Pool upkeep transactions this node sent: withdrawals finalized, validators requested, exits asked for demand, failed",
          labelNames: ["action"],
          registers,
        })
      : undefined;
    this.gas = registers
      ? new Counter({
          name: "stinger_pool_upkeep_gas_used_total",
          help: "Gas this node's signer paid for the pool upkeep",
          labelNames: ["action"],
          registers,
        })
      : undefined;
  }

  run(): Promise<void> {
    this.o.logger.info("Pool upkeep started", {
      signer: this.account,
      finalizeWithdrawals: this.o.finalizeWithdrawals,
      requestValidators: this.o.requestValidators,
      demandExits: this.o.demandExits !== false,
    });
    return this.loop.run(() => this.tick());
  }

  stop(): void {
    this.loop.stop();
  }

  /** One round: finalize payable withdrawals first (the pool serves them before new validators), then request. */
  async tick(): Promise<void> {
    const { client, contracts } = this.o;
    if (this.operatorId === 0n) {
      this.operatorId = await getOperatorIdByNodeIdentity(client, { contracts, nodeIdentity: this.o.nodeIdentity });
      if (this.operatorId === 0n) return; // Not registered yet: no place in the rotation.
    }
    const [registry, latest, pending] = await Promise.all([
      getRegistryState(client, { contracts }),
      getBlock(client, { blockTag: "latest" }),
      getPendingDraw(client, { contracts }),
    ]);
    const now = latest.timestamp;
    if (this.o.finalizeWithdrawals) await this.finalize(registry.operatorCount, now);
    if (this.o.requestValidators) {
      if (pending.requestId !== 0n) {
        await this.draw(pending.requestId, pending.drawBlock, latest.number, registry.operatorCount, now);
      } else if (pending.reshareValidatorId === 0n) {
        this.seen.delete("draw");
        await this.request(registry.requestCount, registry.operatorCount, now);
      }
      // A replacement draw (resharing) holds requests back until `drawReplacement`: nothing to request meanwhile.
    }
    if (this.o.demandExits !== false) await this.exitForDemand(registry.operatorCount, now);
  }

  private async exitForDemand(operatorCount: bigint, now: bigint): Promise<void> {
    const { client, contracts, logger } = this.o;
    const x = await getExitState(client, { contracts });
    if (x.shortfall === 0n || x.nextDemandExit === undefined) {
      this.seen.delete("exit");
      return;
    }
    // The validator in line names the task: its id sets the turn, and an exit request moves the key on.
    const state = `${x.shortfall}:${x.nextDemandExit}`;
    if (!this.due("exit", x.nextDemandExit, state, operatorCount, now)) return;
    try {
      const r = await requestExitForDemand(client, { contracts, validatorId: x.nextDemandExit });
      logger.info("Validator asked to exit: withdrawals owe more than the buffer and inflows", {
        validatorId: r.validatorId.toString(),
        shortfallWei: x.shortfall.toString(),
        tx: r.hash,
      });
      this.emit({
        action: "exit-requested",
        validatorId: r.validatorId,
        shortfall: x.shortfall,
        tx: r.hash,
        gasUsed: r.gasUsed,
      });
    } catch (e) {
      // Another node asked first (the validator is no longer in line) or the demand is covered by now.
      if (
        e instanceof ContractRevertedError &&
        ["ExitAlreadyRequested", "DemandCovered", "NotNextInLine"].includes(e.errorName)
      ) {
        return;
      }
      this.failed("exit", state, now, e);
    }
  }

  /** Step 2 of a request: draws its cluster once the draw block is mined (the next block at the earliest). */
  private async draw(
    requestId: bigint,
    drawBlock: bigint,
    blockNumber: bigint,
    operatorCount: bigint,
    now: bigint,
  ): Promise<void> {
    const { client, contracts, logger } = this.o;
    if (blockNumber <= drawBlock) return;
    const state = `${drawBlock}`;
    if (!this.due("draw", requestId, state, operatorCount, now)) return;
    try {
      const r = await drawCluster(client, { contracts, requestId });
      if (r.drawn) {
        logger.info("Validator cluster drawn", { requestId: requestId.toString(), tx: r.hash });
        this.emit({ action: "drawn", requestId, operatorIds: r.operatorIds, tx: r.hash, gasUsed: r.gasUsed });
      } else {
        logger.info("Validator draw re-armed", { requestId: requestId.toString(), drawBlock: r.drawBlock.toString() });
        this.emit({ action: "rearmed", requestId, drawBlock: r.drawBlock, tx: r.hash, gasUsed: r.gasUsed });
      }
    } catch (e) {
      // Another node drew it first: the next round sees no pending draw.
      if (e instanceof ContractRevertedError && e.errorName === "NoPendingDraw") return;
      this.failed("draw", state, now, e);
    }
  }

  private async finalize(operatorCount: bigint, now: bigint): Promise<void> {
    const { client, contracts, logger } = this.o;
    const [q, pool] = await Promise.all([
      getWithdrawalQueueState(client, { contracts }),
      getPoolState(client, { contracts }),
    ]);
    if (q.finalizableRequestId <= q.lastFinalizedRequestId || pool.unreservedBufferedEther === 0n) {
      this.seen.delete("finalize");
      return;
    }
    // The first request waiting names the task: its id sets the turn, and a finalization moves the key on.
    const first = q.lastFinalizedRequestId + 1n;
    const state = `${q.finalizableRequestId}:${pool.unreservedBufferedEther}`;
    if (!this.due("finalize", first, state, operatorCount, now)) return;
    try {
      const r = await finalizeWithdrawals(client, { contracts });
      if (r.finalized === 0n) {
        // The buffer does not cover the first payable request yet: wait until the buffer or the queue changes.
        this.hold("finalize", state, now);
        logger.debug("No withdrawal request payable from the buffer yet", { first: first.toString() });
        return;
      }
      logger.info("Withdrawals finalized", {
        requests: r.finalized.toString(),
        lastFinalizedRequestId: (q.lastFinalizedRequestId + r.finalized).toString(),
        tx: r.hash,
        gasUsed: r.gasUsed.toString(),
      });
      this.emit({
        action: "finalized",
        requests: r.finalized,
        lastFinalizedRequestId: q.lastFinalizedRequestId + r.finalized,
        tx: r.hash,
        gasUsed: r.gasUsed,
      });
    } catch (e) {
      this.failed("finalize", state, now, e);
    }
  }

  private async request(requestCount: bigint, operatorCount: bigint, now: bigint): Promise<void> {
    const { client, contracts, logger } = this.o;
    const pool = await getPoolState(client, { contracts });
    if (pool.depositableEther < DEPOSIT) {
      this.seen.delete("request");
      return;
    }
    const next = requestCount + 1n;
    const state = `${pool.depositableEther}`;
    if (!this.due("request", next, state, operatorCount, now)) return;
    try {
      const r = await requestValidator(client, { contracts });
      logger.info("Validator requested", {
        requestId: r.requestId.toString(),
        drawBlock: r.drawBlock.toString(),
        tx: r.hash,
      });
      this.emit({ action: "requested", requestId: r.requestId, tx: r.hash, gasUsed: r.gasUsed });
    } catch (e) {
      // Another node requested it first: the buffer is reserved and the next round sees the next request.
      if (
        e instanceof ContractRevertedError &&
        (e.errorName === "InsufficientUnreservedBuffer" || e.errorName === "DrawPending")
      ) {
        return;
      }
      this.failed("request", state, now, e);
    }
  }

  /**
   * Whether this node acts on task instance `key` now: on its turn at once, else `place × fallbackSeconds` after it
   * first saw the instance pending; never again in a `state` an earlier try failed in (until `RETRY_SECONDS` pass).
   */
  private due(task: PoolUpkeepTask, key: bigint, state: string, operatorCount: bigint, now: bigint): boolean {
    let s = this.seen.get(task);
    if (s === undefined || s.key !== `${key}`) {
      s = { key: `${key}`, since: now, heldState: undefined, retryAfter: 0n };
      this.seen.set(task, s);
    }
    if (s.heldState === state && now < s.retryAfter) return false;
    const place = rotationPlace(key, this.operatorId, operatorCount);
    return now >= s.since + place * this.o.fallbackSeconds;
  }

  private hold(task: PoolUpkeepTask, state: string, now: bigint): void {
    const s = this.seen.get(task);
    if (s === undefined) return;
    s.heldState = state;
    s.retryAfter = now + RETRY_SECONDS;
  }

  private failed(task: PoolUpkeepTask, state: string, now: bigint, e: unknown): void {
    this.hold(task, state, now);
    this.sent?.inc({ action: `${task}_failed` });
    // Typed SDK errors carry the revert's name; the next try is after RETRY_SECONDS or once the state moves.
    const what = {
      finalize: "finalize withdrawals",
      request: "request a validator",
      draw: "draw a validator's cluster",
      exit: "ask a validator to exit",
    };
    this.o.logger.warn(`Could not ${what[task]}`, { retryInSeconds: RETRY_SECONDS.toString() }, e);
  }

  private emit(e: PoolUpkeepEvent): void {
    this.sent?.inc({ action: e.action });
    this.gas?.inc({ action: e.action }, Number(e.gasUsed));
    this.o.onEvent?.(e);
  }
}
