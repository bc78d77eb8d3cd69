import "../../src/preset.ts";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SLOTS_PER_EPOCH } from "@lodestar/params";
import { computeEpochAtSlot } from "@lodestar/state-transition";
import { ssz } from "@lodestar/types";
import { DevnetError } from "../../src/errors.ts";
import { ChainSimulator } from "../../src/node/simulator.ts";

describe("chain", () => {
  it("finalizes epoch e by e+3 with interop validators only, every block fully verified", () => {
    const sim = new ChainSimulator({ validators: 64 });
    const finalizedAt = new Map<number, number>();
    for (let i = 0; i < 6 * SLOTS_PER_EPOCH; i++) {
      const slot = sim.step();
      const epoch = computeEpochAtSlot(slot);
      finalizedAt.set(epoch, sim.chain.finalizedCheckpoint.epoch);
      assert.equal(sim.chain.head.slot, slot, "every slot has a block");
    }
    for (let e = 3; e <= 5; e++) {
      assert.ok((finalizedAt.get(e) ?? 0) >= e - 3, `epoch ${e - 3} finalized by epoch ${e}`);
    }
    assert.ok(sim.chain.finalizedCheckpoint.epoch >= 3);
  });

  it("rejects a block with a bad signature, a wrong proposer or a wrong state root", () => {
    const sim = new ChainSimulator({ validators: 16 });
    sim.slot = 1;
    const state = sim.chain.getHeadStateAtSlot(1);
    const proposer = state.epochCtx.getBeaconProposer(1);
    const block = sim.chain.produceBlock({ slot: 1, randaoReveal: new Uint8Array(96) });
    // Unsigned/garbage signature.
    assert.throws(() => sim.chain.importBlock({ message: block, signature: new Uint8Array(96) }), DevnetError);
    const wrongProposer = ssz.electra.BeaconBlock.clone(block);
    wrongProposer.proposerIndex = (proposer + 1) % 16;
    assert.throws(() => sim.chain.importBlock({ message: wrongProposer, signature: new Uint8Array(96) }), DevnetError);
    const wrongRoot = ssz.electra.BeaconBlock.clone(block);
    wrongRoot.stateRoot = new Uint8Array(32).fill(1);
    assert.throws(() => sim.chain.importBlock({ message: wrongRoot, signature: new Uint8Array(96) }), DevnetError);
    assert.equal(sim.chain.head.slot, 0, "nothing imported");
  });

  it("regenerates evicted states by replay", () => {
    const sim = new ChainSimulator({ validators: 16, stateCacheSize: 4 });
    for (let i = 0; i < 3 * SLOTS_PER_EPOCH; i++) sim.step();
    const block = sim.chain.getCanonicalBlockAtSlot(5);
    assert.ok(block !== undefined);
    const state = sim.chain.getStateByBlockRoot(block.rootHex);
    assert.equal(Buffer.from(state.hashTreeRoot()).toString("hex"), block.stateRootHex.slice(2));
  });
});

describe("chain with Fulu at genesis", () => {
  it("produces, imports and justifies with the proposer lookahead in the state", () => {
    const sim = new ChainSimulator({ validators: 32, fulu: true });
    for (let i = 0; i < 4 * SLOTS_PER_EPOCH; i++) sim.step();
    assert.equal(sim.chain.config.getForkName(sim.chain.head.slot), "fulu");
    assert.equal(sim.chain.head.slot, 4 * SLOTS_PER_EPOCH);
    assert.ok(sim.chain.justifiedCheckpoint.epoch >= 2);
  });

  it("pays the fee recipient a proposer registered (prepareBeaconProposer) unless a request names another", () => {
    const sim = new ChainSimulator({ validators: 16 });
    sim.slot = 1;
    const proposer = sim.chain.getHeadStateAtSlot(1).epochCtx.getBeaconProposer(1);
    const unregistered = sim.chain.produceBlock({ slot: 1, randaoReveal: new Uint8Array(96) });
    assert.deepEqual(unregistered.body.executionPayload.feeRecipient, new Uint8Array(20));
    const vault = new Uint8Array(20).fill(0xab);
    sim.chain.prepareProposer(proposer, vault);
    sim.chain.prepareProposer((proposer + 1) % 16, new Uint8Array(20).fill(0x11));
    const registered = sim.chain.produceBlock({ slot: 1, randaoReveal: new Uint8Array(96) });
    assert.deepEqual(registered.body.executionPayload.feeRecipient, vault);
    const named = new Uint8Array(20).fill(0x22);
    const explicit = sim.chain.produceBlock({ slot: 1, randaoReveal: new Uint8Array(96), feeRecipient: named });
    assert.deepEqual(explicit.body.executionPayload.feeRecipient, named);
  });
});
