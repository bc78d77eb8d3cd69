import type { Address } from "viem";
import type { NektarReadClient, WithContracts } from "../client.ts";
import { WITHDRAWAL_QUEUE, withdrawalQueue } from "../internal/contracts.ts";
import { type ReadErrorType, read } from "../internal/read.ts";

export type GetWithdrawalStatusParameters = WithContracts<"withdrawalQueue"> & { requestIds: readonly bigint[] };

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

export type GetWithdrawalStatusErrorType = ReadErrorType;

/** The status of withdrawal requests (reverts with `InvalidRequestId`-style errors for unknown ids). */
export async function getWithdrawalStatus(
  client: NektarReadClient,
  p: GetWithdrawalStatusParameters,
): Promise<GetWithdrawalStatusReturnType> {
  const queue = withdrawalQueue(p.contracts);
  const [statuses, claimable] = await Promise.all([
    read(client, WITHDRAWAL_QUEUE, { ...queue, functionName: "getWithdrawalStatus", args: [p.requestIds] }),
    Promise.all(
      p.requestIds.map((id) =>
        read(client, WITHDRAWAL_QUEUE, { ...queue, functionName: "claimableEther", args: [id] }),
      ),
    ),
  ]);
  // The contract returns one status per id, in order.
  return statuses.map((s, i) => ({ ...s, requestId: p.requestIds[i] ?? 0n, claimableEther: claimable[i] ?? 0n }));
}
