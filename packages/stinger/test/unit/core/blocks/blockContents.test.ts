/**
 * Blocks with blobs through the fetcher and the broadcaster (fake Beacon API), and the size bounds of a block
 * proposal: the fetcher keeps a block's blobs by root, the broadcaster publishes a decided block with the blobs of the
 * same root, and an operator without them waits for a holder's publication instead of publishing a blob-less block.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { generateKeyPairFromSeed } from "@libp2p/crypto/keys";
import type { ApiClient } from "@lodestar/api";
import { ForkName } from "@lodestar/params";
import { type electra, ssz } from "@lodestar/types";
import {
  DEFAULT_MAX_MESSAGE_BYTES,
  decodeEnvelope,
  encodeBody,
  encodeEnvelope,
  MessageKind,
} from "../../../../src/core/agreement/codec.ts";
import { MAX_BEACON_BLOCK_BYTES } from "../../../../src/core/blockLimits.ts";
import { BeaconBroadcaster } from "../../../../src/core/broadcast/broadcaster.ts";
import { FetchedBlockContents } from "../../../../src/core/fetcher/blockContents.ts";
import { BeaconFetcher } from "../../../../src/core/fetcher/fetcher.ts";
import { blobsProblem } from "../../../../src/core/fetcher/validate.ts";
import type { DutyDefinition, SignedDuty } from "../../../../src/core/interfaces.ts";
import { DutyMessageKind } from "../../../../src/core/transport.ts";
import { identitySigner, identityVerifier } from "../../../../src/identity/ed25519.ts";
import { MAX_DUTY_PAYLOAD_BYTES, openDutyMessage, sealDutyMessage } from "../../../../src/node/dutyNetwork.ts";

const SLOT = 40;
const PROPOSER = 3;
const definition: DutyDefinition = {
  duty: { slot: SLOT, type: "proposer", validator: PROPOSER },
  pubkey: new Uint8Array(48),
};

function blockWithBlobs(count: number, graffitiByte = 0): electra.BeaconBlock {
  const block = ssz.electra.BeaconBlock.defaultValue();
  block.slot = SLOT;
  block.proposerIndex = PROPOSER;
  block.body.graffiti = new Uint8Array(32).fill(graffitiByte);
  block.body.blobKzgCommitments = Array.from({ length: count }, (_, i) => new Uint8Array(48).fill(i + 1));
  return block;
}
const blobs = (count: number) => Array.from({ length: count }, (_, i) => new Uint8Array(131072).fill(i + 1));
const proofs = (count: number) => Array.from({ length: count }, (_, i) => new Uint8Array(48).fill(0x80 + i));

/** A beacon node answering `produceBlockV3` with `contents` (Electra unless said otherwise). */
function producingApi(
  contents: { block: electra.BeaconBlock; blobs: Uint8Array[]; kzgProofs: Uint8Array[] },
  version: ForkName = ForkName.electra,
) {
  return {
    validator: {
      produceBlockV3: async () => ({
        ok: true,
        status: 200,
        error: () => null,
        value: () => contents,
        meta: () => ({ version, executionPayloadBlinded: false }),
      }),
    },
  } as unknown as ApiClient;
}

function fetcherFor(api: ApiClient, store: FetchedBlockContents) {
  return new BeaconFetcher({ api, slotsPerEpoch: 8, randaoReveal: () => new Uint8Array(96), blockContents: store });
}

function signed(block: electra.BeaconBlock): SignedDuty {
  const blockRoot = ssz.electra.BeaconBlock.hashTreeRoot(block);
  return {
    definition,
    data: { type: "proposer", data: { slot: SLOT, blockRoot, encoded: ssz.electra.BeaconBlock.serialize(block) } },
    signature: { duty: definition.duty, signingRoot: new Uint8Array(32), signature: new Uint8Array(96).fill(5) },
  };
}

