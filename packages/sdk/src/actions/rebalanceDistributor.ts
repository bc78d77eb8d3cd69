import { type Address, parseEventLogs } from "viem";
import type { NektarWriteClient, TransactionResult } from "../client.ts";
import { transactionResult } from "../internal/contracts.ts";
import { DISTRIBUTOR, distributor } from "../internal/native.ts";
import { type SendErrorType, send } from "../internal/send.ts";

export type RebalanceDistributorParameters = {
  distributor: Address;
  /**
   * Operators to visit in this call (default 16, the Distributor's maximum): the call is bounded by it, never by the
   * Distributor's TVL; the next call continues from where this one stopped.
   */
  maxOperators?: bigint | undefined;
};

/** One operator moved towards its strategy target: idle wdivETH delegated, or stake undelegated into the queue. */
export type DistributorMove = {
  operator: Address;
  delegated: bigint;
  undelegated: bigint;
  /** The restaking epoch from which `collectDistributorRebalance` can bring an undelegation back (0 if none). */
  claimEpoch: bigint;
};

export type RebalanceDistributorReturnType = TransactionResult & {
  /** Operators visited (moved or already on target). */
  touched: bigint;
  moves: DistributorMove[];
};

/** `ContractRevertedError` `StrategyFailed` / `InvalidWeights` when the strategy misbehaves. */
export type RebalanceDistributorErrorType = SendErrorType;

/** Moves a Distributor's delegations towards its strategy's weights, visiting at most `maxOperators` operators. Anyone. */
export async function rebalanceDistributor(
  client: NektarWriteClient,
  p: RebalanceDistributorParameters,
): Promise<RebalanceDistributorReturnType> {
  const maxOperators = p.maxOperators ?? 16n;
  if (maxOperators <= 0n) throw new RangeError("maxOperators must be at least 1");
  const d = distributor(p.distributor);
  const sent = await send(client, DISTRIBUTOR, { ...d, functionName: "rebalance", args: [maxOperators] });
  const moves = parseEventLogs({ abi: d.abi, logs: sent.receipt.logs, eventName: "Rebalanced", strict: true })
    .filter((log) => log.address.toLowerCase() === p.distributor.toLowerCase())
    .map(({ args }) => ({
      operator: args.operator,
      delegated: args.delegated,
      undelegated: args.undelegated,
      claimEpoch: args.claimEpoch,
    }));
  return { ...transactionResult(sent), touched: sent.result, moves };
}
