import type { Address } from "viem";
import type { NektarWriteClient, TransactionResult } from "../client.ts";
import { transactionResult } from "../internal/contracts.ts";
import { DISTRIBUTOR, distributor } from "../internal/native.ts";
import { type SendErrorType, send } from "../internal/send.ts";

export type ClaimDistributorParameters = {
  distributor: Address;
  /** The restaking epoch `withdrawDistributor` returned. */
  claimEpoch: bigint;
  /** Receiver of the divETH shares (default: the caller). */
  receiver?: Address | undefined;
};

export type ClaimDistributorReturnType = TransactionResult & { divETHShares: bigint };

/** `ContractRevertedError` `NothingToClaim` before the epoch or when already claimed. */
export type ClaimDistributorErrorType = SendErrorType;

/** Claims a queued Distributor redemption (after the slashes it bore) in divETH shares. */
export async function claimDistributor(
  client: NektarWriteClient,
  p: ClaimDistributorParameters,
): Promise<ClaimDistributorReturnType> {
  const sent = await send(client, DISTRIBUTOR, {
    ...distributor(p.distributor),
    functionName: "claim",
    args: [p.claimEpoch, p.receiver ?? client.account.address],
  });
  return { ...transactionResult(sent), divETHShares: sent.result };
}