type Published = { blobs: Uint8Array[]; kzgProofs: Uint8Array[]; root: Uint8Array };
/** A beacon node that records published block contents and knows the block roots in `known`. */
function publishingApi(known: Set<string>) {
  const published: Published[] = [];
  let headerLookups = 0;
  const api = {
    beacon: {
      publishBlockV2: async ({
        signedBlockContents: c,
      }: {
        signedBlockContents: {
          signedBlock: { message: electra.BeaconBlock };
          blobs: Uint8Array[];
          kzgProofs: Uint8Array[];
        };
      }) => {
        const root = ssz.electra.BeaconBlock.hashTreeRoot(c.signedBlock.message);
        published.push({ blobs: c.blobs, kzgProofs: c.kzgProofs, root });
        known.add(Buffer.from(root).toString("hex"));
        return { ok: true, status: 200, error: () => null };
      },
      getBlockHeader: async ({ blockId }: { blockId: string }) => {
        headerLookups++;
        const ok = known.has(blockId.slice(2));
        return { ok, status: ok ? 200 : 404, error: () => (ok ? null : new Error("not found")) };
      },
    },
  } as unknown as ApiClient;
  return { api, published, lookups: () => headerLookups };
}

describe("blocks with blobs: fetcher", () => {
  it("keeps the blobs and proofs of the fetched block by its root; agreement gets the block only", async () => {
    const block = blockWithBlobs(6);
    const store = new FetchedBlockContents();
    const data = await fetcherFor(producingApi({ block, blobs: blobs(6), kzgProofs: proofs(6) }), store).fetch(
      definition,
      new AbortController().signal,
    );
    assert.equal(data.type, "proposer");
    if (data.type !== "proposer") return;
    assert.deepEqual(data.data.blockRoot, ssz.electra.BeaconBlock.hashTreeRoot(block));
    assert.deepEqual(data.data.encoded, ssz.electra.BeaconBlock.serialize(block), "the value is the SSZ block alone");
    const kept = store.get(data.data.blockRoot);
    assert.equal(kept?.blobs.length, 6);
    assert.deepEqual(kept?.kzgProofs, proofs(6));
    store.prune(SLOT + 1);
    assert.equal(store.get(data.data.blockRoot), undefined, "pruned with its slot");
  });

  it("refuses contents whose blobs or proofs do not match the block's commitments", async () => {
    const block = blockWithBlobs(3);
    for (const [b, p] of [
      [blobs(2), proofs(2)],
      [blobs(3), proofs(2)],
    ] as const) {
      const store = new FetchedBlockContents();
      await assert.rejects(
        fetcherFor(producingApi({ block, blobs: b, kzgProofs: p }), store).fetch(
          definition,
          new AbortController().signal,
        ),
        /ERR_BEACON_NODE/,
      );
    }
    // Fulu: one proof per cell (128 per blob).
    const fulu = producingApi({ block, blobs: blobs(3), kzgProofs: proofs(3) }, ForkName.fulu);
    await assert.rejects(fetcherFor(fulu, new FetchedBlockContents()).fetch(definition, new AbortController().signal));
  });

  it("bounds blob counts by mainnet's largest schedule and proofs by the fork", () => {
    assert.equal(blobsProblem(9, 9, 9, 1, 21), null);
    assert.equal(blobsProblem(21, 21, 21 * 128, 128, 21), null);
    assert.match(blobsProblem(22, 22, 22, 1, 21) ?? "", /exceed/);
    assert.match(blobsProblem(2, 1, 1, 1, 21) ?? "", /1 blobs for 2 commitments/);
    assert.match(blobsProblem(2, 2, 2, 128, 21) ?? "", /KZG proofs/);
  });
});

