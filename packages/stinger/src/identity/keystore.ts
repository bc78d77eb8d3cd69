import type { IKeystore } from "@chainsafe/bls-keystore";
import { create, decrypt, defaultPbkdfModule, defaultScryptModule, Keystore } from "@chainsafe/bls-keystore";

/**
 * Key derivation for keystores written by Stinger. `pbkdf2` (EIP-2335, 262144 rounds, ~35 ms) is the default;
 * `scrypt` (EIP-2335 default parameters, ~0.6 s) is stronger against offline guessing and slower to open.
 */
export type KeystoreKdf = "pbkdf2" | "scrypt";

export type { IKeystore };

/** Encrypt `secret` into an EIP-2335 keystore object. `pubkey` is stored in clear to identify the key. */
export async function encryptSecret(
  secret: Uint8Array,
  pubkey: Uint8Array,
  password: string,
  description: string,
  kdf: KeystoreKdf = "pbkdf2",
): Promise<IKeystore> {
  const kdfModule = kdf === "scrypt" ? defaultScryptModule() : defaultPbkdfModule();
  return create(password, secret, pubkey, "", description, kdfModule);
}

/**
 * Parse a keystore JSON text. BLS keystores are checked against the EIP-2335 schema; keystores of other keys (the
 * Ed25519 identity, whose 32-byte public key the schema's 48-byte pattern rejects) get the same structural checks
 * here. Throws on anything that is not a version-4 keystore.
 */
export function parseKeystore(json: string, keyType: "bls" | "ed25519"): IKeystore {
  if (keyType === "bls") return Keystore.parse(json).toObject();
  const k = JSON.parse(json) as Partial<IKeystore>;
  const c = k.crypto;
  const isModule = (m: unknown): m is { function: string; params: object; message: string } =>
    typeof m === "object" &&
    m !== null &&
    typeof (m as { function?: unknown }).function === "string" &&
    typeof (m as { params?: unknown }).params === "object" &&
    typeof (m as { message?: unknown }).message === "string";
  if (
    k.version !== 4 ||
    typeof k.uuid !== "string" ||
    typeof k.pubkey !== "string" ||
    !/^([0-9a-f]{2}){32}$/.test(k.pubkey) ||
    c === undefined ||
    !isModule(c.kdf) ||
    !["pbkdf2", "scrypt"].includes(c.kdf.function) ||
    !isModule(c.checksum) ||
    c.checksum.function !== "sha256" ||
    !isModule(c.cipher) ||
    c.cipher.function !== "aes-128-ctr"
  ) {
    throw new Error("not a version-4 Ed25519 keystore");
  }
  return k as IKeystore;
}

/** Decrypt a keystore; returns `null` when the password is wrong (checksum mismatch). */
export async function decryptSecret(keystore: IKeystore, password: string): Promise<Uint8Array | null> {
  try {
    return await decrypt(keystore, password);
  } catch (e) {
    if ((e as Error).message.toLowerCase().includes("password")) return null;
    throw e;
  }
}
