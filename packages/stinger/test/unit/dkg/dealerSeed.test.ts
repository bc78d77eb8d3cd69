import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { DkgParticipant, encodeDkgMessage } from "@nektar/crypto";
import { chachaStream, dealerSeedPath, openDealerSeed } from "../../../src/dkg/dealerSeed.ts";

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function dataDir(): string {
  const d = mkdtempSync(join(tmpdir(), "stinger-seed-"));
  dirs.push(d);
  return d;
}
const session = new Uint8Array(32).fill(7);
const participants = Array.from({ length: 4 }, (_, i) => ({
  address: `0x${(i + 1).toString(16).padStart(40, "0")}` as const,
}));

/** The bytes of every message a dealer sends when the dealing round opens. */
function deal(random: (n: number) => Uint8Array): string[] {
  const p = new DkgParticipant({ sessionId: session, participants, threshold: 3, self: 2 }, random);
  return p.start().map((o) => `${o.to}:${Buffer.from(encodeDkgMessage(o.message)).toString("hex")}`);
}

describe("dealer seed", () => {
  it("a restart in the same session replays the identical deal; the seed file is private", () => {
    const dir = dataDir();
    const first = openDealerSeed(dir, session);
    assert.equal(first.resumed, false);
    const dealt = deal(first.random);
    // The process dies here (no discard); the next start reads the seed back.
    const again = openDealerSeed(dir, session);
    assert.equal(again.resumed, true);
    assert.deepEqual(deal(again.random), dealt);
    assert.equal(statSync(dealerSeedPath(dir, session)).mode & 0o777, 0o600);
  });

  it("after the dealing round (discard) the next start deals a fresh polynomial", () => {
    const dir = dataDir();
    const first = openDealerSeed(dir, session);
    const dealt = deal(first.random);
    first.discard();
    first.discard();
    assert.equal(existsSync(dealerSeedPath(dir, session)), false);
    const next = openDealerSeed(dir, session);
    assert.equal(next.resumed, false);
    assert.notDeepEqual(deal(next.random), dealt);
  });

  it("another session never shares the seed", () => {
    const dir = dataDir();
    const a = openDealerSeed(dir, session);
    const b = openDealerSeed(dir, new Uint8Array(32).fill(8));
    assert.notDeepEqual(deal(a.random), deal(b.random));
  });

  it("a damaged seed file is replaced by a fresh seed, not used", () => {
    const dir = dataDir();
    openDealerSeed(dir, session);
    writeFileSync(dealerSeedPath(dir, session), Buffer.from("short"));
    const s = openDealerSeed(dir, session);
    assert.equal(s.resumed, false);
    assert.equal(statSync(dealerSeedPath(dir, session)).size, 32);
  });

  it("the stream is the ChaCha20 keystream: deterministic per key, split reads equal one read", () => {
    const key = new Uint8Array(32).fill(1);
    const one = chachaStream(key)(96);
    const split = chachaStream(key);
    assert.deepEqual(new Uint8Array([...split(10), ...split(86)]), one);
    assert.notDeepEqual(chachaStream(new Uint8Array(32).fill(2))(96), one);
    // RFC 8439 appendix A.1, test vector 1: zero key, zero nonce, block counter 0.
    assert.equal(Buffer.from(chachaStream(new Uint8Array(32))(16)).toString("hex"), "76b8e0ada0f13d90405d6ae55386bd28");
  });
});
