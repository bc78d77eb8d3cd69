import type { ApiClient } from "@lodestar/api";
import {
  ContractRevertedError,
  getValidator,
  getValidatorExit,
  getValidatorIdByPubkey,
  sendWithdrawalRequest,
  settleExit,
  type ValidatorExit,
} from "@nektar/sdk";
import type { Account, Address, Chain, Hex, PublicClient, Transport, WalletClient } from "viem";
import { hexToBytes } from "viem";
import type { DutyDefinition } from "../core/interfaces.ts";
import type { Logger } from "../logger/logger.ts";
import { PollLoop } from "./pollLoop.ts";
import { CLUSTER_SIZE } from "./requestDefinition.ts";

/** Epochs between the exit request's epoch and the first slot the cluster signs the voluntary exit at. */
export const EXIT_DUTY_DELAY_EPOCHS = 2;
/** Epochs between two attempts at the voluntary exit while the beacon node does not show the validator exiting. */
export const EXIT_DUTY_RETRY_EPOCHS = 4;

/** Beacon API validator statuses from which the validator no longer needs to be asked to exit. */
const EXITING_STATUSES = new Set([
  "active_exiting",
  "active_slashed",
  "exited_unslashed",
  "exited_slashed",
  "withdrawal_possible",
  "withdrawal_done",
]);

export type ExitClock = { genesisTime: number; secondsPerSlot: number; slotsPerEpoch: number };

/**
 * The slot at which every operator of the cluster signs the voluntary exit asked for at `requestedAt` (Unix seconds),
 * as seen at `nowSlot`: the first slot of the epoch `EXIT_DUTY_DELAY_EPOCHS` after the request's, or of a later retry
 * epoch (every `EXIT_DUTY_RETRY_EPOCHS`) once that has passed. Derived from the on-chain request time only, so all
 * members pick the same slot (their partials combine only for the same duty) whenever they look.
 */
export function exitDutySlot(clock: ExitClock, requestedAt: bigint, nowSlot: number): number {
  const requestSlot = Math.max(0, Math.floor((Number(requestedAt) - clock.genesisTime) / clock.secondsPerSlot));
  const first = Math.floor(requestSlot / clock.slotsPerEpoch) + EXIT_DUTY_DELAY_EPOCHS;
  const nowEpoch = Math.floor(nowSlot / clock.slotsPerEpoch);
  // The next slot at or after now: a duty whose slot already began would start late at some members only.
  const epochsLate = Math.max(0, nowEpoch + 1 - first);
  const retries = Math.ceil(epochsLate / EXIT_DUTY_RETRY_EPOCHS);
  return (first + retries * EXIT_DUTY_RETRY_EPOCHS) * clock.slotsPerEpoch;
}

/** What this operator does for one of its validators at one look (pure; see `ExitUpkeep`). */
export type ExitAction =
  | { kind: "none" }
  | { kind: "voluntary-exit"; slot: number }
  | { kind: "withdrawal-request"; voluntaryExitSlot: number };

/**
 * Decides the exit work for one validator: nothing unless the exit manager asked for its exit and the beacon node does
 * not show it exiting yet; then the voluntary exit duty (free) at the agreed slot, and, once the EIP-7002 window has
 * passed, the EIP-7002 request, by the cluster position whose turn it is (position `p` waits `p` turns after the
 * window opens, so one operator pays the fee and the others only step in if it does not).
 */
export function planExit(input: {
  exit: ValidatorExit;
  beaconStatus: string;
  position: number;
  clock: ExitClock;
  nowSeconds: number;
  turnSeconds: number;
}): ExitAction {
  const { exit, clock } = input;
  if (exit.reason === "none" || exit.settled || EXITING_STATUSES.has(input.beaconStatus)) return { kind: "none" };
  const nowSlot = Math.floor((input.nowSeconds - clock.genesisTime) / clock.secondsPerSlot);
  const slot = exitDutySlot(clock, exit.requestedAt, nowSlot);
  const after = exit.withdrawalRequestAfter;
  if (after !== undefined && input.nowSeconds >= Number(after) + (input.position % CLUSTER_SIZE) * input.turnSeconds) {
    return { kind: "withdrawal-request", voluntaryExitSlot: slot };
  }
  return { kind: "voluntary-exit", slot };
}

export type ExitUpkeepOptions = {
  publicClient: PublicClient;
  /** Sends the EIP-7002 fallback (and pays its fee); without it the node only signs voluntary exits. */
  wallet?: WalletClient<Transport, Chain, Account> | undefined;
  contracts: { operatorRegistry: Address; withdrawalVault: Address };
  beacon: ApiClient;
  clock: ExitClock;
  /** This node's validators the beacon node knows: beacon index, key and this operator's 0-based cluster position. */
  validators: () => readonly { index: number; pubkey: Hex; position: number }[];
  /** Adds the voluntary exit duty to the duty pipeline (`Scheduler.addDuty`). */
  addDuty: (definition: DutyDefinition) => void;
  /** Gap between two positions' turns at the EIP-7002 fallback, in seconds. */
  turnSeconds: number;
  /** Most this node pays for one EIP-7002 request, in wei (default: the fee the contract reports). */
  maxFee?: bigint | undefined;
  pollIntervalMs: number;
  logger: Logger;
  now?: () => number;
};

