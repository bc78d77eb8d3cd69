import type { Address } from "viem";
import { getContractEvents } from "viem/actions";
import type { NektarReadClient, WithContracts } from "../client.ts";
import { RpcError } from "../errors/contract.ts";
import { withdrawalQueue } from "../internal/contracts.ts";
import type { ReadErrorType } from "../internal/read.ts";
import { getWithdrawalStatus, type WithdrawalStatus } from "./getWithdrawalStatus.ts";

export type GetWithdrawalRequestsParameters = WithContracts<"withdrawalQueue"> & {
  /** Whose receipts. */
  owner: Address;
  /** First block to scan (the manifest's `deploymentBlock`). */
  fromBlock: bigint;
  /** Last block, inclusive (default: the latest). */
  toBlock?: bigint | undefined;
};

/** The owner's unclaimed requests, oldest first (a receipt transferred away or claimed is not listed). */
export type GetWithdrawalRequestsReturnType = WithdrawalStatus[];

export type GetWithdrawalRequestsErrorType = ReadErrorType;

/**
 * The withdrawal receipts an account holds now: every receipt ever sent to it (the ERC-721 `Transfer` logs, one
 * `eth_getLogs`), read again so that receipts it transferred on or claimed drop out.
 */
export async function getWithdrawalRequests(
  client: NektarReadClient,
  p: GetWithdrawalRequestsParameters,
): Promise<GetWithdrawalRequestsReturnType> {
  const logs = await getContractEvents(client, {
    ...withdrawalQueue(p.contracts),
    eventName: "Transfer",
    args: { to: p.owner },
    fromBlock: p.fromBlock,
    ...(p.toBlock === undefined ? {} : { toBlock: p.toBlock }),
    strict: true,
  }).catch((e: unknown) => {
    throw new RpcError("WithdrawalQueue Transfer logs", e);
  });
  const requestIds = [...new Set(logs.map((log) => log.args.tokenId))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (requestIds.length === 0) return [];
  const statuses = await getWithdrawalStatus(client, { contracts: p.contracts, requestIds });
  const owner = p.owner.toLowerCase();
  return statuses.filter((s) => !s.isClaimed && s.owner.toLowerCase() === owner);
}
