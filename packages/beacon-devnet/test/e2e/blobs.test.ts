/**
 * Blocks with blobs over the Beacon API: `produceBlockV3` returns block contents whose blobs match the block's KZG
 * commitments, and `publishBlockV2` imports a block only with its blobs and valid proofs.
 */
import "../../src/preset.ts";
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { SecretKey } from "@chainsafe/blst";
import { type ApiClient, getClient } from "@lodestar/api";
import { DOMAIN_BEACON_PROPOSER, DOMAIN_RANDAO } from "@lodestar/params";
import { computeEpochAtSlot, computeSigningRoot, interopSecretKey } from "@lodestar/state-transition";
import { type electra, ssz } from "@lodestar/types";
import { toRootHex } from "@lodestar/utils";
import { blobBundleProblem, devnetBlobs } from "../../src/blobs/blobs.ts";
import { type Devnet, startDevnet } from "../../src/node/devnet.ts";

const HELD = 4;
const EXTERNAL = 4;
const BLOBS = 3;

describe("blobs", () => {
  it("a bundle verifies only with its own blobs, commitments and proofs", () => {
    const a = devnetBlobs(7, 2);
    assert.equal(blobBundleProblem(a), null);
    assert.equal(blobBundleProblem({ ...a, blobs: [] }), "2 blob commitments but 0 blobs and 2 proofs");
    const swapped = { ...a, proofs: [a.proofs[1] as Uint8Array, a.proofs[0] as Uint8Array] };
    assert.equal(blobBundleProblem(swapped), "KZG proofs do not verify");
    const tampered = a.blobs.map((b) => b.slice());
    const first = tampered[0] as Uint8Array;
    first[100] = (first[100] as number) ^ 1;
    assert.equal(blobBundleProblem({ ...a, blobs: tampered }), "KZG proofs do not verify");
    assert.deepEqual(devnetBlobs(7, 2).commitments, a.commitments, "deterministic per slot");
  });
});

describe("block contents with blobs over the Beacon API", { timeout: 90_000 }, () => {
  let devnet: Devnet;
  let api: ApiClient;
  const keys = new Map<number, SecretKey>();

  before(async () => {
    const extraValidators = [];
    for (let i = HELD; i < HELD + EXTERNAL; i++) {
      const sk = interopSecretKey(i);
      keys.set(i, sk);
      extraValidators.push({ pubkey: sk.toPublicKey().toBytes(), withdrawalCredentials: new Uint8Array(32) });
    }
    devnet = await startDevnet({ validators: HELD, extraValidators, secondsPerSlot: 4, blobsPerBlock: BLOBS });
    api = getClient({ baseUrl: devnet.url }, { config: devnet.chain.config });
  });

  after(async () => {
    await devnet?.stop();
  });

  it("refuses more blobs per block than the fork allows", async () => {
    await assert.rejects(startDevnet({ validators: 1, blobsPerBlock: 10 }), /blobsPerBlock/);
  });

  it("produces contents with verified blobs and imports a block only with them", async () => {
    const config = devnet.chain.config;
    const current = devnet.clock.currentSlot();
    const epoch = computeEpochAtSlot(current + 1);
    const duties = [
      ...(await api.validator.getProposerDuties({ epoch })).value(),
      ...(await api.validator.getProposerDuties({ epoch: epoch + 1 })).value(),
    ];
    const duty = duties.find((d) => d.slot > current && keys.has(d.validatorIndex));
    assert.ok(duty !== undefined, "an external validator proposes within two epochs");
    const sk = keys.get(duty.validatorIndex) as SecretKey;
    const slot = duty.slot;
    while (devnet.clock.currentSlot() < slot) await new Promise((r) => setTimeout(r, 100));

    const randaoReveal = sk
      .sign(computeSigningRoot(ssz.Epoch, computeEpochAtSlot(slot), config.getDomain(slot, DOMAIN_RANDAO, slot)))
      .toBytes();
    const produced = (await api.validator.produceBlockV3({ slot, randaoReveal })).value() as electra.BlockContents;
    const { block, blobs, kzgProofs } = produced;
    assert.equal(block.body.blobKzgCommitments.length, BLOBS);
    assert.equal(blobs.length, BLOBS);
    assert.equal(blobBundleProblem({ commitments: block.body.blobKzgCommitments, blobs, proofs: kzgProofs }), null);

    const signature = sk
      .sign(computeSigningRoot(ssz.electra.BeaconBlock, block, config.getDomain(slot, DOMAIN_BEACON_PROPOSER, slot)))
      .toBytes();
    const signedBlock = { message: block, signature };
    const withoutBlobs = await api.beacon.publishBlockV2({
      signedBlockContents: { signedBlock, kzgProofs: [], blobs: [] },
    });
    assert.equal(withoutBlobs.status, 400);
    const otherBlobs = devnetBlobs(slot + 1, BLOBS);
    const wrongBlobs = await api.beacon.publishBlockV2({
      signedBlockContents: { signedBlock, kzgProofs: otherBlobs.proofs, blobs: otherBlobs.blobs },
    });
    assert.equal(wrongBlobs.status, 400);
    const root = toRootHex(ssz.electra.BeaconBlock.hashTreeRoot(block));
    assert.equal(devnet.chain.getBlockByRoot(root), undefined, "nothing imported without the right blobs");

    (await api.beacon.publishBlockV2({ signedBlockContents: { signedBlock, kzgProofs, blobs } })).assertOk();
    assert.equal(devnet.chain.getBlockByRoot(root)?.slot, slot);
    assert.equal(devnet.blobs.get(root)?.blobs.length, BLOBS);
  });
});
