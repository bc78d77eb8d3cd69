import "../../src/preset.ts";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { aggregatePublicKeys, type PublicKey, Signature, verify } from "@chainsafe/blst";
import { DOMAIN_SYNC_COMMITTEE, FAR_FUTURE_EPOCH, SLOTS_PER_EPOCH } from "@lodestar/params";
import { computeEpochAtSlot, computeSigningRoot, interopSecretKey } from "@lodestar/state-transition";
import { ssz } from "@lodestar/types";
import { ChainSimulator } from "../../src/node/simulator.ts";
import { PoolError } from "../../src/pool/poolError.ts";

describe("block operations", () => {
  it("includes a signed voluntary exit and the validator starts exiting", () => {
    const sim = new ChainSimulator({ validators: 16 });
    // SHARD_COMMITTEE_PERIOD is 4 epochs on the devnet.
    while (computeEpochAtSlot(sim.slot) < 5) sim.step();
    const epoch = computeEpochAtSlot(sim.slot);
    const message = { epoch, validatorIndex: 3 };
    const domain = sim.chain.config.getDomainForVoluntaryExit(sim.slot);
    const exit = {
      message,
      signature: interopSecretKey(3)
        .sign(computeSigningRoot(ssz.phase0.VoluntaryExit, message, domain))
        .toBytes(),
    };
    assert.throws(
      () =>
        sim.voluntaryExitPool.add(
          { ...exit, signature: interopSecretKey(4).sign(new Uint8Array(32)).toBytes() },
          sim.chain.headState,
        ),
      PoolError,
    );
    sim.voluntaryExitPool.add(exit, sim.chain.headState);
    sim.step();
    sim.step();
    const v = sim.chain.headState.validators.getReadonly(3);
    assert.notEqual(v.exitEpoch, FAR_FUTURE_EPOCH);
    assert.equal(sim.voluntaryExitPool.getForBlock(sim.chain.headState).length, 0, "an included exit leaves the pool");
  });

  it("aggregates sync committee messages of unheld validators into the next block's sync aggregate", () => {
    const extra = Array.from({ length: 8 }, (_, i) => ({
      pubkey: interopSecretKey(8 + i)
        .toPublicKey()
        .toBytes(),
      withdrawalCredentials: new Uint8Array(32),
    }));
    const sim = new ChainSimulator({ validators: 8, extraValidators: extra });
    sim.step({ attest: false });
    const slot = sim.slot;
    const head = sim.chain.head;
    const committee = sim.chain.headState.epochCtx.getIndexedSyncCommittee(slot);
    const root = computeSigningRoot(ssz.Root, head.root, sim.chain.config.getDomain(slot, DOMAIN_SYNC_COMMITTEE, slot));
    let positions = 0;
    for (const [validatorIndex, pos] of committee.validatorIndexMap) {
      if (validatorIndex < 8) continue;
      sim.syncCommitteePool.addMessage({
        slot,
        beaconBlockRoot: head.root,
        validatorIndex,
        signature: interopSecretKey(validatorIndex).sign(root).toBytes(),
      });
      positions += pos.length;
    }
    assert.ok(positions > 0);
    assert.throws(
      () =>
        sim.syncCommitteePool.addMessage({
          slot,
          beaconBlockRoot: head.root,
          validatorIndex: 9,
          signature: interopSecretKey(10).sign(root).toBytes(),
        }),
      /signature|not in the sync committee/,
    );
    sim.slot++;
    const block = sim.chain.produceBlock({ slot: sim.slot, randaoReveal: new Uint8Array(96) });
    const bits = block.body.syncAggregate.syncCommitteeBits.getTrueBitIndexes();
    assert.equal(bits.length, positions);
    const pubkeys = bits.map(
      (p) => sim.chain.headState.epochCtx.getPubkey(committee.validatorIndices[p] as number) as PublicKey,
    );
    const signature = Signature.fromBytes(block.body.syncAggregate.syncCommitteeSignature, true);
    assert.ok(verify(root, aggregatePublicKeys(pubkeys), signature), "the sync aggregate signature verifies");
    assert.ok(SLOTS_PER_EPOCH > 0);
  });
});
