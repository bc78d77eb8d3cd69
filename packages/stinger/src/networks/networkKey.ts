import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SecretKey } from "@chainsafe/blst";
import { decryptKeystore, encryptKeystore, KeystoreError, type KeystoreKdf } from "@nektar/crypto";
import { bytesToHex } from "viem";
import { assertStrongPassword } from "../identity/password.ts";
import { writeFileAtomic } from "../storage/atomicFile.ts";
import { NetworkModuleError } from "./errors.ts";

export const NETWORK_KEYSTORE_FILE = "network-keystore.json";

/**
 * An operator's BLS key for one Network: never a validator share, never logged. Only `sign` and the public key leave
 * this object; printing it (`JSON.stringify`, `util.inspect`) shows the public key only.
 */
export class NetworkKey {
  readonly #secret: SecretKey;
  /** Compressed G1 public key (48 bytes). */
  readonly publicKey: Uint8Array;

  constructor(secret: SecretKey) {
    this.#secret = secret;
    this.publicKey = secret.toPublicKey().toBytes();
  }

  /** Signs `message` with Ethereum's BLS ciphersuite; returns the compressed signature (96 bytes). */
  sign(message: Uint8Array): Uint8Array {
    return this.#secret.sign(message).toBytes();
  }

  toJSON(): { publicKey: string } {
    return { publicKey: bytesToHex(this.publicKey) };
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `NetworkKey(${bytesToHex(this.publicKey)})`;
  }
}

/** Directory of one Network's key and slashing protection under the node's data directory. */
export function networkDir(dataDir: string, moduleName: string): string {
  if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(moduleName)) {
    throw new NetworkModuleError({
      code: "ERR_NETWORK_MODULE_INVALID",
      module: moduleName,
      reason: "a module name is 1-64 lower-case letters, digits or dashes",
    });
  }
  return join(dataDir, "networks", moduleName);
}

/**
 * Loads the Network key in `dir`, or creates it on first use — like the identity key: an EIP-2335 keystore encrypted
 * with the node's password, written atomically and never over an existing file.
 */
export async function loadOrCreateNetworkKey(
  dir: string,
  password: string,
  opts: { kdf?: KeystoreKdf; ikm?: Uint8Array } = {},
): Promise<{ key: NetworkKey; created: boolean }> {
  const path = join(dir, NETWORK_KEYSTORE_FILE);
  if (existsSync(path)) return { key: await loadNetworkKey(dir, password), created: false };
  assertStrongPassword(password);
  const ikm = opts.ikm ?? crypto.getRandomValues(new Uint8Array(32));
  const secret = SecretKey.fromKeygen(ikm);
  const secretBytes = secret.toBytes();
  const keystore = await encryptKeystore("bls", secretBytes, password, {
    pubkey: secret.toPublicKey().toBytes(),
    description: "stinger network key (bls)",
    ...(opts.kdf !== undefined ? { kdf: opts.kdf } : {}),
  });
  secretBytes.fill(0);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileAtomic(path, JSON.stringify(keystore, null, 2), { mode: 0o600, exclusive: true });
  return { key: new NetworkKey(secret), created: true };
}

/** Decrypts the Network key in `dir`. */
export async function loadNetworkKey(dir: string, password: string): Promise<NetworkKey> {
  const path = join(dir, NETWORK_KEYSTORE_FILE);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new NetworkModuleError({ code: "ERR_NETWORK_KEY_NOT_FOUND", path });
  }
  try {
    const secret = await decryptKeystore("bls", text, password);
    const key = new NetworkKey(SecretKey.fromBytes(secret));
    secret.fill(0);
    return key;
  } catch (e) {
    if (e instanceof KeystoreError && e.type.code === "ERR_KEYSTORE_WRONG_PASSWORD") {
      throw new NetworkModuleError({ code: "ERR_NETWORK_KEY_WRONG_PASSWORD", path });
    }
    throw new NetworkModuleError({ code: "ERR_NETWORK_KEY_INVALID", path, reason: (e as Error).message });
  }
}
