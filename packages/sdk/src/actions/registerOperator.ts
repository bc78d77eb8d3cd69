import type { Address, Hex } from "viem";
import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { operatorRegistryAbi } from "../generated/abis.ts";
import { OPERATOR_REGISTRY, operatorRegistry, transactionResult } from "../internal/contracts.ts";
import { eventArgs, type SendErrorType, send } from "../internal/send.ts";

export type RegisterOperatorParameters = WithContracts<"operatorRegistry"> & {
  /** Address whose EIP-712 signatures approve DKG results (the Stinger node's signer). */
  signer: Address;
  /** The Stinger node's Ed25519 public key (32 bytes). */
  nodeIdentity: Hex;
  /** Operator metadata (at most 512 bytes). */
  metadataURI?: string;
};

export type RegisterOperatorReturnType = TransactionResult & { operatorId: bigint };

export type RegisterOperatorErrorType = SendErrorType;

/** Registers the caller as the owner of a new operator. */
export async function registerOperator(
  client: NektarWriteClient,
  p: RegisterOperatorParameters,
): Promise<RegisterOperatorReturnType> {
  const sent = await send(client, OPERATOR_REGISTRY, {
    ...operatorRegistry(p.contracts),
    functionName: "registerOperator",
    args: [p.signer, p.nodeIdentity, p.metadataURI ?? ""],
  });
  const event = eventArgs(operatorRegistryAbi, sent.receipt.logs, "OperatorRegistered");
  return { ...transactionResult(sent), operatorId: event.operatorId };
}
