import { createCipheriv, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { RandomSource } from "@nektar/crypto";
import { writeFileAtomic } from "../storage/atomicFile.ts";

/** Bytes of a dealer seed (a ChaCha20 key). */
const SEED_BYTES = 32;

/**
 * The randomness this node deals with in one DKG session, kept on disk while the dealing round is open.
 *
 * Why: a dealer that crashes after sending part of its deal and restarts must send **the same** deal again. A fresh
 * polynomial would reach the members that had not heard the first one, while the others keep the first (first wins):
 * two sets of commitments for one dealer, and the members end with different qualified sets. So the first start of a
 * session draws a 32-byte seed from the platform CSPRNG, writes it atomically (mode 600) under
 * `<dataDir>/dkg-seeds/`, and expands it with ChaCha20 into the state machine's random stream; a restart in the same
 * session reads the seed back and replays the identical deal.
 *
 * The seed is deleted as soon as the dealing round closes, before this node sends anything of the complaint or answer
 * rounds, and when the ceremony ends either way. Answers reveal shares in public, so a polynomial whose shares may have
 * been revealed is never dealt again: a restart after the dealing round, or any retried session, deals a fresh one.
 * A crash inside the dealing round followed by a retry of the same session replays the same deal to the same members,
 * which tells them nothing they were not told the first time. The seed is as secret as a key share and never logged.
 */
export type DealerSeed = {
  /** The random stream for the DKG state machine. */
  random: RandomSource;
  /** Whether this seed was read back from an earlier start of the same session. */
  resumed: boolean;
  /** Delete the seed (idempotent): the polynomial it makes must never be dealt again. */
  discard(): void;
};

export function dealerSeedPath(dataDir: string, sessionId: Uint8Array): string {
  return join(dataDir, "dkg-seeds", `${Buffer.from(sessionId).toString("hex")}.seed`);
}

/** Open (or create) the dealer seed of session `sessionId` under `dataDir`. */
export function openDealerSeed(dataDir: string, sessionId: Uint8Array): DealerSeed {
  const path = dealerSeedPath(dataDir, sessionId);
  let seed: Uint8Array | undefined;
  if (existsSync(path)) {
    const bytes = readFileSync(path);
    // A seed of the wrong size (a damaged file) is not used: a fresh one is drawn in its place.
    if (bytes.length === SEED_BYTES) seed = new Uint8Array(bytes);
  }
  const resumed = seed !== undefined;
  if (seed === undefined) {
    seed = new Uint8Array(randomBytes(SEED_BYTES));
    mkdirSync(join(dataDir, "dkg-seeds"), { recursive: true, mode: 0o700 });
    writeFileAtomic(path, seed, { mode: 0o600 });
  }
  return {
    random: chachaStream(seed),
    resumed,
    discard: () => rmSync(path, { force: true }),
  };
}

/** A deterministic random stream: the ChaCha20 keystream under `key` (zero nonce; one key per session). */
export function chachaStream(key: Uint8Array): RandomSource {
  const cipher = createCipheriv("chacha20", key, new Uint8Array(16));
  return (n) => new Uint8Array(cipher.update(new Uint8Array(n)));
}
