import type { Address } from "viem";
import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { operatorRegistryAbi } from "../generated/abis.ts";
import { sendContractTransaction } from "../internal/send.ts";

export type UnbondOperatorParameters = WithContracts & {
  operatorId: bigint;
  /** Free bond units to withdraw. */
  units: bigint;
  /** Receiver of the divETH shares (default: the caller). */
  recipient?: Address | undefined;
};

export type UnbondOperatorReturnType = TransactionResult;

/** Withdraws free bond of an operator the caller owns, as divETH. */
export async function unbondOperator(
  client: NektarWriteClient,
  p: UnbondOperatorParameters,
): Promise<UnbondOperatorReturnType> {
  const sent = await sendContractTransaction(client, {
    contract: "OperatorRegistry",
    address: p.contracts.operatorRegistry,
    abi: operatorRegistryAbi,
    functionName: "unbond",
    args: [p.operatorId, p.units, p.recipient ?? client.account.address],
  });
  return { hash: sent.hash, blockNumber: sent.blockNumber, gasUsed: sent.gasUsed };
}
