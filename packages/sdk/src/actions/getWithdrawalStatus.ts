import type { Address } from "viem";
import type { NektarReadClient, WithContracts } from "../client.ts";
import { withdrawalQueueAbi } from "../generated/abis.ts";
import { read } from "../internal/read.ts";

export type GetWithdrawalStatusParameters = WithContracts & { requestIds: readonly bigint[] };

export type WithdrawalStatus = {
  requestId: bigint;
  /** Ether value recorded at request time (the payout is at most this). */
  amountOfEther: bigint;
  amountOfShares: bigint;
  owner: Address;
  timestamp: bigint;
  isFinalized: boolean;
  isClaimed: boolean;
  /** Ether claimable now (0 unless finalized and not claimed). */
  claimableEther: bigint;
};

export type GetWithdrawalStatusReturnType = WithdrawalStatus[];

/** The status of withdrawal requests (reverts with `InvalidRequestId`-style errors for unknown ids). */
export async function getWithdrawalStatus(
  client: NektarReadClient,
  p: GetWithdrawalStatusParameters,
): Promise<GetWithdrawalStatusReturnType> {
  const base = { contract: "WithdrawalQueue", address: p.contracts.withdrawalQueue, abi: withdrawalQueueAbi } as const;
  const statuses = await read<Omit<WithdrawalStatus, "requestId" | "claimableEther">[]>(client, {
    ...base,
    functionName: "getWithdrawalStatus",
    args: [p.requestIds],
  });
  const claimable = await Promise.all(
    p.requestIds.map((id) => read<bigint>(client, { ...base, functionName: "claimableEther", args: [id] })),
  );
  return statuses.map((s, i) => ({ ...s, requestId: p.requestIds[i] ?? 0n, claimableEther: claimable[i] ?? 0n }));
}
