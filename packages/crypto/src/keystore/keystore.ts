import {
  create,
  decrypt,
  defaultPbkdfModule,
  defaultScryptModule,
  type IKeystore,
  validateKeystore,
} from "@chainsafe/bls-keystore";
import { SecretKey } from "@chainsafe/blst";
import { byteArrayEquals } from "@chainsafe/ssz";
import { fromHex, LodestarError } from "@lodestar/utils";
import { ed25519 } from "@noble/curves/ed25519.js";

export type KeystoreErrorType =
  | { code: "ERR_KEYSTORE_INVALID"; reason: string }
  | { code: "ERR_KEYSTORE_WRONG_PASSWORD" }
  | { code: "ERR_KEYSTORE_INVALID_SECRET" }
  | { code: "ERR_KEYSTORE_PUBKEY_MISMATCH" };

/** An EIP-2335 keystore could not be created or opened. */
export class KeystoreError extends LodestarError<KeystoreErrorType> {}

export type KeystoreKdf = "scrypt" | "pbkdf2";

/**
 * The key a keystore holds: a BLS12-381 secret key (a validator key share, EIP-2335's own case), or a 32-byte Ed25519
 * seed (an operator's identity key). Both use the same EIP-2335 version-4 container; an Ed25519 keystore records the
 * 32-byte Ed25519 public key where EIP-2335 has a 48-byte BLS one.
 */
export type KeystoreKeyType = "bls" | "ed25519";

export type EncryptKeystoreOptions = {
  /** Public key of the secret (48 bytes BLS, 32 bytes Ed25519); checked against the secret and stored in clear. */
  pubkey: Uint8Array;
  /** EIP-2334 path; DKG shares and identity keys are not derived, so the default is "". */
  path?: string;
  description?: string;
  /**
   * Key derivation: "pbkdf2" (default; c = 262144, opens in ~0.1–0.3 s, matters for an operator holding thousands of
   * shares) or "scrypt" (n = 262144, 256 MiB per decryption; stronger against offline guessing, slower to open).
   */
  kdf?: KeystoreKdf;
};

export type { IKeystore };

const ED25519_PUBKEY = /^([0-9a-f]{2}){32}$/;

function publicKeyOf(keyType: KeystoreKeyType, secret: Uint8Array): Uint8Array {
  try {
    if (keyType === "bls") return SecretKey.fromBytes(secret).toPublicKey().toBytes();
    if (secret.length !== 32) throw new Error("an Ed25519 seed is 32 bytes");
    return ed25519.getPublicKey(secret);
  } catch {
    throw new KeystoreError({ code: "ERR_KEYSTORE_INVALID_SECRET" });
  }
}

/** Encrypt a secret key as an EIP-2335 (version 4) keystore, with a fresh random salt and IV. */
export async function encryptKeystore(
  keyType: KeystoreKeyType,
  secret: Uint8Array,
  password: string,
  options: EncryptKeystoreOptions,
): Promise<IKeystore> {
  if (!byteArrayEquals(publicKeyOf(keyType, secret), options.pubkey))
    throw new KeystoreError({ code: "ERR_KEYSTORE_PUBKEY_MISMATCH" });
  const kdf = options.kdf === "scrypt" ? defaultScryptModule() : defaultPbkdfModule();
  return create(password, secret, options.pubkey, options.path ?? "", options.description ?? null, kdf);
}

/**
 * Decrypt an EIP-2335 keystore (object or JSON text) holding a `keyType` key. Validates the schema, the password
 * (checksum) and that the decrypted secret belongs to the keystore's public key when one is recorded.
 */
export async function decryptKeystore(
  keyType: KeystoreKeyType,
  json: string | unknown,
  password: string,
): Promise<Uint8Array> {
  let keystore: unknown = json;
  if (typeof json === "string") {
    try {
      keystore = JSON.parse(json);
    } catch (e) {
      throw new KeystoreError({ code: "ERR_KEYSTORE_INVALID", reason: `not JSON: ${(e as Error).message}` });
    }
  }
  validate(keyType, keystore);
  const ks = keystore as IKeystore;
  let secret: Uint8Array;
  try {
    secret = await decrypt(ks, password);
  } catch (e) {
    // bls-keystore signals a checksum mismatch (wrong password) only through this message.
    if ((e as Error).message === "Invalid password") throw new KeystoreError({ code: "ERR_KEYSTORE_WRONG_PASSWORD" });
    throw new KeystoreError({ code: "ERR_KEYSTORE_INVALID", reason: (e as Error).message });
  }
  if (ks.pubkey !== "" && !byteArrayEquals(publicKeyOf(keyType, secret), fromHex(ks.pubkey))) {
    throw new KeystoreError({ code: "ERR_KEYSTORE_PUBKEY_MISMATCH" });
  }
  return secret;
}

/**
 * The EIP-2335 schema fixes `pubkey` to 48 bytes; an Ed25519 keystore's 32-byte public key is checked on its own and
 * everything else against the schema.
 */
function validate(keyType: KeystoreKeyType, keystore: unknown): void {
  let checked = keystore;
  if (keyType === "ed25519" && typeof keystore === "object" && keystore !== null) {
    const pubkey = (keystore as { pubkey?: unknown }).pubkey;
    if (typeof pubkey !== "string" || !ED25519_PUBKEY.test(pubkey)) {
      throw new KeystoreError({ code: "ERR_KEYSTORE_INVALID", reason: "pubkey: must be a 32-byte Ed25519 key in hex" });
    }
    checked = { ...keystore, pubkey: "00".repeat(48) };
  }
  try {
    validateKeystore(checked);
  } catch (e) {
    throw new KeystoreError({ code: "ERR_KEYSTORE_INVALID", reason: (e as Error).message });
  }
}

/** Encrypt a BLS key share as an EIP-2335 keystore: `encryptKeystore("bls", …)`. */
export function encryptKeyShare(
  secret: Uint8Array,
  password: string,
  options: EncryptKeystoreOptions,
): Promise<IKeystore> {
  return encryptKeystore("bls", secret, password, options);
}

/** Decrypt a BLS key share's EIP-2335 keystore: `decryptKeystore("bls", …)`. */
export function decryptKeyShare(json: string | unknown, password: string): Promise<Uint8Array> {
  return decryptKeystore("bls", json, password);
}
