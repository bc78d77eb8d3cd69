import type { Hex } from "viem";
import type { NektarReadClient, WithContracts } from "../client.ts";
import { OPERATOR_REGISTRY, operatorRegistry } from "../internal/contracts.ts";
import { type ReadErrorType, read } from "../internal/read.ts";

/** A DKG result as the registry accepts it (`submitDkgResult`) and operators approve it (EIP-712). */
export type DkgResult = {
  requestId: bigint;
  /** The validator public key (48 bytes). */
  groupPubkey: Hex;
  /** The 16 share public keys in cluster order, concatenated (16 × 48 bytes). */
  sharePubkeys: Hex;
  /** The group key's signature of the 1 ETH deposit message (96 bytes). */
  depositSignature: Hex;
  /** The 1 ETH deposit data root the deposit contract checks. */
  depositDataRoot: Hex;
};

export type GetDkgResultDigestParameters = WithContracts<"operatorRegistry"> & { result: DkgResult };

/** The EIP-712 digest operators sign (or attest on-chain) to approve the result. */
export type GetDkgResultDigestReturnType = Hex;

export type GetDkgResultDigestErrorType = ReadErrorType;

/** The registry's own EIP-712 digest of a DKG result (to cross-check one computed off-chain). */
export async function getDkgResultDigest(
  client: NektarReadClient,
  p: GetDkgResultDigestParameters,
): Promise<GetDkgResultDigestReturnType> {
  const r = p.result;
  return read(client, OPERATOR_REGISTRY, {
    ...operatorRegistry(p.contracts),
    functionName: "dkgResultDigest",
    args: [r.requestId, r.groupPubkey, r.sharePubkeys, r.depositSignature, r.depositDataRoot],
  });
}
