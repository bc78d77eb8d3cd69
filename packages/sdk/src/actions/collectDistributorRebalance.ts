import type { Address } from "viem";
import type { NektarWriteClient, TransactionResult } from "../client.ts";
import { transactionResult } from "../internal/contracts.ts";
import { DISTRIBUTOR, distributor } from "../internal/native.ts";
import { type SendErrorType, send } from "../internal/send.ts";

export type CollectDistributorRebalanceParameters = {
  distributor: Address;
  /** The restaking epoch a rebalance's undelegation named (`rebalanceDistributor`'s `moves[].claimEpoch`). */
  claimEpoch: bigint;
};

export type CollectDistributorRebalanceReturnType = TransactionResult & {
  /** wdivETH added back to the Distributor's idle assets (after the slashes the queued stake bore). */
  assets: bigint;
};

/** `ContractRevertedError` `NothingToClaim` before the epoch is claimable or when already collected. */
export type CollectDistributorRebalanceErrorType = SendErrorType;

/** Brings a rebalance's undelegated stake back into the Distributor's idle assets once claimable. Anyone. */
export async function collectDistributorRebalance(
  client: NektarWriteClient,
  p: CollectDistributorRebalanceParameters,
): Promise<CollectDistributorRebalanceReturnType> {
  if (p.claimEpoch <= 0n) throw new RangeError("claimEpoch must be a restaking epoch a rebalance named (> 0)");
  const sent = await send(client, DISTRIBUTOR, {
    ...distributor(p.distributor),
    functionName: "collectRebalance",
    args: [p.claimEpoch],
  });
  return { ...transactionResult(sent), assets: sent.result };
}