/**
 * Exit upkeep: when the exit manager asks for one of this node's validators to exit (`ValidatorExitRequested`, read
 * back as the validator's exit record), the cluster signs a voluntary exit with the validator key through the duty
 * pipeline (free, no fee), at a slot every member derives from the request. If the beacon node still does not show the
 * validator exiting once the exit manager's voluntary exit window has passed, the operators send the EIP-7002 request
 * in turn (the caller pays the fee, normally 1 wei). A rejected fallback because another member already sent it, or
 * because the validator is exiting, is not an error. Once the oracle proved the validator withdrawn, the members settle
 * the exit in turn (`settleExit`: its 32 ETH no longer count as in flight for the withdrawal-demand trigger).
 */
export class ExitUpkeep {
  private readonly o: ExitUpkeepOptions;
  private readonly loop: PollLoop;
  private readonly scheduled = new Set<string>();
  private readonly done = new Set<string>();
  private readonly withdrawnSince = new Map<string, number>();

  constructor(o: ExitUpkeepOptions) {
    this.o = o;
    this.loop = new PollLoop({
      intervalMs: o.pollIntervalMs,
      onError: (e) => o.logger.warn("Exit upkeep failed; retrying", {}, e as Error),
    });
  }

  run(): Promise<void> {
    return this.loop.run(() => this.tick());
  }

  stop(): void {
    this.loop.stop();
  }

  /** One pass over this node's validators. */
  async tick(): Promise<void> {
    const { o } = this;
    const nowSeconds = Math.floor((o.now ?? Date.now)() / 1000);
    for (const v of o.validators()) {
      if (this.done.has(v.pubkey)) continue;
      const validatorId = await getValidatorIdByPubkey(o.publicClient, { contracts: o.contracts, pubkey: v.pubkey });
      if (validatorId === 0n) continue;
      const exit = await getValidatorExit(o.publicClient, { contracts: o.contracts, validatorId });
      if (exit.reason === "none") continue;
      if (exit.settled) {
        this.done.add(v.pubkey);
        continue;
      }
      const beaconStatus = await this.beaconStatus(v.index);
      if (o.wallet !== undefined && EXITING_STATUSES.has(beaconStatus)) {
        if (await this.settleIfWithdrawn(o.wallet, validatorId, v.position, exit, nowSeconds)) {
          this.done.add(v.pubkey);
          continue;
        }
      }
      const action = planExit({
        exit,
        beaconStatus,
        position: v.position,
        clock: o.clock,
        nowSeconds,
        turnSeconds: o.turnSeconds,
      });
      if (action.kind === "none") continue;
      const slot = action.kind === "voluntary-exit" ? action.slot : action.voluntaryExitSlot;
      const key = `${v.index}/${slot}`;
      if (!this.scheduled.has(key)) {
        this.scheduled.add(key);
        o.addDuty({ duty: { slot, type: "voluntary_exit", validator: v.index }, pubkey: hexToBytes(v.pubkey) });
        o.logger.info("Voluntary exit scheduled: the exit manager asked for it", {
          validatorId: validatorId.toString(),
          beaconIndex: v.index,
          slot,
          reason: exit.reason,
        });
      }
      if (action.kind === "withdrawal-request" && o.wallet !== undefined) {
        await this.sendFallback(o.wallet, validatorId, v.index);
      }
    }
  }

  private async sendFallback(
    wallet: WalletClient<Transport, Chain, Account>,
    validatorId: bigint,
    beaconIndex: number,
  ): Promise<void> {
    const { o } = this;
    try {
      const sent = await sendWithdrawalRequest(wallet, { contracts: o.contracts, validatorId, maxFee: o.maxFee });
      o.logger.info("EIP-7002 exit request sent: no voluntary exit within the window", {
        validatorId: validatorId.toString(),
        beaconIndex,
        fee: sent.fee.toString(),
        tx: sent.hash,
      });
    } catch (e) {
      // Another member sent it (the next one waits a window) or the beacon chain already shows the exit.
      if (e instanceof ContractRevertedError && ["WithdrawalRequestTooEarly", "AlreadyExiting"].includes(e.errorName)) {
        return;
      }
      throw e;
    }
  }

  /**
   * Settles the exit once the registry shows the validator withdrawn (the oracle proved it): cluster position `p` waits
   * `p` turns after it first saw the validator withdrawn, so one member pays the gas. True once settled (by anyone).
   */
  private async settleIfWithdrawn(
    wallet: WalletClient<Transport, Chain, Account>,
    validatorId: bigint,
    position: number,
    exit: ValidatorExit,
    nowSeconds: number,
  ): Promise<boolean> {
    const { o } = this;
    const { status } = await getValidator(o.publicClient, { contracts: o.contracts, validatorId });
    if (status !== "withdrawn") return false;
    const key = `${validatorId}`;
    const since = this.withdrawnSince.get(key) ?? nowSeconds;
    this.withdrawnSince.set(key, since);
    if (nowSeconds < since + (position % CLUSTER_SIZE) * o.turnSeconds) return false;
    try {
      const settled = await settleExit(wallet, { contracts: o.contracts, validatorId });
      o.logger.info("Exit settled: the validator's ether is in", {
        validatorId: validatorId.toString(),
        reason: exit.reason,
        tx: settled.hash,
      });
    } catch (e) {
      if (!(e instanceof ContractRevertedError && e.errorName === "ExitAlreadySettled")) throw e;
    }
    return true;
  }

  private async beaconStatus(index: number): Promise<string> {
    const res = await this.o.beacon.beacon.getStateValidator({ stateId: "head", validatorId: index });
    return res.ok ? res.value().status : "unknown";
  }
}
