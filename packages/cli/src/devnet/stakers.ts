import {
  claimWithdrawal,
  depositRestake,
  getPoolState,
  getWithdrawalStatus,
  type NektarContracts,
  registerRestakingOperator,
  requestWithdrawal,
  stake,
} from "@nektar/sdk";
import { formatEther, parseEther } from "viem";
import type { DevnetClient } from "./accounts.ts";
import { DEPOSIT } from "./deposits.ts";

/**
 * The devnet's stakers: each slot one staker stakes until the pool holds `targetValidators × 32 ETH` and 2 ETH more
 * (the operators' bonds count: they are staked too), so the operators' Stinger nodes request exactly that many
 * validators (they request one whenever 32 ETH are depositable); the first staker requests a small withdrawal once
 * and claims it when an operator's node finalized it. Once the target is in, the requester registers as a restaking
 * operator and the second staker restakes 2 divETH with it, so the status screen shows restaking at work.
 */
export function createStakers(p: {
  stakers: DevnetClient[];
  requester: DevnetClient;
  contracts: NektarContracts;
  targetValidators: number;
}) {
  const { contracts } = p;
  let turn = 0;
  let funded = false;
  let withdrawalId: bigint | undefined;
  let claimed = false;
  let restaked = false;
  let restakingOperator = false;
  const staked = new Set<string>();
  const target = DEPOSIT * BigInt(p.targetValidators) + parseEther("2");
  return {
    get withdrawalClaimed() {
      return claimed;
    },
    /** One step per slot; returns what happened (for the log). */
    async step(): Promise<string[]> {
      const events: string[] = [];
      const staker = p.stakers[turn++ % p.stakers.length];
      // The first two stakers stake once whatever the pool holds: they later withdraw and restake.
      const mustStake = staker !== undefined && p.stakers.indexOf(staker) < 2 && !staked.has(staker.account.address);
      if (!funded || mustStake) {
        const pool = await getPoolState(p.requester, { contracts });
        const missing = target - pool.totalPooledEther;
        const firstTwoStaked = p.stakers.slice(0, 2).every((x) => staked.has(x.account.address));
        if (missing <= 0n && !mustStake) funded = firstTwoStaked;
        else if (staker) {
          // Whole chunks (8–16 ETH, under one deposit) while the target is not in; past it, the first two stakers'
          // once-only 3 ETH (their later 1 ETH withdrawal and 2 divETH restake), which never adds a validator.
          const amount = missing > 0n ? parseEther(String(8 + (turn % 5) * 2)) : parseEther("3");
          const r = await stake(staker, { contracts, amount });
          staked.add(staker.account.address);
          events.push(`staker ${staker.account.address} staked ${formatEther(r.amount)} ETH`);
        }
      }
      const first = p.stakers[0];
      if (first && withdrawalId === undefined && funded) {
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
      if (second && !restaked && funded) {
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
