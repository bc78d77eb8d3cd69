import {
  claimWithdrawal,
  getBalances,
  getExitState,
  getWithdrawalStatus,
  listValidators,
  type NektarContracts,
  type NektarWriteClient,
  requestWithdrawal,
} from "@nektar/sdk";
import { formatEther, parseEther } from "viem";

/** How much the demo's withdrawal exceeds what the buffer, the vault and exits in flight cover. */
const SHORTFALL = parseEther("1");
/** divETH each staker keeps. */
const KEEP = parseEther("0.01");

/**
 * `npm start -- --demo-exit`: once a distributed validator is active, the stakers (richest first) ask to withdraw 1 ETH
 * more than the buffer, the withdrawal vault and exits in flight cover. Nothing else is scripted: the operators' Stinger
 * nodes ask the oldest validator to exit (pool upkeep), its cluster signs the voluntary exit, the beacon chain pays its
 * balance to the withdrawal vault, an oracle report brings it to the pool, a node finalizes the requests and the demo
 * claims them. Each step shows as an event line.
 */
export function createExitDemo(p: { stakers: readonly NektarWriteClient[]; contracts: NektarContracts }) {
  const { contracts } = p;
  let requests: { staker: NektarWriteClient; requestId: bigint }[] | undefined;
  const claimedIds = new Set<bigint>();
  let claimed = false;
  return {
    get claimed() {
      return claimed;
    },
    /** One step per slot; returns what happened (for the log). */
    async step(): Promise<string[]> {
      if (claimed) return [];
      const reader = p.stakers[0];
      if (reader === undefined) return [];
      if (requests === undefined) {
        const { validators } = await listValidators(reader, { contracts });
        if (!validators.some((v) => v.status === "active")) return [];
        const x = await getExitState(reader, { contracts });
        const covered = x.available > x.demand ? x.available - x.demand : 0n;
        const holders = await Promise.all(
          p.stakers.map(async (s) => ({
            s,
            divETH: (await getBalances(s, { contracts, account: s.account.address })).divETH,
          })),
        );
        holders.sort((a, b) => (b.divETH > a.divETH ? 1 : b.divETH < a.divETH ? -1 : 0));
        // Each keeps a little divETH: a rebase between the read and the request must not make it ask for too much.
        const usable = holders.map((h) => ({ ...h, amount: h.divETH > KEEP ? h.divETH - KEEP : 0n }));
        const total = usable.reduce((a, h) => a + h.amount, 0n);
        if (total < covered + SHORTFALL) {
          return [
            `exit demo: the stakers hold ${formatEther(total)} divETH, not enough to exceed ${formatEther(covered)} ETH; waiting`,
          ];
        }
        requests = [];
        const lines: string[] = [];
        let remaining = covered + SHORTFALL;
        for (const h of usable) {
          if (remaining === 0n) break;
          const amount = h.amount < remaining ? h.amount : remaining;
          if (amount === 0n) continue;
          const { requestId } = await requestWithdrawal(h.s, { contracts, amount });
          requests.push({ staker: h.s, requestId });
          remaining -= amount;
          lines.push(
            `exit demo: withdrawal ${requestId} of ${formatEther(amount)} ETH requested by ${h.s.account.address}`,
          );
        }
        lines.push(
          `exit demo: withdrawals now owe 1 ETH more than the buffer and inflows cover (${formatEther(covered)} ETH): a validator must exit`,
        );
        return lines;
      }
      const lines: string[] = [];
      for (const r of requests) {
        if (claimedIds.has(r.requestId)) continue;
        const [status] = await getWithdrawalStatus(r.staker, { contracts, requestIds: [r.requestId] });
        if (!status?.isFinalized) continue;
        await claimWithdrawal(r.staker, { contracts, requestId: r.requestId });
        claimedIds.add(r.requestId);
        lines.push(`exit demo: withdrawal ${r.requestId} claimed`);
      }
      if (claimedIds.size === requests.length) {
        claimed = true;
        lines.push("exit demo: every withdrawal claimed — the exited validator's ether reached the queue");
      }
      return lines;
    },
  };
}
