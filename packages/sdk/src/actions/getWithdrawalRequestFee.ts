import type { NektarReadClient, WithContracts } from "../client.ts";
import { ContractRevertedError } from "../errors/contract.ts";
import { WITHDRAWAL_VAULT, withdrawalVault } from "../internal/contracts.ts";
import { type ReadErrorType, read } from "../internal/read.ts";

export type GetWithdrawalRequestFeeParameters = WithContracts<"withdrawalVault">;

/** The fee in wei, or undefined when the chain has no EIP-7002 contract (the vault cannot exit validators there). */
export type GetWithdrawalRequestFeeReturnType = bigint | undefined;

export type GetWithdrawalRequestFeeErrorType = ReadErrorType;

/** The fee the EIP-7002 withdrawal request contract asks now for one exit request, as the withdrawal vault reads it. */
export async function getWithdrawalRequestFee(
  client: NektarReadClient,
  p: GetWithdrawalRequestFeeParameters,
): Promise<GetWithdrawalRequestFeeReturnType> {
  try {
    return await read(client, WITHDRAWAL_VAULT, {
      ...withdrawalVault(p.contracts),
      functionName: "withdrawalRequestFee",
    });
  } catch (e) {
    if (e instanceof ContractRevertedError && e.errorName === "WithdrawalRequestFeeUnavailable") return undefined;
    throw e;
  }
}
