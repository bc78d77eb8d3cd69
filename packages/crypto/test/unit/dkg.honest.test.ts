import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { DkgResult } from "../../src/index.ts";
import { assertWorkingKey } from "./assertKey.ts";
import { runDkg } from "./harness.ts";

describe("DKG, honest", () => {
  it("16 honest parties agree on one group key and 11 of them sign", () => {
    const { participants, network, aborted } = runDkg();
    assert.equal(aborted.size, 0);
    assert.deepEqual(network.rejected, []);
    const results = [...participants.values()].map((p) => p.result() as DkgResult);
    assert.equal(results.length, 16);
    for (const p of participants.values()) assert.equal(p.phase, "done");
    assert.deepEqual(
      results[0]?.qualified,
      Array.from({ length: 16 }, (_, i) => i + 1),
    );
    assertWorkingKey(results, [2, 3, 5, 7, 8, 9, 11, 12, 13, 15, 16]);
  });

  it("works when every message goes through the wire codec", () => {
    const { participants, network, aborted } = runDkg({ n: 7, t: 5, throughCodec: true, seed: "codec" });
    assert.equal(aborted.size, 0);
    assert.deepEqual(network.rejected, []);
    assertWorkingKey(
      [...participants.values()].map((p) => p.result() as DkgResult),
      [1, 3, 4, 6, 7],
      5,
    );
  });

  it("is deterministic given the injected randomness", () => {
    const a = runDkg({ n: 4, t: 3, seed: "same" });
    const b = runDkg({ n: 4, t: 3, seed: "same" });
    const c = runDkg({ n: 4, t: 3, seed: "other" });
    assert.deepEqual(a.participants.get(1)?.result(), b.participants.get(1)?.result());
    assert.notDeepEqual(
      a.participants.get(1)?.result()?.groupPublicKey,
      c.participants.get(1)?.result()?.groupPublicKey,
    );
  });
});
