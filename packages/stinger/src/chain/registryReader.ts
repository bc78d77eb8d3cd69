import { operatorRegistryAbi, type ValidatorStatus, validatorStatusName } from "@nektar/sdk";
import type { Address, Hex, PublicClient } from "viem";
import type { ValidatorRequest } from "./requestDefinition.ts";

/** A request's lifecycle status by name (`requested`, `deposited`, …, `expired`), as the registry's enum. */
export type RequestStatus = ValidatorStatus;

/** Read-only view of the operator registry that Stinger follows. */
export class RegistryReader {
  readonly client: PublicClient;
  readonly registry: Address;

  constructor(client: PublicClient, registry: Address) {
    this.client = client;
    this.registry = registry;
  }

  /** The request's operators (ids, signers, node identities) joined with the event's fields. */
  async request(
    event: { requestId: bigint; threshold: bigint; withdrawalCredentials: Hex },
    blockNumber?: bigint,
  ): Promise<ValidatorRequest> {
    const [operatorIds, signers, nodeIdentities] = await this.client.readContract({
      address: this.registry,
      abi: operatorRegistryAbi,
      functionName: "requestOperators",
      args: [event.requestId],
      ...(blockNumber !== undefined ? { blockNumber } : {}),
    });
    return {
      requestId: event.requestId,
      threshold: Number(event.threshold),
      withdrawalCredentials: event.withdrawalCredentials,
      operatorIds,
      signers,
      nodeIdentities,
    };
  }

  async status(requestId: bigint): Promise<RequestStatus> {
    const r = await this.client.readContract({
      address: this.registry,
      abi: operatorRegistryAbi,
      functionName: "getRequest",
      args: [requestId],
    });
    return validatorStatusName(r.status);
  }

  /** The registry's own digest of a result (used to cross-check the off-chain EIP-712 computation). */
  dkgResultDigest(r: {
    requestId: bigint;
    groupPubkey: Hex;
    sharePubkeys: Hex;
    depositSignature: Hex;
    depositDataRoot: Hex;
  }): Promise<Hex> {
    return this.client.readContract({
      address: this.registry,
      abi: operatorRegistryAbi,
      functionName: "dkgResultDigest",
      args: [r.requestId, r.groupPubkey, r.sharePubkeys, r.depositSignature, r.depositDataRoot],
    });
  }
}
