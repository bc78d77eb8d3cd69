import { createPrivateKey, createPublicKey, type KeyObject, sign, verify } from "node:crypto";
import type { Ed25519PrivateKey, PeerId } from "@libp2p/interface";

const SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");
const PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

/** Synchronous Ed25519 signer over the node's identity key (node:crypto; no secret leaves the KeyObject). */
export type IdentitySigner = { sign(message: Uint8Array): Uint8Array };

export function identitySigner(privateKey: Ed25519PrivateKey): IdentitySigner {
  const key = createPrivateKey({
    key: Buffer.concat([PKCS8_PREFIX, privateKey.raw.subarray(0, 32)]),
    format: "der",
    type: "pkcs8",
  });
  return { sign: (message) => new Uint8Array(sign(null, message, key)) };
}

/** Ed25519 verifier for one operator's public identity key. */
export type IdentityVerifier = { verify(message: Uint8Array, signature: Uint8Array): boolean };

export function identityVerifier(rawPublicKey: Uint8Array): IdentityVerifier {
  const key: KeyObject = createPublicKey({
    key: Buffer.concat([SPKI_PREFIX, rawPublicKey]),
    format: "der",
    type: "spki",
  });
  return {
    verify: (message, signature) => signature.length === 64 && verify(null, message, key, signature),
  };
}

/** Raw 32-byte Ed25519 public key of an Ed25519 peer id (the key is inlined in the id). */
export function peerIdPublicKey(peerId: PeerId): Uint8Array {
  if (peerId.type !== "Ed25519" || peerId.publicKey === undefined)
    throw new Error(`${peerId} is not an Ed25519 peer id`);
  return peerId.publicKey.raw;
}