describe("blocks with blobs: broadcaster", () => {
  it("publishes a decided block with the blobs its own beacon node produced for that root", async () => {
    const block = blockWithBlobs(4);
    const store = new FetchedBlockContents();
    store.put(SLOT, ssz.electra.BeaconBlock.hashTreeRoot(block), { blobs: blobs(4), kzgProofs: proofs(4) });
    const bn = publishingApi(new Set());
    const res = await new BeaconBroadcaster({ api: bn.api, blockContents: store }).broadcastBatch([signed(block)]);
    assert.equal(res.published.length, 1);
    assert.equal(bn.published.length, 1);
    assert.equal(bn.published[0]?.blobs.length, 4);
    assert.deepEqual(bn.published[0]?.kzgProofs, proofs(4));
  });

  it("publishes a block without blobs even when nothing was kept", async () => {
    const bn = publishingApi(new Set());
    const res = await new BeaconBroadcaster({ api: bn.api, blockContents: new FetchedBlockContents() }).broadcastBatch([
      signed(blockWithBlobs(0)),
    ]);
    assert.equal(res.published.length, 1);
    assert.equal(bn.published[0]?.blobs.length, 0);
  });

  it("without the blobs (its own block differed) it never publishes; a holder's publication counts as done", async () => {
    const decided = blockWithBlobs(2, 1);
    const own = blockWithBlobs(2, 2);
    const store = new FetchedBlockContents();
    store.put(SLOT, ssz.electra.BeaconBlock.hashTreeRoot(own), { blobs: blobs(2), kzgProofs: proofs(2) });
    const known = new Set<string>();
    const bn = publishingApi(known);
    const broadcaster = new BeaconBroadcaster({
      api: bn.api,
      blockContents: store,
      holderWaitMs: 2000,
      holderPollMs: 20,
    });
    const pending = broadcaster.broadcastBatch([signed(decided)]);
    // Another operator whose beacon node produced the decided block publishes it a little later.
    setTimeout(() => known.add(Buffer.from(ssz.electra.BeaconBlock.hashTreeRoot(decided)).toString("hex")), 150);
    const res = await pending;
    assert.equal(bn.published.length, 0, "no blob-less (or other blobs') publication");
    assert.equal(res.duplicates.length, 1);
    assert.ok(bn.lookups() >= 2, "it watched its beacon node for the block");
  });

  it("without the blobs and no holder publishing, the proposal fails after the bounded wait", async () => {
    const bn = publishingApi(new Set());
    const started = Date.now();
    const res = await new BeaconBroadcaster({
      api: bn.api,
      blockContents: new FetchedBlockContents(),
      holderWaitMs: 200,
      holderPollMs: 20,
    }).broadcastBatch([signed(blockWithBlobs(3))]);
    assert.equal(res.failed.length, 1);
    assert.match(res.failed[0]?.reason ?? "", /3 blobs are held by the operators/);
    assert.ok(Date.now() - started < 1000);
    assert.equal(bn.published.length, 0);
  });
});

describe("block proposal size bounds", () => {
  it("a proposal of mainnet's largest block fits the agreement codec and the duty payload", async () => {
    const value = new Uint8Array(MAX_BEACON_BLOCK_BYTES).fill(0xab);
    const body = encodeBody({
      kind: MessageKind.proposal,
      clusterId: new Uint8Array(32).fill(1),
      duty: { slot: SLOT, type: "proposer", validator: PROPOSER },
      round: 1,
      from: 0,
      value,
    });
    const envelope = encodeEnvelope(body, new Uint8Array(64));
    assert.ok(envelope.length <= DEFAULT_MAX_MESSAGE_BYTES);
    assert.equal(decodeEnvelope(envelope).message.kind, MessageKind.proposal);
    assert.ok(DEFAULT_MAX_MESSAGE_BYTES <= MAX_DUTY_PAYLOAD_BYTES);

    const key = await generateKeyPairFromSeed("Ed25519", new Uint8Array(32).fill(4));
    const other = await generateKeyPairFromSeed("Ed25519", new Uint8Array(32).fill(5));
    const clusterId = new Uint8Array(32).fill(2);
    const sealed = sealDutyMessage(
      { clusterId, selfIndex: 1 },
      identitySigner(key),
      DutyMessageKind.agreement,
      envelope,
    );
    const members = [other, key].map((k) => ({ verifier: identityVerifier(k.publicKey.raw) }));
    const opened = openDutyMessage({ clusterId, members, selfIndex: 0 }, sealed);
    assert.ok(opened.ok);
    assert.equal(opened.payload.length, envelope.length);
  });
});
