import type { Address, Hex } from "viem";
import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { operatorRegistryAbi } from "../generated/abis.ts";
import { eventArgs, sendContractTransaction } from "../internal/send.ts";

export type RegisterOperatorParameters = WithContracts & {
  /** Address whose EIP-712 signatures approve DKG results (the Stinger node's signer). */
  signer: Address;
  /** The Stinger node's Ed25519 public key (32 bytes). */
  nodeIdentity: Hex;
  /** Operator metadata (at most 512 bytes). */
  metadataURI?: string;
};

export type RegisterOperatorReturnType = TransactionResult & { operatorId: bigint };

/** Registers the caller as the owner of a new operator. */
export async function registerOperator(
  client: NektarWriteClient,
  p: RegisterOperatorParameters,
): Promise<RegisterOperatorReturnType> {
  const sent = await sendContractTransaction(client, {
    contract: "OperatorRegistry",
    address: p.contracts.operatorRegistry,
    abi: operatorRegistryAbi,
    functionName: "registerOperator",
    args: [p.signer, p.nodeIdentity, p.metadataURI ?? ""],
  });
  const event = eventArgs<{ operatorId: bigint }>(operatorRegistryAbi, sent.receipt.logs, "OperatorRegistered");
  return { hash: sent.hash, blockNumber: sent.blockNumber, gasUsed: sent.gasUsed, operatorId: event.operatorId };
}
