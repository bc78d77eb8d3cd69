import { SecretKey } from "@chainsafe/blst";
import {
  computeDepositDataRoot,
  computeDepositMessageSigningRoot,
  g1PointFromPublicKey,
  g2PointFromSignature,
} from "@nektar/crypto";
import { concat, type Hex, hexToBytes, keccak256, sha256, toHex } from "viem";
import type { DepositPoints, DkgResult } from "../../src/index.ts";

/**
 * A DKG result for request `requestId` with a real BLS group key (derived from the request id, so a test can recompute
 * it) and its signature of the 1 ETH deposit message (mainnet fork version), with the EIP-2537 points the registry
 * checks it with. The share keys are filler: the registry stores them, it does not check them.
 */
export function signedDkgResult(
  requestId: bigint,
  withdrawalCredentials: Hex,
): { result: DkgResult; points: DepositPoints } {
  const sk = SecretKey.fromKeygen(new Uint8Array(32).fill(Number(requestId) + 1));
  const pubkey = sk.toPublicKey().toBytes();
  const message = { pubkey, withdrawalCredentials: hexToBytes(withdrawalCredentials), amountGwei: 1_000_000_000n };
  const signature = sk.sign(computeDepositMessageSigningRoot({ ...message, forkVersion: new Uint8Array(4) })).toBytes();
  return {
    result: {
      requestId,
      groupPubkey: toHex(pubkey),
      sharePubkeys: toHex(new Uint8Array(16 * 48).fill(9)),
      depositSignature: toHex(signature),
      depositDataRoot: toHex(computeDepositDataRoot({ ...message, signature })),
    },
    points: {
      groupPubkey: toHex(g1PointFromPublicKey(pubkey)),
      depositSignature: toHex(g2PointFromSignature(signature)),
    },
  };
}

/**
 * A credentials proof for `validators[index]` hashed up from the leaf with filler siblings (the first is the key's
 * root), and its block root written into the EIP-4788 contract at `timestamp` by `setBeaconRoot`: a valid Merkle proof
 * of a synthetic state, which is all the registry checks.
 */
export async function publishCredentialsProof(
  setBeaconRoot: (timestamp: bigint, root: Hex) => Promise<unknown>,
  p: { pubkey: Hex; credentials: Hex; index: bigint; timestamp: bigint },
): Promise<Hex[]> {
  const zero16 = toHex(new Uint8Array(16));
  const proof: Hex[] = [sha256(concat([p.pubkey, zero16]))];
  for (let i = 1; i < 53; i++) proof.push(keccak256(toHex(`sibling-${i}`)));
  let gindex = (((1430n << 40n) | p.index) << 3n) | 1n;
  let node = p.credentials;
  for (const sibling of proof) {
    node = sha256(gindex % 2n === 0n ? concat([node, sibling]) : concat([sibling, node]));
    gindex >>= 1n;
  }
  await setBeaconRoot(p.timestamp, node);
  return proof;
}
