import type { Address, Hex, LocalAccount } from "viem";
import { registryDomain } from "../chain/dkgResult.ts";

/** EIP-712 type of the newcomer's approval (`ReshareMessage.APPROVAL_TYPEHASH` in Solidity). */
export const RESHARE_APPROVAL_TYPES = { ReshareApproval: [{ name: "resultRoot", type: "bytes32" }] } as const;

/** The newcomer's approval of a reshare result, signed with its registered signer under the registry's domain. */
export function signReshareApproval(
  account: LocalAccount,
  chainId: number,
  registry: Address,
  resultRoot: Hex,
): Promise<Hex> {
  return account.signTypedData({
    domain: registryDomain(chainId, registry),
    types: RESHARE_APPROVAL_TYPES,
    primaryType: "ReshareApproval",
    message: { resultRoot },
  });
}
