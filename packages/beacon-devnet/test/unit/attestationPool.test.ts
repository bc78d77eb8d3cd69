import "../../src/preset.ts";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DOMAIN_BEACON_ATTESTER } from "@lodestar/params";
import { computeSigningRoot, interopSecretKey } from "@lodestar/state-transition";
import type { electra } from "@lodestar/types";
import { ssz } from "@lodestar/types";
import { produceAttestationData } from "../../src/chain/attestationData.ts";
import { ChainSimulator } from "../../src/node/simulator.ts";
import { PoolError } from "../../src/pool/poolError.ts";

/** A simulator whose validators 8..15 are not held: they can only attest through `addSingleAttestation`. */
function setup() {
  const extra = Array.from({ length: 8 }, (_, i) => ({
    pubkey: interopSecretKey(8 + i)
      .toPublicKey()
      .toBytes(),
    withdrawalCredentials: new Uint8Array(32),
  }));
  const sim = new ChainSimulator({ validators: 8, extraValidators: extra });
  sim.step();
  sim.step({ attest: false });
  return sim;
}

function singleFor(sim: ChainSimulator, validatorIndex: number): electra.SingleAttestation | null {
  const slot = sim.slot;
  const state = sim.chain.getHeadStateAtSlot(slot);
  const committee = state.epochCtx.getBeaconCommittee(slot, 0);
  if (!committee.includes(validatorIndex)) return null;
  const data = produceAttestationData(sim.chain, slot);
  const root = computeSigningRoot(
    ssz.phase0.AttestationData,
    data,
    sim.chain.config.getDomain(slot, DOMAIN_BEACON_ATTESTER, slot),
  );
  return {
    committeeIndex: 0,
    attesterIndex: validatorIndex,
    data,
    signature: interopSecretKey(validatorIndex).sign(root).toBytes(),
  };
}

describe("attestation pool", () => {
  it("accepts a valid SingleAttestation, aggregates it and includes it in the next block", () => {
    const sim = setup();
    const committee = sim.chain.getHeadStateAtSlot(sim.slot).epochCtx.getBeaconCommittee(sim.slot, 0);
    const external = [...committee].filter((i) => i >= 8);
    assert.ok(external.length > 0, "fixture has an external committee member");
    for (const i of external) sim.attestationPool.addSingleAttestation(singleFor(sim, i) as electra.SingleAttestation);
    const data = produceAttestationData(sim.chain, sim.slot);
    const agg = sim.attestationPool.getAggregate(
      `0x${Buffer.from(ssz.phase0.AttestationData.hashTreeRoot(data)).toString("hex")}`,
      sim.slot,
      0,
    );
    assert.ok(agg !== null);
    assert.equal(agg.aggregationBits.getTrueBitIndexes().length, external.length);
    // The next slot's proposer may be an external key: build the block body directly.
    sim.slot++;
    const block = sim.chain.produceBlock({ slot: sim.slot, randaoReveal: new Uint8Array(96) });
    const included = block.body.attestations;
    assert.equal(included.length, 1, "the block carries the aggregate");
    assert.equal(included[0]?.aggregationBits.getTrueBitIndexes().length, external.length);
  });

  it("rejects a bad signature, a validator outside the committee, an unknown root and a future slot", () => {
    const sim = setup();
    const committee = [...sim.chain.getHeadStateAtSlot(sim.slot).epochCtx.getBeaconCommittee(sim.slot, 0)];
    const member = committee[0] as number;
    const good = singleFor(sim, member) as electra.SingleAttestation;
    const badSig = { ...good, signature: interopSecretKey(99).sign(new Uint8Array(32)).toBytes() };
    assert.throws(() => sim.attestationPool.addSingleAttestation(badSig), PoolError);
    const outsider = Array.from({ length: 16 }, (_, i) => i).find((i) => !committee.includes(i)) as number;
    assert.throws(
      () => sim.attestationPool.addSingleAttestation({ ...good, attesterIndex: outsider }),
      /not in committee/,
    );
    const unknownRoot = { ...good, data: { ...good.data, beaconBlockRoot: new Uint8Array(32).fill(7) } };
    assert.throws(() => sim.attestationPool.addSingleAttestation(unknownRoot), /unknown beacon_block_root/);
    const future = { ...good, data: { ...good.data, slot: sim.slot + 1 } };
    assert.throws(() => sim.attestationPool.addSingleAttestation(future), /future/);
    assert.throws(() => sim.attestationPool.addSingleAttestation({ ...good, committeeIndex: 9 }), /out of range/);
    assert.throws(
      () => sim.attestationPool.addSingleAttestation({ ...good, signature: new Uint8Array(96) }),
      PoolError,
    );
  });
});
