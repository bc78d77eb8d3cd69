import { getCode } from "viem/actions";
import type { NektarReadClient, WithContracts } from "../client.ts";
import { ContractRevertedError } from "../errors/contract.ts";
import { WITHDRAWAL_VAULT, withdrawalVault } from "../internal/contracts.ts";
import { type ReadErrorType, read } from "../internal/read.ts";

export type GetWithdrawalRequestFeeParameters = WithContracts<"withdrawalVault">;

/** The fee in wei, or undefined when the chain has no EIP-7002 contract (the vault cannot exit validators there). */
export type GetWithdrawalRequestFeeReturnType = bigint | undefined;

export type GetWithdrawalRequestFeeErrorType = ReadErrorType;

/** The EIP-7002 withdrawal request predeploy. */
const EIP7002_CONTRACT = "0x00000961Ef480Eb55e80D19ad83579A64c007002";

/** The fee the EIP-7002 withdrawal request contract asks now for one exit request, as the withdrawal vault reads it. */
export async function getWithdrawalRequestFee(
  client: NektarReadClient,
  p: GetWithdrawalRequestFeeParameters,
): Promise<GetWithdrawalRequestFeeReturnType> {
  // Without the predeploy the vault's read reverts; asking for the code first spares a node the failed call (Hardhat
  // builds a Solidity stack trace for each one, about a second of CPU).
  const code = await getCode(client, { address: EIP7002_CONTRACT });
  if (code === undefined || code === "0x") return undefined;
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
