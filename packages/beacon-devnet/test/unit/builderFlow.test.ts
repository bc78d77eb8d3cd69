import "../../src/preset.ts";
import assert from "node:assert/strict";
import type { AddressInfo } from "node:net";
import { after, describe, it } from "node:test";
import { getClient } from "@lodestar/api";
import { DOMAIN_BEACON_PROPOSER, DOMAIN_RANDAO } from "@lodestar/params";
import { computeEpochAtSlot, computeSigningRoot, interopSecretKey } from "@lodestar/state-transition";
import type { bellatrix, electra } from "@lodestar/types";
import { ssz } from "@lodestar/types";
import pino from "pino";
import type { ApiContext } from "../../src/api/context.ts";
import { createApiServer } from "../../src/api/server.ts";
import { type BlobBundle, BlobStore, blobBundleProblem, blobsOncePerSlot } from "../../src/blobs/blobs.ts";
import { BuilderConnection } from "../../src/builder/builderConnection.ts";
import { chainPayloadSource } from "../../src/builder/chainPayloadSource.ts";
import { type RunningBuilder, startLocalBuilder } from "../../src/builder/localBuilder.ts";
import { BUILDER_EXTRA_DATA } from "../../src/builder/marker.ts";
import { RegistrationBook, registrationSigningRoot } from "../../src/builder/registrations.ts";
import type { SlotClock } from "../../src/chain/clock.ts";
import { ChainSimulator } from "../../src/node/simulator.ts";

const FEE_RECIPIENT = Uint8Array.from({ length: 20 }, (_, i) => 0xa0 + i);
const HEADER_TIMEOUT_MS = 300;
const hex = (b: Uint8Array | undefined) => (b === undefined ? "" : Buffer.from(b).toString("hex"));

const running: { stop(): Promise<void> }[] = [];
after(async () => {
  for (const s of running) await s.stop();
});

async function setup(
  opts: { localBlockValueWei?: bigint; builder?: boolean; blobs?: (slot: number) => BlobBundle } = {},
) {
  const sim = new ChainSimulator({ validators: 16 });
  sim.step();
  const logger = pino({ level: "silent" });
  const localBuilder: RunningBuilder = await startLocalBuilder({
    config: sim.chain.config,
    payloadSource: chainPayloadSource(sim.chain),
    bidValueWei: 10n ** 16n,
    ...(opts.blobs !== undefined ? { blobs: opts.blobs } : {}),
  });
  const connection = new BuilderConnection({
    url: localBuilder.url,
    config: sim.chain.config,
    logger,
    headerTimeoutMs: HEADER_TIMEOUT_MS,
  });
  const registrations = new RegistrationBook();
  const ctx: ApiContext = {
    chain: sim.chain,
    clock: { currentSlot: () => sim.slot + 1 } as unknown as SlotClock,
    attestationPool: sim.attestationPool,
    syncCommitteePool: sim.syncCommitteePool,
    voluntaryExitPool: sim.voluntaryExitPool,
    logger,
    version: "test",
    blobsPerBlock: 0,
    blobs: new BlobStore(),
    builder: opts.builder === false ? null : connection,
    registrations,
    localBlockValueWei: opts.localBlockValueWei ?? 0n,
  };
  const server = createApiServer(ctx, new Uint8Array(20));
  await server.listen({ host: "127.0.0.1", port: 0 });
  const url = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  const api = getClient({ baseUrl: url }, { config: sim.chain.config });
  const config = sim.chain.config;
  const slot = () => sim.slot + 1;
  const proposer = () => {
    const attrs = sim.chain.payloadAttributesAt(slot());
    assert.ok(attrs);
    return attrs.state.epochCtx.getBeaconProposer(slot());
  };
  const registration = (index: number, signer = index, timestamp = Math.floor(Date.now() / 1000)) => {
    const message: bellatrix.ValidatorRegistrationV1 = {
      feeRecipient: FEE_RECIPIENT,
      gasLimit: 36_000_000,
      timestamp,
      pubkey: interopSecretKey(index).toPublicKey().toBytes(),
    };
    const signature = interopSecretKey(signer).sign(registrationSigningRoot(config, message)).toBytes();
    return { message, signature };
  };
  const randao = (index: number) =>
    interopSecretKey(index)
      .sign(computeSigningRoot(ssz.Epoch, computeEpochAtSlot(slot()), config.getDomain(slot(), DOMAIN_RANDAO)))
      .toBytes();
  const produce = (builderBoostFactor: bigint | undefined) =>
    api.validator.produceBlockV3({
      slot: slot(),
      randaoReveal: randao(proposer()),
      ...(builderBoostFactor !== undefined ? { builderBoostFactor } : {}),
    });
  const s = {
    sim,
    api,
    ctx,
    localBuilder,
    connection,
    registrations,
    registration,
    proposer,
    produce,
    slot,
    async stop() {
      await server.close();
      await localBuilder.stop();
    },
  };
  running.push(s);
  return s;
}

