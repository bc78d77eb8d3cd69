import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { generateKeyPair, generateKeyPairFromSeed } from "@libp2p/crypto/keys";
import type { Ed25519PrivateKey, PeerId } from "@libp2p/interface";
import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import { decryptKeystore, encryptKeystore, KeystoreError, type KeystoreKdf } from "@nektar/crypto";
import { bytesToHex, getAddress, hexToBytes, isAddress } from "viem";
import { writeFileAtomic } from "../storage/atomicFile.ts";
import { IdentityError } from "./errors.ts";
import { assertStrongPassword } from "./password.ts";

export const IDENTITY_KEYSTORE_FILE = "identity-keystore.json";
export const OPERATOR_FILE = "operator.json";

/**
 * Reference to the operator's execution-layer account. Stinger never holds this key: it records which account the
 * operator registers and bonds with, and where its (separately encrypted) keystore or signer lives.
 */
export type ElAccountRef = {
  /** Checksummed 0x address. */
  address: `0x${string}`;
  /** Optional location of the account's key: a path to a web3 keystore file or a remote-signer URL. */
  keystore?: string;
};

/** Public part of an operator identity: what the operator registers on-chain and shares in cluster definitions. */
export type OperatorRecord = {
  version: 1;
  /** libp2p peer id (derived from the Ed25519 public key). */
  peerId: string;
  /** Ed25519 public key, 0x hex (32 bytes). */
  identityPubkey: `0x${string}`;
  elAccount: ElAccountRef;
};

export type OperatorIdentity = {
  record: OperatorRecord;
  privateKey: Ed25519PrivateKey;
  peerId: PeerId;
};

export type CreateIdentityOptions = {
  dataDir: string;
  password: string;
  elAccount: { address: string; keystore?: string | undefined };
  /** Import an existing Ed25519 key instead of generating one: its 32-byte seed. */
  seed?: Uint8Array | undefined;
  kdf?: KeystoreKdf | undefined;
};

/** Create (or import) the node's identity key, encrypt it at rest and write the public operator record. */
export async function createIdentity(opts: CreateIdentityOptions): Promise<OperatorIdentity> {
  assertStrongPassword(opts.password);
  const elAccount = validateElAccount(opts.elAccount);
  const keystorePath = join(opts.dataDir, IDENTITY_KEYSTORE_FILE);
  if (existsSync(keystorePath)) throw new IdentityError({ code: "ERR_IDENTITY_EXISTS", path: keystorePath });
  if (opts.seed !== undefined && opts.seed.length !== 32) {
    throw new IdentityError({
      code: "ERR_IDENTITY_INVALID",
      path: "<import>",
      reason: "Ed25519 seed must be 32 bytes",
    });
  }
  const privateKey =
    opts.seed !== undefined ? await generateKeyPairFromSeed("Ed25519", opts.seed) : await generateKeyPair("Ed25519");
  const seed = privateKey.raw.subarray(0, 32);
  const pubkey = privateKey.publicKey.raw;
  const keystore = await encryptKeystore("ed25519", seed, opts.password, {
    pubkey,
    description: "stinger operator identity (ed25519)",
    ...(opts.kdf !== undefined ? { kdf: opts.kdf } : {}),
  });
  const peerId = peerIdFromPrivateKey(privateKey);
  const record: OperatorRecord = {
    version: 1,
    peerId: peerId.toString(),
    identityPubkey: bytesToHex(pubkey),
    elAccount,
  };
  mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  writeFileAtomic(keystorePath, JSON.stringify(keystore, null, 2), { mode: 0o600, exclusive: true });
  writeFileAtomic(join(opts.dataDir, OPERATOR_FILE), `${JSON.stringify(record, null, 2)}\n`, { mode: 0o644 });
  return { record, privateKey, peerId };
}

/** Decrypt the identity key in `dataDir` and check it against the public operator record. */
export async function loadIdentity(dataDir: string, password: string): Promise<OperatorIdentity> {
  const keystorePath = join(dataDir, IDENTITY_KEYSTORE_FILE);
  const record = readOperatorRecord(dataDir);
  let text: string;
  try {
    text = readFileSync(keystorePath, "utf8");
  } catch {
    throw new IdentityError({ code: "ERR_IDENTITY_NOT_FOUND", path: keystorePath });
  }
  let seed: Uint8Array;
  try {
    seed = await decryptKeystore("ed25519", text, password);
  } catch (e) {
    if (e instanceof KeystoreError && e.type.code === "ERR_KEYSTORE_WRONG_PASSWORD")
      throw new IdentityError({ code: "ERR_IDENTITY_WRONG_PASSWORD", path: keystorePath });
    throw new IdentityError({ code: "ERR_IDENTITY_INVALID", path: keystorePath, reason: keystoreReason(e) });
  }
  const privateKey = await generateKeyPairFromSeed("Ed25519", seed);
  const peerId = peerIdFromPrivateKey(privateKey);
  if (peerId.toString() !== record.peerId) {
    throw new IdentityError({
      code: "ERR_IDENTITY_INVALID",
      path: keystorePath,
      reason: `key belongs to ${peerId.toString()}, but ${OPERATOR_FILE} names ${record.peerId}`,
    });
  }
  return { record, privateKey, peerId };
}

/** Read the public operator record (no password needed). */
export function readOperatorRecord(dataDir: string): OperatorRecord {
  const path = join(dataDir, OPERATOR_FILE);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT")
      throw new IdentityError({ code: "ERR_IDENTITY_NOT_FOUND", path });
    throw new IdentityError({ code: "ERR_IDENTITY_INVALID", path, reason: (e as Error).message });
  }
  const r = raw as Partial<OperatorRecord>;
  if (
    r?.version !== 1 ||
    typeof r.peerId !== "string" ||
    typeof r.identityPubkey !== "string" ||
    !/^0x[0-9a-f]{64}$/.test(r.identityPubkey) ||
    typeof r.elAccount?.address !== "string"
  ) {
    throw new IdentityError({ code: "ERR_IDENTITY_INVALID", path, reason: "not a version-1 operator record" });
  }
  return { ...(r as OperatorRecord), elAccount: validateElAccount(r.elAccount) };
}

/** Parse an Ed25519 key to import: 32-byte seed as hex (optionally 0x-prefixed). */
export function parseImportedSeed(text: string): Uint8Array {
  const hex = text.trim().replace(/^0x/, "");
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) {
    throw new IdentityError({
      code: "ERR_IDENTITY_INVALID",
      path: "<import>",
      reason: "expected a 32-byte Ed25519 seed as 64 hex characters",
    });
  }
  return hexToBytes(`0x${hex}`);
}

function validateElAccount(account: { address: string; keystore?: string | undefined }): ElAccountRef {
  if (!isAddress(account.address, { strict: false })) {
    throw new IdentityError({ code: "ERR_EL_ACCOUNT_INVALID", reason: `not an address: ${account.address}` });
  }
  const ref: ElAccountRef = { address: getAddress(account.address) };
  if (account.keystore !== undefined) ref.keystore = account.keystore;
  return ref;
}

function keystoreReason(e: unknown): string {
  if (!(e instanceof KeystoreError)) return (e as Error).message;
  return e.type.code === "ERR_KEYSTORE_INVALID" ? e.type.reason : e.type.code;
}
