import {
  claimWithdrawal,
  depositRestake,
  getPoolState,
  getWithdrawalStatus,
  type NektarContracts,
  registerRestakingOperator,
  requestValidator,
  requestWithdrawal,
  stake,
} from "@nektar/sdk";
import { parseEther } from "viem";
import type { DevnetClient } from "./accounts.ts";
import { DEPOSIT, TOP_UP } from "./deposits.ts";

/**
 * The devnet's stakers: each slot one staker stakes until `targetValidators × 32 ETH` are in; a validator is requested
 * as soon as 32 ETH are depositable (unreserved and not owed to withdrawals); the first staker requests a small withdrawal once and claims it when finalized.
 * Once the target is staked, the requester registers as a restaking operator and the second staker restakes 2 divETH
 * with it, so the status screen shows restaking at work.
 */
export function createStakers(p: {
  stakers: DevnetClient[];
  requester: DevnetClient;
  contracts: NektarContracts;
  targetValidators: number;
}) {
  const { contracts } = p;
  let turn = 0;
  let staked = 0n;
  let withdrawalId: bigint | undefined;
  let claimed = false;
  let restaked = false;
  let restakingOperator = false;
  const target = DEPOSIT * BigInt(p.targetValidators) + parseEther("2");
  return {
    get withdrawalClaimed() {
      return claimed;
    },
    /** One step per slot; returns what happened (for the log). */
    async step(): Promise<string[]> {
      const events: string[] = [];
      const staker = p.stakers[turn++ % p.stakers.length];
      if (staker && staked < target) {
        const amount = parseEther(String(8 + (turn % 5) * 2));
        const r = await stake(staker, { contracts, amount });
        staked += r.amount;
        events.push(`staker ${staker.account.address} staked ${r.amount / 10n ** 18n} ETH`);
      }
      const pool = await getPoolState(p.requester, { contracts });
      // Reserved ether holds 32 ETH per open request and 31 ETH per validator waiting for its top-up (1 ETH deposited).
      const openRequests = (pool.reservedEther - pool.pendingTopUps * TOP_UP) / DEPOSIT;
      const requested = Number(openRequests + pool.pendingTopUps + pool.depositedValidators);
      if (pool.depositableEther >= DEPOSIT && requested < p.targetValidators) {
        const r = await requestValidator(p.requester, { contracts });
        events.push(`validator ${r.requestId} requested (32 ETH reserved, 16 operators drawn)`);
      }
      const first = p.stakers[0];
      if (first && withdrawalId === undefined && staked >= target) {
        withdrawalId = (await requestWithdrawal(first, { contracts, amount: parseEther("1") })).requestId;
        events.push(`withdrawal ${withdrawalId} requested by ${first.account.address}`);
      } else if (first && withdrawalId !== undefined && !claimed) {
        const [status] = await getWithdrawalStatus(first, { contracts, requestIds: [withdrawalId] });
        if (status?.isFinalized) {
          await claimWithdrawal(first, { contracts, requestId: withdrawalId });
          claimed = true;
          events.push(`withdrawal ${withdrawalId} claimed`);
        }
      }
      const second = p.stakers[1];
      if (second && !restaked && staked >= target) {
        if (!restakingOperator) {
          await registerRestakingOperator(p.requester, { contracts, commissionBps: 1_000n });
          restakingOperator = true;
        }
        const r = await depositRestake(second, {
          contracts,
          operator: p.requester.account.address,
          amount: parseEther("2"),
        });
        restaked = true;
        events.push(
          `staker ${second.account.address} restaked 2 divETH, active from restaking epoch ${r.activationEpoch}`,
        );
      }
      return events;
    },
  };
}
