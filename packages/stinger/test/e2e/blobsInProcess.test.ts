/**
 * Blocks with blobs through the whole duty pipeline: 7 operators (threshold 5) in one process (memory transport) against
 * beacon-devnet producing Electra block contents with real KZG-committed blobs. The cluster agrees on the block alone,
 * each operator keeps its beacon node's blobs by block root, and the block is published with them: the devnet imports a
 * block only with blobs whose KZG proofs verify against its commitments.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { toRootHex } from "@lodestar/utils";
import { type InProcessCluster, startInProcessCluster } from "./dutiesSupport/inProcessCluster.ts";

const BLOBS = 2;
const EPOCHS = 2;

describe("blob-carrying blocks through the duty pipeline (7 operators in process)", { timeout: 180_000 }, () => {
  let cluster: InProcessCluster;

  before(async () => {
    // Few interop validators so the 4 distributed validators propose about a third of the slots.
    // 5-of-7 operators (the path is the same as 11-of-16) and 4 s slots keep it real-time on a loaded 2-core host.
    cluster = await startInProcessCluster({
      operators: 7,
      threshold: 5,
      validators: 4,
      interop: 8,
      secondsPerSlot: 4,
      blobsPerBlock: BLOBS,
    });
  });

  after(async () => {
    await cluster?.stop();
  });

  it("publishes every proposal of the distributed validators with its blobs", async () => {
    const { devnet, watcher } = cluster;
    const slotsPerEpoch = cluster.nodes[0]?.clock.slotsPerEpoch as number;
    await cluster.waitForSlot((EPOCHS + 1) * slotsPerEpoch + 1);
    const { proposals } = watcher.report(1, EPOCHS);
    console.log("proposals", JSON.stringify(proposals));
    assert.ok(proposals.expected > 0, "the distributed validators had proposals");
    assert.equal(proposals.canonical, proposals.expected, `proposals ${JSON.stringify(proposals)}`);
    for (const slot of proposals.slots) {
      const block = devnet.chain.getCanonicalBlockAtSlot(slot);
      assert.ok(block !== undefined);
      assert.equal(block.signedBlock.message.body.blobKzgCommitments.length, BLOBS, `slot ${slot} commitments`);
      assert.equal(devnet.blobs.get(toRootHex(block.root))?.blobs.length, BLOBS, `slot ${slot} blobs published`);
    }
  });
});
