import {
  create,
  decrypt,
  defaultPbkdfModule,
  defaultScryptModule,
  type IKeystore,
  validateKeystore,
} from "@chainsafe/bls-keystore";
import { SecretKey } from "@chainsafe/blst";
import { LodestarError } from "@lodestar/utils";

export type KeystoreErrorType =
  | { code: "ERR_KEYSTORE_INVALID"; reason: string }
  | { code: "ERR_KEYSTORE_WRONG_PASSWORD" }
  | { code: "ERR_KEYSTORE_INVALID_SECRET" }
  | { code: "ERR_KEYSTORE_PUBKEY_MISMATCH" };

/** An EIP-2335 keystore could not be created or opened. */
export class KeystoreError extends LodestarError<KeystoreErrorType> {}

export type KeystoreKdf = "scrypt" | "pbkdf2";

export type EncryptKeyShareOptions = {
  /** Public key of the share (48 bytes); checked against the secret. */
  pubkey: Uint8Array;
  /** EIP-2334 path; DKG shares are not derived, so the default is "". */
  path?: string;
  description?: string;
  /**
   * Key derivation: "pbkdf2" (default; c = 262144, opens in ~0.1–0.3 s, matters for an operator holding thousands of
   * shares) or "scrypt" (n = 262144, 256 MiB per decryption).
   */
  kdf?: KeystoreKdf;
};

export type { IKeystore };

function publicKeyOf(secret: Uint8Array): Uint8Array {
  try {
    return SecretKey.fromBytes(secret).toPublicKey().toBytes();
  } catch {
    throw new KeystoreError({ code: "ERR_KEYSTORE_INVALID_SECRET" });
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Encrypt a key share as an EIP-2335 (version 4) keystore, with a fresh random salt and IV. */
export async function encryptKeyShare(
  secret: Uint8Array,
  password: string,
  options: EncryptKeyShareOptions,
): Promise<IKeystore> {
  if (!sameBytes(publicKeyOf(secret), options.pubkey))
    throw new KeystoreError({ code: "ERR_KEYSTORE_PUBKEY_MISMATCH" });
  const kdf = options.kdf === "scrypt" ? defaultScryptModule() : defaultPbkdfModule();
  return create(password, secret, options.pubkey, options.path ?? "", options.description ?? null, kdf);
}

/**
 * Decrypt an EIP-2335 keystore (object or JSON text). Validates the schema, the password (checksum) and that the
 * decrypted secret belongs to the keystore's public key when one is recorded.
 */
export async function decryptKeyShare(json: string | unknown, password: string): Promise<Uint8Array> {
  let keystore: unknown = json;
  if (typeof json === "string") {
    try {
      keystore = JSON.parse(json);
    } catch (e) {
      throw new KeystoreError({ code: "ERR_KEYSTORE_INVALID", reason: `not JSON: ${(e as Error).message}` });
    }
  }
  try {
    validateKeystore(keystore);
  } catch (e) {
    throw new KeystoreError({ code: "ERR_KEYSTORE_INVALID", reason: (e as Error).message });
  }
  const ks = keystore as IKeystore;
  let secret: Uint8Array;
  try {
    secret = await decrypt(ks, password);
  } catch (e) {
    // bls-keystore signals a checksum mismatch (wrong password) only through this message.
    if ((e as Error).message === "Invalid password") throw new KeystoreError({ code: "ERR_KEYSTORE_WRONG_PASSWORD" });
    throw new KeystoreError({ code: "ERR_KEYSTORE_INVALID", reason: (e as Error).message });
  }
  if (ks.pubkey !== "" && !sameBytes(publicKeyOf(secret), Uint8Array.from(Buffer.from(ks.pubkey, "hex")))) {
    throw new KeystoreError({ code: "ERR_KEYSTORE_PUBKEY_MISMATCH" });
  }
  return secret;
}
