import "../../src/preset.ts";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  DOMAIN_BEACON_PROPOSER,
  DOMAIN_RANDAO,
  DOMAIN_SYNC_COMMITTEE,
  EPOCHS_PER_SYNC_COMMITTEE_PERIOD,
  SLOTS_PER_EPOCH,
} from "@lodestar/params";
import {
  type CachedBeaconStateAltair,
  computeEpochAtSlot,
  computeSigningRoot,
  interopSecretKey,
  processSlots,
} from "@lodestar/state-transition";
import { ssz } from "@lodestar/types";
import { ChainSimulator } from "../../src/node/simulator.ts";

const PERIOD_SLOTS = EPOCHS_PER_SYNC_COMMITTEE_PERIOD * SLOTS_PER_EPOCH;
/** The last slot of the second sync committee period (127 on the minimal preset). */
const LAST_OF_PERIOD = 2 * PERIOD_SLOTS - 1;

/** Independent of the epoch cache: the committee the state at `slot` verifies a block's sync aggregate against. */
function committeeVerifyingBlockAt(sim: ChainSimulator, slot: number): Uint8Array[] {
  const state = processSlots(sim.chain.headState, slot, { dontTransferCache: true }) as CachedBeaconStateAltair;
  return state.currentSyncCommittee.toValue().pubkeys;
}

/** Proposes `slot` with whichever interop key is its proposer (the simulator's client holds only some). */
function proposeAnyway(sim: ChainSimulator, slot: number): void {
  const config = sim.chain.config;
  const proposer = sim.chain.getHeadStateAtSlot(slot).epochCtx.getBeaconProposer(slot);
  const sk = interopSecretKey(proposer);
  const epoch = computeEpochAtSlot(slot);
  const randaoReveal = sk
    .sign(computeSigningRoot(ssz.Epoch, epoch, config.getDomain(slot, DOMAIN_RANDAO, slot)))
    .toBytes();
  const block = sim.chain.produceBlock({ slot, randaoReveal });
  const signature = sk
    .sign(computeSigningRoot(ssz.electra.BeaconBlock, block, config.getDomain(slot, DOMAIN_BEACON_PROPOSER, slot)))
    .toBytes();
  sim.chain.importBlock({ message: block, signature });
}

describe("sync committee across a period boundary", () => {
  it("the built-in validator client proposes a full sync aggregate at the last slot of a period (messages of the second-to-last slot come from the committee that verifies them)", () => {
    const sim = new ChainSimulator({ validators: 16 });
    for (let slot = 1; slot <= LAST_OF_PERIOD + 2; slot++) {
      sim.step();
      assert.equal(sim.chain.head.slot, slot, `no block at slot ${slot}`);
    }
    for (const slot of [LAST_OF_PERIOD - 1, LAST_OF_PERIOD, LAST_OF_PERIOD + 1]) {
      const block = sim.chain.getCanonicalBlockAtSlot(slot);
      assert.ok(block !== undefined);
      const bits = block.signedBlock.message.body.syncAggregate.syncCommitteeBits;
      assert.equal(bits.getTrueBitIndexes().length, bits.bitLen, `slot ${slot}: every member signed`);
    }
  });

  it("accepts an external member's message at a period's second-to-last slot at its position in the next block's committee", () => {
    const held = 8;
    const extra = Array.from({ length: 8 }, (_, i) => ({
      pubkey: interopSecretKey(held + i)
        .toPublicKey()
        .toBytes(),
      withdrawalCredentials: new Uint8Array(32),
    }));
    const sim = new ChainSimulator({ validators: held, extraValidators: extra });
    while (sim.slot < LAST_OF_PERIOD - 1) {
      sim.step({ propose: false, attest: false });
      proposeAnyway(sim, sim.slot);
      sim.validatorClient.attest(sim.slot);
    }
    const slot = sim.slot;
    const head = sim.chain.head;
    const verifying = committeeVerifyingBlockAt(sim, slot + 1).map((p) => Buffer.from(p).toString("hex"));
    const root = computeSigningRoot(ssz.Root, head.root, sim.chain.config.getDomain(slot, DOMAIN_SYNC_COMMITTEE, slot));
    const external = new Set<number>();
    for (let validatorIndex = held; validatorIndex < 2 * held; validatorIndex++) {
      const sk = interopSecretKey(validatorIndex);
      if (!verifying.includes(Buffer.from(sk.toPublicKey().toBytes()).toString("hex"))) {
        assert.throws(() =>
          sim.syncCommitteePool.addMessage({
            slot,
            beaconBlockRoot: head.root,
            validatorIndex,
            signature: sk.sign(root).toBytes(),
          }),
        );
        continue;
      }
      sim.syncCommitteePool.addMessage({
        slot,
        beaconBlockRoot: head.root,
        validatorIndex,
        signature: sk.sign(root).toBytes(),
      });
      external.add(validatorIndex);
    }
    assert.ok(external.size > 0, "no external validator in the committee of the period's last slot");
    sim.slot++;
    proposeAnyway(sim, sim.slot);
    const block = sim.chain.getCanonicalBlockAtSlot(LAST_OF_PERIOD);
    assert.ok(block !== undefined, "no block at the period's last slot");
    const bits = block.signedBlock.message.body.syncAggregate.syncCommitteeBits;
    verifying.forEach((pubkey, position) => {
      const index = Array.from({ length: 2 * held }, (_, i) => i).find(
        (i) => Buffer.from(interopSecretKey(i).toPublicKey().toBytes()).toString("hex") === pubkey,
      );
      assert.equal(bits.get(position), true, `position ${position} (validator ${index}) signed`);
    });
  });
});
