import "../../src/preset.ts";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ssz } from "@lodestar/types";
import { ChainSimulator } from "../../src/node/simulator.ts";
import { getValidatorProofs, validatorFieldGindices } from "../../src/proofs/validatorProofs.ts";
import { balanceFromLeaf, verifyMerkleProof } from "../../src/proofs/verify.ts";

describe("validator proofs", () => {
  const sim = new ChainSimulator({ validators: 16 });
  for (let i = 0; i < 10; i++) sim.step();
  const block = sim.chain.head;
  const index = 5;
  const p = getValidatorProofs(sim.chain, block, index);

  it("proves the balance against the block root", () => {
    assert.ok(verifyMerkleProof(p.balanceProof.leaf, p.balanceProof.witnesses, p.balanceProof.gindex, block.root));
    assert.equal(balanceFromLeaf(p.balanceProof.leaf, index), p.balance);
    assert.ok(p.balanceProof.gindex > 2n ** 47n);
  });

  it("proves the validator record and each field against the block root", () => {
    assert.deepEqual(p.validatorProof.leaf, ssz.phase0.Validator.hashTreeRoot(p.validator));
    assert.ok(
      verifyMerkleProof(p.validatorProof.leaf, p.validatorProof.witnesses, p.validatorProof.gindex, block.root),
    );
    for (const [field, proof] of Object.entries(p.fieldProofs)) {
      assert.ok(verifyMerkleProof(proof.leaf, proof.witnesses, proof.gindex, block.root), field);
    }
    assert.deepEqual(p.fieldProofs.withdrawalCredentials.leaf, p.validator.withdrawalCredentials);
    assert.deepEqual(p.fieldProofs.pubkey.leaf, ssz.BLSPubkey.hashTreeRoot(p.validator.pubkey));
    assert.ok(p.fieldProofs.withdrawalCredentials.gindex > 2n ** 53n, "field gindices need a bigint");
    assert.equal(p.fieldProofs.exitEpoch.gindex >> 3n, p.validatorProof.gindex);
    assert.equal(Object.keys(validatorFieldGindices).length, 8);
  });

  it("fails for a wrong root, a wrong gindex or a tampered witness", () => {
    const { leaf, witnesses, gindex } = p.balanceProof;
    assert.equal(verifyMerkleProof(leaf, witnesses, gindex, new Uint8Array(32)), false);
    assert.equal(verifyMerkleProof(leaf, witnesses, gindex + 1n, block.root), false);
    assert.equal(verifyMerkleProof(leaf, witnesses.slice(1), gindex, block.root), false);
    const tampered = witnesses.map((w, i) => (i === 3 ? new Uint8Array(32).fill(1) : w));
    assert.equal(verifyMerkleProof(leaf, tampered, gindex, block.root), false);
  });

  it("proves against an older block whose state was evicted", () => {
    const small = new ChainSimulator({ validators: 16, stateCacheSize: 2 });
    for (let i = 0; i < 12; i++) small.step();
    const old = small.chain.getCanonicalBlockAtSlot(3);
    assert.ok(old !== undefined);
    const q = getValidatorProofs(small.chain, old, 1);
    assert.ok(verifyMerkleProof(q.balanceProof.leaf, q.balanceProof.witnesses, q.balanceProof.gindex, old.root));
  });
});
