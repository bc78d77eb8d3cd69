/**
 * Builder (MEV-boost) blocks end to end: 16 operators (threshold 11) in one process against beacon-devnet with its
 * local builder. The distributed validators are registered with the builder (fee recipient: the vault of their
 * lock); every proposal goes produceBlockV3 (builder_boost_factor 100) → a blinded block agreed by root → 11 partials
 * → publishBlindedBlockV2 → the builder reveals the payload → canonical. Then the builder is killed: the beacon node
 * falls back to its local payload within the bounded wait and no proposal is missed.
 */
// The minimal preset must be set before any @lodestar module is evaluated: keep this import first.
import "@nektar/beacon-devnet/preset";
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SecretKey, type Signature } from "@chainsafe/blst";
import { getClient } from "@lodestar/api";
import { BUILDER_EXTRA_DATA, registrationSigningRoot } from "@nektar/beacon-devnet";
import { interpolateSignatures } from "@nektar/crypto";
import { testWithdrawalCredentials } from "./dutiesSupport/dutyCluster.ts";
import { type InProcessCluster, startInProcessCluster } from "./dutiesSupport/inProcessCluster.ts";

const N = Number(process.env.BUILDER_TEST_N ?? 16);
const T = Number(process.env.BUILDER_TEST_T ?? 11);
/** Blobs each payload carries, the builder's and the local one alike (the builder API carries them on reveal). */
const BLOBS = Number(process.env.BUILDER_TEST_BLOBS ?? 1);
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("builder blocks through the duty pipeline (16 operators in process)", { timeout: 300_000 }, () => {
  let cluster: InProcessCluster;
  const vault = testWithdrawalCredentials().slice(12);

  before(async () => {
    const t0 = Date.now();
    // 4 interop + 4 distributed validators: the cluster proposes about half of the slots.
    cluster = await startInProcessCluster({
      operators: N,
      threshold: T,
      validators: 4,
      interop: 4,
      builder: true,
      builderBoostFactor: 100n,
      blobsPerBlock: BLOBS,
      // 16 operators in one process on a loaded 2-core host: 4 s slots keep it real-time (as the blobs test does);
      // BUILDER_TEST_SLOT_SECONDS reruns it at other slot lengths (see docs/blocks.md on 2 s slots).
      secondsPerSlot: Number(process.env.BUILDER_TEST_SLOT_SECONDS ?? 4),
    });
    console.log(`cluster started in ${Date.now() - t0} ms at slot ${cluster.devnet.clock.currentSlot()}`);
    // Validator registrations of the distributed validators, signed by the group key (11 partials interpolated).
    const { devnet, fixture } = cluster;
    const registrations = fixture.validators.map((v) => {
      const message = {
        feeRecipient: vault,
        gasLimit: 36_000_000,
        timestamp: Math.floor(Date.now() / 1000),
        pubkey: v.dealt.pubkey,
      };
      const root = registrationSigningRoot(devnet.chain.config, message);
      const ids = Array.from({ length: T }, (_, i) => i + 1);
      const partials = ids.map((id) => SecretKey.fromBytes(v.dealt.secretShares[id - 1] as Uint8Array).sign(root));
      const signature = interpolateSignatures(ids, partials as Signature[]).toBytes();
      return { message, signature };
    });
    const api = getClient({ baseUrl: devnet.url }, { config: devnet.chain.config });
    (await api.validator.registerValidator({ registrations })).assertOk();
    console.log(`registered at slot ${devnet.clock.currentSlot()}`);
  });

  after(async () => {
    await cluster?.stop();
  });

  it("proposes blinded builder blocks that pay the vault and become canonical", async () => {
    const { devnet, watcher } = cluster;
    const spe = cluster.nodes[0]?.clock.slotsPerEpoch as number;
    await cluster.waitForSlot(4 * spe + 1);
    const { proposals } = watcher.report(2, 3);
    console.log(JSON.stringify(watcher.report(2, 3)));
    assert.ok(proposals.expected > 0, "the distributed validators had proposals");
    assert.equal(proposals.canonical, proposals.expected, `proposals ${JSON.stringify(proposals)}`);
    for (const slot of proposals.slots) {
      const payload = devnet.chain.getCanonicalBlockAtSlot(slot)?.signedBlock.message.body.executionPayload;
      assert.ok(payload !== undefined);
      assert.equal(hex(payload.extraData), hex(BUILDER_EXTRA_DATA), `slot ${slot}: a builder payload`);
      assert.equal(hex(payload.feeRecipient), hex(vault), `slot ${slot}: pays the vault`);
      // The builder's blobs came back with the payload and were imported with the block (KZG proofs verified).
      const block = devnet.chain.getCanonicalBlockAtSlot(slot);
      assert.equal(block?.signedBlock.message.body.blobKzgCommitments.length, BLOBS, `slot ${slot}: blob commitments`);
      if (BLOBS > 0) assert.equal(devnet.blobs.get(block?.rootHex ?? "")?.blobs.length, BLOBS, `slot ${slot}: blobs`);
    }
    assert.ok((devnet.builder?.stats.unblinded ?? 0) >= proposals.expected);
  });

  it("with the builder killed, proposals fall back to local blocks and none is missed", async () => {
    const { devnet, watcher } = cluster;
    const spe = cluster.nodes[0]?.clock.slotsPerEpoch as number;
    await cluster.waitForSlot(5 * spe - 2);
    await devnet.localBuilder?.stop();
    await cluster.waitForSlot(7 * spe + 1);
    const { proposals } = watcher.report(5, 6);
    assert.ok(proposals.expected > 0, "the distributed validators had proposals");
    assert.equal(proposals.canonical, proposals.expected, `proposals ${JSON.stringify(proposals)}`);
    for (const slot of proposals.slots) {
      const payload = devnet.chain.getCanonicalBlockAtSlot(slot)?.signedBlock.message.body.executionPayload;
      assert.ok(payload !== undefined);
      assert.notEqual(hex(payload.extraData), hex(BUILDER_EXTRA_DATA), `slot ${slot}: a local payload`);
      assert.equal(hex(payload.feeRecipient), hex(vault), `slot ${slot}: pays the vault`);
    }
  });
});
