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
