import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { buildProofFixtures, PROOF_FIXTURES_URL, serializeProofFixtures } from "../fixtures/proofFixtures.ts";

describe("beacon proof fixtures of the contracts package", () => {
  it("match a fresh generation from the devnet (regenerate with npm run fixtures:proofs)", () => {
    const committed = readFileSync(PROOF_FIXTURES_URL, "utf8");
    assert.equal(serializeProofFixtures(buildProofFixtures()), committed);
  });
});
