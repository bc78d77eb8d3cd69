import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { decrypt } from "@chainsafe/bls-keystore";
import { PublicKey, Signature, verify } from "@chainsafe/blst";
import { interpolateSignatures, type KeyShare, signPartial } from "@nektar/crypto";
import { hexToBytes } from "viem";
import { verifyClusterLock } from "../../src/dkg/verifyLock.ts";
import { type ReshareCluster, replaceRequest, reshareCluster, runReplacement } from "../support/reshareHarness.ts";

const N = 16;
const T = 11;
const LEAVING = 9;

describe(`resharing, ${N} operators + 1 newcomer in one process: seat ${LEAVING} replaced`, () => {
  const root = mkdtempSync(join(tmpdir(), "stinger-reshare16-"));
  let c: ReshareCluster;
  before(async () => {
    c = await reshareCluster(N, T, root, { joinTimeoutMs: 60_000, roundTimeoutMs: 30_000 });
  });
  after(async () => {
    await c.stop();
    for (const o of c.ops) rmSync(o.deps.dataDir, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  });

  it("keeps the key, every new share signs, and no mix of old and new shares does", async () => {
    const request = replaceRequest(c, LEAVING);
    const results = await runReplacement(c, request);
    const { lock } = verifyClusterLock(JSON.parse(readFileSync(results[0]?.outcome.lock as string, "utf8")));
    assert.equal(lock.groupPublicKey, request.current.lock.groupPublicKey);
    assert.equal(new Set(results.map((r) => r.outcome.record.lockHash)).size, 1);
    const fresh: KeyShare[] = [];
    for (const { seat, outcome } of results) {
      fresh[seat - 1] = {
        shareIndex: seat,
        secretKey: await decrypt(JSON.parse(readFileSync(outcome.keystore, "utf8")), "share password"),
      };
    }
    const groupKey = PublicKey.fromBytes(hexToBytes(lock.groupPublicKey), true);
    const msg = new Uint8Array(32).fill(0x21);
    const sig = (s: KeyShare) => Signature.fromBytes(signPartial(s, msg).signature, true);
    const oldSigs = c.shares.map(sig);
    const newSigs = fresh.map(sig);
    const signs = (ids: number[], old: (id: number) => boolean) =>
      verify(
        msg,
        groupKey,
        interpolateSignatures(
          ids,
          ids.map((id) => (old(id) ? oldSigs : newSigs)[id - 1] as Signature),
        ),
      );
    // The newcomer with any 10 others signs.
    assert.ok(signs([LEAVING, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11], () => false));
    // The leaving operator's old share with 10 new shares, and 200 random mixes, never sign.
    assert.ok(!signs([LEAVING, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11], (id) => id === LEAVING));
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    for (let k = 0; k < 200; k++) {
      const ids = Array.from({ length: N }, (_, i) => i + 1)
        .sort(() => (next() % 2 === 0 ? -1 : 1))
        .slice(0, T)
        .sort((a, b) => a - b);
      const old = new Set(ids.filter(() => next() % 2 === 0));
      if (old.size === 0 || old.size === T) continue;
      assert.ok(!signs(ids, (id) => old.has(id)), `mixed ${ids} old ${[...old]}`);
    }
  });
});
