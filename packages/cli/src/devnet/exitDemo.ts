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

/**
 * `npm start -- --demo-exit`: once a distributed validator is active, the stakers holding the most divETH asks to
 * withdraw 1 ETH more than the buffer, the withdrawal vault and exits in flight cover. Nothing else is scripted: the
 * operators' Stinger nodes ask the oldest validator to exit (pool upkeep), its cluster signs the voluntary exit, the
 * beacon chain pays its balance to the withdrawal vault, an oracle report brings it to the pool, a node finalizes the
 * request and the demo claims it. Each step shows as an event line.
 */
export function createExitDemo(p: { stakers: readonly NektarWriteClient[]; contracts: NektarContracts }) {
  const { contracts } = p;
  let requestId: bigint | undefined;
  let staker: NektarWriteClient | undefined;
  let claimed = false;
  return {
    get claimed() {
      return claimed;
    },
    get requestId() {
      return requestId;
    },
    /** One step per slot; returns what happened (for the log). */
    async step(): Promise<string[]> {
      if (claimed) return [];
      const reader = p.stakers[0];
      if (reader === undefined) return [];
      if (requestId === undefined) {
        const { validators } = await listValidators(reader, { contracts });
        if (!validators.some((v) => v.status === "active")) return [];
        const x = await getExitState(reader, { contracts });
        const amount = x.available - x.demand + SHORTFALL;
        const balances = await Promise.all(
          p.stakers.map(async (s) => ({
            s,
            divETH: (await getBalances(s, { contracts, account: s.account.address })).divETH,
          })),
        );
        const richest = balances.sort((a, b) => (b.divETH > a.divETH ? 1 : b.divETH < a.divETH ? -1 : 0))[0];
        if (richest === undefined || richest.divETH < amount) {
          return [`exit demo: no staker holds ${formatEther(amount)} divETH to withdraw; waiting`];
        }
        staker = richest.s;
        requestId = (await requestWithdrawal(staker, { contracts, amount })).requestId;
        return [
          `exit demo: withdrawal ${requestId} of ${formatEther(amount)} ETH requested by ${staker.account.address}, ` +
            `1 ETH more than the buffer and inflows cover (${formatEther(x.available - x.demand)} ETH): a validator must exit`,
        ];
      }
      if (staker === undefined) return [];
      const [status] = await getWithdrawalStatus(staker, { contracts, requestIds: [requestId] });
      if (!status?.isFinalized) return [];
      await claimWithdrawal(staker, { contracts, requestId });
      claimed = true;
      return [`exit demo: withdrawal ${requestId} claimed — the exited validator's ether reached the queue`];
    },
  };
}
