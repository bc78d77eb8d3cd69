import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PublicKey, SecretKey, Signature, verify } from "@chainsafe/blst";
import type { ParSignedData } from "../../../../src/core/interfaces.ts";
import { PipelineError } from "../../../../src/core/pipelineError.ts";
import { COMBINE_CHUNK, ThresholdSigAgg } from "../../../../src/core/sigagg/sigAgg.ts";
import { dealValidators, keysFor, T } from "./fixtures.ts";

// More validators than one chunk, so the queue is drained over several event-loop turns.
const validators = dealValidators(COMBINE_CHUNK + 5);
const root = new Uint8Array(32).fill(0x5a);
const otherRoot = new Uint8Array(32).fill(0x5b);

function partialsOf(v: (typeof validators)[0], shares: number[], signingRoot = root): ParSignedData[] {
  return shares.map((s) => ({
    duty: { slot: 40, type: "attester" as const, validator: v.index },
    signingRoot,
    signature: SecretKey.fromBytes(v.dealt.secretShares[s - 1] as Uint8Array)
      .sign(signingRoot)
      .toBytes(),
    shareIndex: s,
  }));
}

describe("sigagg: requests of one turn are combined together", () => {
  it("every validator of a slot combines to its group signature; a bad partial is attributed to its sender", async () => {
    const bad: [number, number[]][] = [];
    const agg = new ThresholdSigAgg({
      keys: keysFor(1, validators),
      threshold: T,
      onBadPartials: (duty, shares) => bad.push([duty.validator, shares]),
    });
    const shares = Array.from({ length: T + 1 }, (_, i) => i + 1);
    const victim = validators[7] as (typeof validators)[0];
    const requests = validators.map((v) => {
      const ps = partialsOf(v, shares);
      if (v === victim)
        ps[4] = {
          ...(ps[4] as ParSignedData),
          signature: partialsOf(v, [5], otherRoot)[0]?.signature as Uint8Array,
        };
      return agg.aggregate(ps);
    });
    const results = await Promise.all(requests);
    for (const [i, v] of validators.entries()) {
      const sig = Signature.fromBytes((results[i] as { signature: Uint8Array }).signature, true, true);
      assert.ok(verify(root, PublicKey.fromBytes(v.dealt.pubkey, true), sig), `validator ${v.index}`);
    }
    assert.deepEqual(bad, [[victim.index, [5]]]);
  });

  it("too few partials reject with ERR_DUTY_INSUFFICIENT_PARTIALS without failing the others", async () => {
    const agg = new ThresholdSigAgg({ keys: keysFor(1, validators), threshold: T });
    const [a, b] = validators as [(typeof validators)[0], (typeof validators)[0]];
    const shares = Array.from({ length: T }, (_, i) => i + 1);
    const broken = partialsOf(b, shares);
    broken[0] = {
      ...(broken[0] as ParSignedData),
      signature: partialsOf(b, [1], otherRoot)[0]?.signature as Uint8Array,
    };
    const [ok, failed] = await Promise.allSettled([agg.aggregate(partialsOf(a, shares)), agg.aggregate(broken)]);
    assert.equal(ok?.status, "fulfilled");
    assert.ok(
      failed?.status === "rejected" &&
        failed.reason instanceof PipelineError &&
        failed.reason.type.code === "ERR_DUTY_INSUFFICIENT_PARTIALS",
    );
  });

  it("a second request for a duty still waiting joins it: combined once, the later caller is refused", async () => {
    const agg = new ThresholdSigAgg({ keys: keysFor(1, validators), threshold: T });
    const v = validators[0] as (typeof validators)[0];
    const first = agg.aggregate(
      partialsOf(
        v,
        Array.from({ length: T }, (_, i) => i + 1),
      ),
    );
    const second = agg.aggregate(
      partialsOf(
        v,
        Array.from({ length: T + 1 }, (_, i) => i + 1),
      ),
    );
    const [r1, r2] = await Promise.allSettled([first, second]);
    assert.equal(r1?.status, "fulfilled");
    assert.ok(
      r2?.status === "rejected" && r2.reason instanceof PipelineError && r2.reason.type.code === "ERR_DUTY_CONFLICT",
    );
  });

  it("rejects an unknown validator and mixed signing roots immediately", async () => {
    const agg = new ThresholdSigAgg({ keys: keysFor(1, validators.slice(1)), threshold: T });
    const v = validators[0] as (typeof validators)[0];
    await assert.rejects(
      agg.aggregate(partialsOf(v, [1, 2])),
      (e: unknown) => e instanceof PipelineError && e.type.code === "ERR_DUTY_UNKNOWN_VALIDATOR",
    );
    const w = validators[1] as (typeof validators)[0];
    await assert.rejects(
      agg.aggregate([...partialsOf(w, [1]), ...partialsOf(w, [2], otherRoot)]),
      (e: unknown) => e instanceof PipelineError && e.type.code === "ERR_DUTY_DATA_INVALID",
    );
  });
});