describe("builder flow (register_validator, produceBlockV3 blinded, blinded_blocks)", () => {
  it("register_validator keeps registrations signed under the builder domain and refuses bad signatures", async () => {
    const s = await setup();
    const good = s.registration(3);
    const res = await s.api.validator.registerValidator({ registrations: [good] });
    assert.ok(res.ok, String(res.error()?.message));
    assert.equal(hex(s.registrations.get(good.message.pubkey)?.feeRecipient), hex(FEE_RECIPIENT));
    // The builder received the forwarded registration.
    assert.ok(s.localBuilder.builder.registrations.get(good.message.pubkey));

    // Signed by another key.
    const forged = s.registration(4, 5);
    const bad = await s.api.validator.registerValidator({ registrations: [forged] });
    assert.equal(bad.status, 400);
    assert.match(String(bad.error()?.message), /invalid signature/);
    assert.equal(s.registrations.get(forged.message.pubkey), undefined);

    // Signed under the proposer domain (fork-bound) instead of the builder domain.
    const message = { ...s.registration(6).message };
    const wrongDomain = {
      message,
      signature: interopSecretKey(6)
        .sign(
          computeSigningRoot(
            ssz.bellatrix.ValidatorRegistrationV1,
            message,
            s.sim.chain.config.getDomain(1, DOMAIN_BEACON_PROPOSER),
          ),
        )
        .toBytes(),
    };
    assert.equal((await s.api.validator.registerValidator({ registrations: [wrongDomain] })).status, 400);

    // An older registration does not replace a newer one; a newer one does.
    const newer = s.registration(3, 3, good.message.timestamp + 5);
    newer.message.gasLimit = 30_000_000;
    const renewed = {
      message: newer.message,
      signature: interopSecretKey(3).sign(registrationSigningRoot(s.sim.chain.config, newer.message)).toBytes(),
    };
    assert.ok((await s.api.validator.registerValidator({ registrations: [renewed] })).ok);
    assert.ok((await s.api.validator.registerValidator({ registrations: [good] })).ok);
    assert.equal(s.registrations.get(good.message.pubkey)?.gasLimit, 30_000_000);
  });

  it("a registered proposer gets a blinded block paying its fee recipient; signed and published it is unblinded and imported", async () => {
    const s = await setup();
    const index = s.proposer();
    assert.ok((await s.api.validator.registerValidator({ registrations: [s.registration(index)] })).ok);
    const res = await s.produce(100n);
    assert.ok(res.ok, String(res.error()?.message));
    const meta = res.meta();
    assert.equal(meta.executionPayloadBlinded, true);
    assert.equal(meta.executionPayloadValue, 10n ** 16n);
    const blinded = res.value() as electra.BlindedBeaconBlock;
    assert.equal(hex(blinded.body.executionPayloadHeader.feeRecipient), hex(FEE_RECIPIENT));
    assert.equal(hex(blinded.body.executionPayloadHeader.extraData), hex(BUILDER_EXTRA_DATA));

    const signature = interopSecretKey(index)
      .sign(
        computeSigningRoot(
          ssz.electra.BlindedBeaconBlock,
          blinded,
          s.sim.chain.config.getDomain(blinded.slot, DOMAIN_BEACON_PROPOSER),
        ),
      )
      .toBytes();
    // The blinded block's root is the full block's root: one signature, one slashing-protection record.
    const published = await s.api.beacon.publishBlindedBlockV2({ signedBlindedBlock: { message: blinded, signature } });
    assert.ok(published.ok, String(published.error()?.message));
    const head = s.sim.chain.head;
    assert.equal(head.slot, blinded.slot);
    assert.equal(hex(head.root), hex(ssz.electra.BlindedBeaconBlock.hashTreeRoot(blinded)));
    assert.equal(hex(head.signedBlock.message.body.executionPayload.feeRecipient), hex(FEE_RECIPIENT));
    assert.equal(s.connection.stats.unblinded, 1);
    // Publishing it again (another operator of the cluster) is done without asking the builder.
    assert.ok((await s.api.beacon.publishBlindedBlockV2({ signedBlindedBlock: { message: blinded, signature } })).ok);
    assert.equal(s.connection.stats.unblinded, 1);
  });

  it("a builder block with blobs: the bid commits to them, the revealed blobs are imported with their proofs checked", async () => {
    const blobs = blobsOncePerSlot(2);
    const s = await setup({ blobs });
    // KZG loads its trusted setup on first use (seconds): computed before the bounded wait for the bid starts.
    blobs(s.slot());
    const index = s.proposer();
    assert.ok((await s.api.validator.registerValidator({ registrations: [s.registration(index)] })).ok);
    const res = await s.produce(100n);
    assert.ok(res.ok, String(res.error()?.message));
    assert.equal(res.meta().executionPayloadBlinded, true);
    const blinded = res.value() as electra.BlindedBeaconBlock;
    assert.equal(blinded.body.blobKzgCommitments.length, 2, "the bid's blob commitments are in the block");
    const signature = signBlinded(s, index, blinded);
    const published = await s.api.beacon.publishBlindedBlockV2({ signedBlindedBlock: { message: blinded, signature } });
    assert.ok(published.ok, String(published.error()?.message));
    const head = s.sim.chain.head;
    assert.equal(hex(head.root), hex(ssz.electra.BlindedBeaconBlock.hashTreeRoot(blinded)));
    const stored = s.ctx.blobs.get(head.rootHex);
    assert.equal(stored?.blobs.length, 2, "the builder's blobs are served with the block");
    assert.equal(blobBundleProblem(stored), null);
  });

  it("a builder block whose revealed blobs do not verify is not imported", async () => {
    const good = blobsOncePerSlot(1);
    // The builder commits to a blob and then reveals a proof that does not belong to it.
    const bad = (slot: number): BlobBundle => {
      const b = good(slot);
      return { ...b, proofs: b.proofs.map((p) => Uint8Array.from(p).reverse()) };
    };
    const s = await setup({ blobs: bad });
    good(s.slot());
    const index = s.proposer();
    assert.ok((await s.api.validator.registerValidator({ registrations: [s.registration(index)] })).ok);
    const res = await s.produce(100n);
    assert.ok(res.ok, String(res.error()?.message));
    const blinded = res.value() as electra.BlindedBeaconBlock;
    const headBefore = s.sim.chain.head.rootHex;
    const published = await s.api.beacon.publishBlindedBlockV2({
      signedBlindedBlock: { message: blinded, signature: signBlinded(s, index, blinded) },
    });
    assert.equal(published.ok, false);
    assert.match(String(published.error()?.message), /blobs/);
    assert.equal(s.sim.chain.head.rootHex, headBefore, "nothing imported");
  });

  it("a blinded block signed by someone else is refused: the builder reveals nothing", async () => {
    const s = await setup();
    const index = s.proposer();
    await s.api.validator.registerValidator({ registrations: [s.registration(index)] });
    const blinded = (await s.produce(100n)).value() as electra.BlindedBeaconBlock;
    const signature = interopSecretKey(index + 1)
      .sign(ssz.electra.BlindedBeaconBlock.hashTreeRoot(blinded))
      .toBytes();
    const res = await s.api.beacon.publishBlindedBlockV2({ signedBlindedBlock: { message: blinded, signature } });
    assert.equal(res.ok, false);
    assert.match(String(res.error()?.message), /not signed by the proposer/);
    assert.equal(s.localBuilder.builder.counters.revealed, 0);
  });

  it("builder_boost_factor decides between the bid and the local payload; 0 means local only", async () => {
    const s = await setup({ localBlockValueWei: 2n * 10n ** 16n }); // local 0.02 ETH, bid 0.01 ETH
    await s.api.validator.registerValidator({ registrations: [s.registration(s.proposer())] });
    assert.equal((await s.produce(0n)).meta().executionPayloadBlinded, false);
    assert.equal((await s.produce(100n)).meta().executionPayloadBlinded, false);
    assert.equal((await s.produce(undefined)).meta().executionPayloadBlinded, false);
    assert.equal((await s.produce(201n)).meta().executionPayloadBlinded, true);
    assert.equal((await s.produce(199n)).meta().executionPayloadBlinded, false);
  });

  it("falls back to the local block: no registration, builder slow, builder down", async () => {
    const s = await setup();
    // Not registered: the builder is not even asked.
    assert.equal((await s.produce(100n)).meta().executionPayloadBlinded, false);
    assert.equal(s.localBuilder.builder.counters.bids, 0);
    await s.api.validator.registerValidator({ registrations: [s.registration(s.proposer())] });

    s.localBuilder.builder.headerDelayMs = HEADER_TIMEOUT_MS * 3;
    let t0 = Date.now();
    const slow = await s.produce(100n);
    assert.ok(slow.ok);
    assert.equal(slow.meta().executionPayloadBlinded, false);
    assert.ok(Date.now() - t0 < HEADER_TIMEOUT_MS * 2.5, `waited ${Date.now() - t0} ms for a slow builder`);
    s.localBuilder.builder.headerDelayMs = 0;

    await s.localBuilder.stop();
    t0 = Date.now();
    const down = await s.produce(100n);
    assert.ok(down.ok, String(down.error()?.message));
    assert.equal(down.meta().executionPayloadBlinded, false);
    assert.ok(Date.now() - t0 < HEADER_TIMEOUT_MS * 2.5);
    assert.ok(s.connection.stats.noBid >= 2);
    // The local block is a full block paying the fee recipient the request names.
    const full = down.value() as electra.BlockContents;
    assert.ok("block" in full);
  });

  it("without a builder, blinded blocks are refused with a clear error", async () => {
    const s = await setup({ builder: false });
    const slot = s.slot();
    const blinded = ssz.electra.BlindedBeaconBlock.defaultValue();
    blinded.slot = slot;
    const res = await s.api.beacon.publishBlindedBlockV2({
      signedBlindedBlock: { message: blinded, signature: new Uint8Array(96) },
    });
    assert.equal(res.status, 400);
    assert.match(String(res.error()?.message), /no builder/);
  });
});

function signBlinded(s: { sim: ChainSimulator }, index: number, blinded: electra.BlindedBeaconBlock): Uint8Array {
  const domain = s.sim.chain.config.getDomain(blinded.slot, DOMAIN_BEACON_PROPOSER);
  return interopSecretKey(index)
    .sign(computeSigningRoot(ssz.electra.BlindedBeaconBlock, blinded, domain))
    .toBytes();
}
