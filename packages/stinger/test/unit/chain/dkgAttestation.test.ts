import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { AttestationStore, NO_RESULT_DIGEST } from "../../../src/chain/dkgAttestation.ts";

const dir = mkdtempSync(join(tmpdir(), "stinger-dkg-attestations-"));
after(() => rmSync(dir, { recursive: true, force: true }));

// The on-chain side (attest once, restart, stale rounds, upkeep) is `test/e2e/dkgUpkeepInProcess.test.ts` (test:slow).
describe("DKG attestation store", () => {
  it("refuse a store of another chain or registry, or a corrupt one", () => {
    const path = join(dir, "bad", "dkg-attestations.json");
    AttestationStore.open(path, "1:0xabc").record(
      { requestId: 1n, requestedAt: 2n },
      NO_RESULT_DIGEST,
      NO_RESULT_DIGEST,
    );
    assert.throws(() => AttestationStore.open(path, "2:0xabc"), /ERR_CHAIN_ATTESTATIONS_INVALID/);
    assert.equal(
      AttestationStore.open(path, "1:0xabc").get({ requestId: 1n, requestedAt: 2n })?.digest,
      NO_RESULT_DIGEST,
    );
    writeFileSync(path, "{not json");
    assert.throws(() => AttestationStore.open(path, "1:0xabc"), /ERR_CHAIN_ATTESTATIONS_INVALID/);
  });

  it("keeps a record across a reopen and drops the oldest rounds beyond its cap", () => {
    const path = join(dir, "cap", "dkg-attestations.json");
    const store = AttestationStore.open(path, "1:0xabc", 4);
    const tx = `0x${"11".repeat(32)}` as const;
    for (let i = 0n; i < 6n; i++) store.record({ requestId: i, requestedAt: 1n }, NO_RESULT_DIGEST, tx);
    const reopened = AttestationStore.open(path, "1:0xabc");
    assert.equal(reopened.get({ requestId: 0n, requestedAt: 1n }), undefined);
    assert.deepEqual(reopened.get({ requestId: 5n, requestedAt: 1n }), { digest: NO_RESULT_DIGEST, tx });
    assert.equal(reopened.get({ requestId: 5n, requestedAt: 2n }), undefined, "another round of the request");
  });
});
