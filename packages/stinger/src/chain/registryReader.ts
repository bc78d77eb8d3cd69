import {
  getDkgResultDigest,
  getRequestOperators,
  getValidatorRequest,
  type NektarContracts,
  type ValidatorStatus,
} from "@nektar/sdk";
import type { Address, Hex, PublicClient } from "viem";
import type { DkgResult } from "./dkgResult.ts";
import type { ValidatorRequest } from "./requestDefinition.ts";

/** A request's lifecycle status by name (`requested`, `deposited`, …, `expired`), as the registry's enum. */
export type RequestStatus = ValidatorStatus;

/** Read-only view of the operator registry that Stinger follows. */
export class RegistryReader {
  readonly client: PublicClient;
  readonly registry: Address;
  private readonly contracts: Pick<NektarContracts, "operatorRegistry">;

  constructor(client: PublicClient, registry: Address) {
    this.client = client;
    this.registry = registry;
    this.contracts = { operatorRegistry: registry };
  }

  /** The request's operators (ids, signers, node identities) joined with the event's fields. */
  async request(
    event: { requestId: bigint; threshold: bigint; withdrawalCredentials: Hex },
    blockNumber?: bigint,
  ): Promise<ValidatorRequest> {
    const { operatorIds, signers, nodeIdentities } = await getRequestOperators(this.client, {
      contracts: this.contracts,
      requestId: event.requestId,
      blockNumber,
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
    return (await this.state(requestId)).status;
  }

  /** Status, DKG round (`requestedAt`, restarted by each draw of the request's seats) and on-chain attestations. */
  async state(requestId: bigint): Promise<{ status: RequestStatus; requestedAt: bigint; attestedBitmap: bigint }> {
    const r = await getValidatorRequest(this.client, { contracts: this.contracts, requestId });
    return { status: r.status, requestedAt: r.requestedAt, attestedBitmap: r.attestedBitmap };
  }

  /** The registry's own digest of a result (used to cross-check the off-chain EIP-712 computation). */
  dkgResultDigest(result: DkgResult): Promise<Hex> {
    return getDkgResultDigest(this.client, { contracts: this.contracts, result });
  }
}
