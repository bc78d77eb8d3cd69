import type { Address, Hex, WalletClient } from "viem";
import { parseSignature } from "viem";

/** EIP-2612 permit fields as the contracts take them. */
export type PermitSignature = { v: number; r: Hex; s: Hex };

/** Signs an EIP-2612 permit for `token` (domain `name`, version `version`). */
export async function signPermit(
  wallet: WalletClient,
  token: { address: Address; name: string; version: string; chainId: number },
  message: { owner: Address; spender: Address; value: bigint; nonce: bigint; deadline: bigint },
): Promise<PermitSignature> {
  const account = wallet.account;
  if (!account) throw new Error("wallet without account");
  const signature = await wallet.signTypedData({
    account,
    domain: { name: token.name, version: token.version, chainId: token.chainId, verifyingContract: token.address },
    types: {
      Permit: [
        { name: "owner", type: "address" },
        { name: "spender", type: "address" },
        { name: "value", type: "uint256" },
        { name: "nonce", type: "uint256" },
        { name: "deadline", type: "uint256" },
      ],
    },
    primaryType: "Permit",
    message,
  });
  const { r, s, yParity } = parseSignature(signature);
  return { v: 27 + (yParity ?? 0), r, s };
}