describe("sigagg: an operator that sends bad partials does not cost honest nodes the slow path on every duty", () => {
  const BYZANTINE = 3;
  /** All 16 partials of a duty, the byzantine operator's signing another root (a valid point, the wrong message). */
  const withBadShare = (v: (typeof validators)[0], slot: number): ParSignedData[] =>
    partialsOf(
      v,
      Array.from({ length: 16 }, (_, i) => i + 1),
    ).map((p) =>
      p.shareIndex === BYZANTINE
        ? {
            ...p,
            duty: { ...p.duty, slot },
            signature: partialsOf(v, [BYZANTINE], otherRoot)[0]?.signature as Uint8Array,
          }
        : { ...p, duty: { ...p.duty, slot } },
    );

  it("after one slow-path attribution, the suspect's partials are interpolated last (checked once, not per duty)", async () => {
    const bad: number[][] = [];
    const agg = new ThresholdSigAgg({
      keys: keysFor(1, validators),
      threshold: T,
      onBadPartials: (_, shares) => bad.push(shares),
    });
    // Without suspects, every duty whose first 11 partials include the bad one fails the optimistic check and pays
    // one pairing per partial; each such duty reports the culprit again.
    for (const [k, v] of validators.slice(0, 10).entries()) {
      const sig = await agg.aggregate(withBadShare(v, 50 + k));
      assert.ok(
        verify(root, PublicKey.fromBytes(v.dealt.pubkey, true), Signature.fromBytes(sig.signature, true, true)),
      );
    }
    assert.deepEqual(bad, [[BYZANTINE]], "attributed once, by the first duty's slow path only");
    assert.deepEqual(agg.suspectsAt(59), [BYZANTINE]);
    assert.deepEqual(agg.suspectsAt(50 + 10 + 32), [], "suspicion expires after SUSPECT_SLOTS");
  });

  it("a threshold that needs the suspect waits for more partials, then combines without it", async () => {
    const bad: number[][] = [];
    const agg = new ThresholdSigAgg({
      keys: keysFor(1, validators),
      threshold: T,
      suspectGraceMs: 10_000,
      onBadPartials: (_, shares) => bad.push(shares),
    });
    const [a, b] = validators as [(typeof validators)[0], (typeof validators)[0]];
    await agg.aggregate(withBadShare(a, 60));
    assert.deepEqual(bad, [[BYZANTINE]]);
    const all = withBadShare(b, 61);
    // The first 11 to arrive include the suspect's: combining them would fail (slow path) — it waits instead.
    const eleven = all.slice(0, T);
    let settled = false;
    const pending = agg.aggregate(eleven).finally(() => {
      settled = true;
    });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(settled, false, "not combined while only a suspect's partial completes the threshold");
    // The 12th partial makes 11 without the suspect: combined at once, on the optimistic path.
    const later = agg.aggregate(all.slice(0, T + 1));
    const results = await Promise.allSettled([pending, later]);
    const ok = results.filter((r) => r.status === "fulfilled");
    assert.equal(ok.length, 1, "one caller gets the signature, the other ERR_DUTY_CONFLICT");
    const sig = (ok[0] as PromiseFulfilledResult<{ signature: Uint8Array }>).value.signature;
    assert.ok(verify(root, PublicKey.fromBytes(b.dealt.pubkey, true), Signature.fromBytes(sig, true, true)));
    assert.deepEqual(bad, [[BYZANTINE]], "the suspect's bad partial was never checked again");
  });

  it("if no more partials come, the suspect's partial is tried after the grace (a reformed operator still counts)", async () => {
    const agg = new ThresholdSigAgg({ keys: keysFor(1, validators), threshold: T, suspectGraceMs: 30 });
    const [a, b] = validators as [(typeof validators)[0], (typeof validators)[0]];
    await agg.aggregate(withBadShare(a, 70));
    // Now the suspect signs correctly, and only 11 operators are up (the suspect among them).
    const honestNow = partialsOf(
      b,
      Array.from({ length: T }, (_, i) => i + 1),
    ).map((p) => ({ ...p, duty: { ...p.duty, slot: 71 } }));
    assert.ok(honestNow.some((p) => p.shareIndex === BYZANTINE));
    const sig = await agg.aggregate(honestNow);
    assert.ok(verify(root, PublicKey.fromBytes(b.dealt.pubkey, true), Signature.fromBytes(sig.signature, true, true)));
  });
});
