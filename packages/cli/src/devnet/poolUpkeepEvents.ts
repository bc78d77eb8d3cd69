import {
  getValidatorExitRequestedEvents,
  getValidatorRequestedEvents,
  getWithdrawalsFinalizedEvents,
  type NektarContracts,
  type NektarReadClient,
} from "@nektar/sdk";
import type { Address, Hex } from "viem";
import { getBlockNumber, getTransaction } from "viem/actions";

/**
 * Event lines for `npm start` as the operators' Stinger nodes run the pool's upkeep (`stinger run`'s
 * `chain/poolUpkeep.ts`): each validator request, withdrawal finalization and exit asked for withdrawal demand, with
 * the operator whose signer sent it.
 * The orchestrator itself no longer requests validators or finalizes withdrawals.
 */
export function poolUpkeepEvents(p: {
  client: NektarReadClient;
  contracts: NektarContracts;
  /** Operators' signer addresses → their 1-based devnet number (`stinger-<n>`). */
  operators: ReadonlyMap<Address, number>;
  fromBlock: bigint;
}) {
  let next = p.fromBlock;
  const sentBy = async (hash: Hex) => {
    const from = (await getTransaction(p.client, { hash })).from;
    const n = [...p.operators].find(([a]) => a.toLowerCase() === from.toLowerCase())?.[1];
    return n === undefined ? `${from} (not an operator)` : `operator ${n}'s node`;
  };
  return {
    async poll(): Promise<string[]> {
      const toBlock = await getBlockNumber(p.client, { cacheTime: 0 });
      if (toBlock < next) return [];
      const range = { contracts: p.contracts, fromBlock: next, toBlock };
      const [requested, finalized, exits] = await Promise.all([
        getValidatorRequestedEvents(p.client, range),
        getWithdrawalsFinalizedEvents(p.client, range),
        getValidatorExitRequestedEvents(p.client, range),
      ]);
      const lines: string[] = [];
      for (const e of requested) {
        // `ValidatorRequested` comes from step 2 (`drawCluster`): the sender is the node that drew the cluster.
        lines.push(
          `validator ${e.requestId} requested by ${await sentBy(e.transactionHash)} (32 ETH reserved; 16 operators drawn from a later block's RANDAO mix)`,
        );
      }
      for (const e of finalized) {
        lines.push(`withdrawals up to ${e.lastRequestId} finalized by ${await sentBy(e.transactionHash)}`);
      }
      for (const e of exits) {
        lines.push(`validator ${e.validatorId} asked to exit (${e.reason}) by ${await sentBy(e.transactionHash)}`);
      }
      next = toBlock + 1n;
      return lines;
    },
  };
}
