/**
 * Builder (blinded) blocks through the fetcher, the validity step, slashing protection and the broadcaster: the
 * agreement value of a blinded block, its root equal to the full block's (one signing root, one slashing record), a
 * builder bid paying anyone but the protocol refused for the local block, and publication with `publishBlindedBlockV2`.
 */
import assert from "node:assert/strict";
import { rm } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import type { ApiClient } from "@lodestar/api";
import { ForkName } from "@lodestar/params";
import { beaconBlockToBlinded } from "@lodestar/state-transition";
import { type electra, ssz } from "@lodestar/types";
import { decodeProposal, encodeProposal, proposalRoot } from "../../../../src/core/blockProposal.ts";
import { BeaconBroadcaster } from "../../../../src/core/broadcast/broadcaster.ts";
import { CombinedSignatures } from "../../../../src/core/dutydb/combinedSignatures.ts";
import { BeaconFetcher } from "../../../../src/core/fetcher/fetcher.ts";
import type { DutyBatch, DutyDefinition, SignedDuty, UnsignedData } from "../../../../src/core/interfaces.ts";
import { computeDutySigningRoot } from "../../../../src/core/signer/signingRoot.ts";
import { DutyValidity } from "../../../../src/core/validity/validity.ts";
import type { SlashingProtectionDB } from "../../../../src/slashing/db.ts";
import { config, dealValidators, keysFor, openDb, SLOTS_PER_EPOCH } from "../pipeline/fixtures.ts";

const SLOT = 3 * SLOTS_PER_EPOCH + 5;
const validators = dealValidators(1);
const VAULT = new Uint8Array(20).fill(0xfe);
const keys = keysFor(1, validators, VAULT);
const A = (validators[0] as { index: number }).index;
const definition: DutyDefinition = { duty: { slot: SLOT, type: "proposer", validator: A }, pubkey: keys.get(A).pubkey };
const batch: DutyBatch = { slot: SLOT, type: "proposer", definitions: [definition] };
const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString("hex")}`;

function fullBlock(opts: { feeRecipient?: Uint8Array; graffiti?: number; extra?: number } = {}): electra.BeaconBlock {
  const b = ssz.electra.BeaconBlock.defaultValue();
  b.slot = SLOT;
  b.proposerIndex = A;
  b.parentRoot = new Uint8Array(32).fill(1);
  b.body.graffiti = new Uint8Array(32).fill(opts.graffiti ?? 0);
  b.body.executionPayload.feeRecipient = opts.feeRecipient ?? VAULT;
  b.body.executionPayload.extraData = new Uint8Array([opts.extra ?? 0]);
  b.body.executionPayload.transactions = [new Uint8Array([1, 2, 3])];
  return b;
}
const blindedOf = (b: electra.BeaconBlock) =>
  ssz.electra.BlindedBeaconBlock.deserialize(
    ssz.electra.BlindedBeaconBlock.serialize(beaconBlockToBlinded(config, b) as electra.BlindedBeaconBlock),
  );
const local = (value: Uint8Array): UnsignedData => ({
  type: "proposer",
  data: { slot: SLOT, blockRoot: proposalRoot(decodeProposal(value)), encoded: value },
});

describe("builder blocks in the duty pipeline", () => {
  let db: SlashingProtectionDB;
  let dir: string;
  before(async () => {
    ({ db, dir } = await openDb());
  });
  after(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("a blinded block's agreement value round-trips and has the full block's root (the same signing root)", () => {
    const full = fullBlock();
    const blinded = blindedOf(full);
    const value = encodeProposal({ blinded: true, block: blinded });
    const decoded = decodeProposal(value);
    assert.equal(decoded.blinded, true);
    assert.equal(hex(proposalRoot(decoded)), hex(ssz.electra.BeaconBlock.hashTreeRoot(full)));
    const fullValue = encodeProposal({ blinded: false, block: full });
    assert.equal(decodeProposal(fullValue).blinded, false);
    assert.deepEqual(
      computeDutySigningRoot(config, SLOTS_PER_EPOCH, local(value)),
      computeDutySigningRoot(config, SLOTS_PER_EPOCH, local(fullValue)),
    );
  });

  it("validity: accepts a blinded block paying the vault, refuses one paying another address, and slashing protection treats blinded and full alike", async () => {
    const v = new DutyValidity({
      config,
      slotsPerEpoch: SLOTS_PER_EPOCH,
      keys,
      slashingDb: db,
      aggSigDb: new CombinedSignatures(),
    });
    const own = local(encodeProposal({ blinded: false, block: fullBlock() }));
    const builderBlock = encodeProposal({ blinded: true, block: blindedOf(fullBlock({ extra: 7 })) });
    assert.equal(v.problem(batch, [own], builderBlock), null, "a builder block paying the vault");
    const thief = encodeProposal({
      blinded: true,
      block: blindedOf(fullBlock({ feeRecipient: new Uint8Array(20).fill(0x66) })),
    });
    assert.match(v.problem(batch, [own], thief) ?? "", /fee recipient 0x6666.*expected 0xfefe/);
    assert.equal(v.fitsView(batch, [own], thief), false);
    // Own local block blinded by the builder, proposal full (and vice versa): judged the same.
    const ownBlinded = local(builderBlock);
    assert.equal(v.problem(batch, [ownBlinded], encodeProposal({ blinded: false, block: fullBlock() })), null);

    // Sign the blinded block: the slashing DB records the full block's root. The same block, full, is the same
    // signature (accepted again); any other block of the slot, blinded or full, is refused.
    const signingRoot = computeDutySigningRoot(config, SLOTS_PER_EPOCH, local(builderBlock));
    const [first] = await db.checkAndInsertBlocks([
      { pubkey: keys.get(A).pubkeyHex, slot: BigInt(SLOT), signingRoot: hex(signingRoot) },
    ]);
    assert.ok(first?.ok);
    const sameFull = encodeProposal({ blinded: false, block: fullBlock({ extra: 7 }) });
    assert.equal(v.problem(batch, [own], sameFull), null, "the full form of the signed blinded block");
    assert.match(v.problem(batch, [own], encodeProposal({ blinded: false, block: fullBlock() })) ?? "", /slashing/);
    assert.match(
      v.problem(batch, [own], encodeProposal({ blinded: true, block: blindedOf(fullBlock({ extra: 8 })) })) ?? "",
      /slashing/,
    );
    const decided = v.decided(batch, builderBlock).get(A);
    assert.ok(decided?.type === "proposer");
    assert.equal(hex(decided.data.blockRoot), hex(ssz.electra.BeaconBlock.hashTreeRoot(fullBlock({ extra: 7 }))));
  });

  /** A beacon node whose produceBlockV3 answers blinded with `builder` when the factor is > 0, else the local block. */
  function producingApi(builder: electra.BlindedBeaconBlock) {
    const factors: bigint[] = [];
    const api = {
      validator: {
        produceBlockV3: async (args: { builderBoostFactor?: bigint }) => {
          factors.push(args.builderBoostFactor ?? 100n);
          const blinded = (args.builderBoostFactor ?? 100n) > 0n;
          return {
            ok: true,
            status: 200,
            error: () => null,
            value: () => (blinded ? builder : { block: fullBlock(), blobs: [], kzgProofs: [] }),
            meta: () => ({ version: ForkName.electra, executionPayloadBlinded: blinded }),
          };
        },
      },
    } as unknown as ApiClient;
    return { api, factors };
  }
  const fetcher = (api: ApiClient, builderBoostFactor: bigint, seen: (string | null)[] = []) =>
    new BeaconFetcher({
      api,
      slotsPerEpoch: SLOTS_PER_EPOCH,
      randaoReveal: () => new Uint8Array(96),
      builderBoostFactor,
      feeRecipient: () => VAULT,
      onBuilderBlock: (_d, refused) => seen.push(refused),
    });

  it("fetcher: asks with the configured builder_boost_factor, keeps a builder block paying the vault", async () => {
    const { api, factors } = producingApi(blindedOf(fullBlock({ extra: 7 })));
    const seen: (string | null)[] = [];
    const data = await fetcher(api, 100n, seen).fetch(definition, new AbortController().signal);
    assert.ok(data.type === "proposer");
    assert.equal(decodeProposal(data.data.encoded).blinded, true);
    assert.deepEqual(factors, [100n]);
    assert.deepEqual(seen, [null]);
    // Default off: local only.
    const off = producingApi(blindedOf(fullBlock()));
    const localData = await fetcher(off.api, 0n).fetch(definition, new AbortController().signal);
    assert.ok(localData.type === "proposer");
    assert.equal(decodeProposal(localData.data.encoded).blinded, false);
    assert.deepEqual(off.factors, [0n]);
  });

  it("fetcher: a builder block paying someone else is refused and the local block fetched instead", async () => {
    const { api, factors } = producingApi(blindedOf(fullBlock({ feeRecipient: new Uint8Array(20).fill(0x66) })));
    const seen: (string | null)[] = [];
    const data = await fetcher(api, 100n, seen).fetch(definition, new AbortController().signal);
    assert.ok(data.type === "proposer");
    assert.equal(decodeProposal(data.data.encoded).blinded, false);
    assert.deepEqual(factors, [100n, 0n]);
    assert.match(String(seen[0]), /pays 0x6666/);
  });

  it("broadcaster: publishes a signed blinded block with publishBlindedBlockV2; without a builder it waits for another operator's publication", async () => {
    const blinded = blindedOf(fullBlock({ extra: 7 }));
    const value = encodeProposal({ blinded: true, block: blinded });
    const item: SignedDuty = {
      definition,
      data: local(value),
      signature: { duty: definition.duty, signingRoot: new Uint8Array(32), signature: new Uint8Array(96).fill(5) },
    };
    const published: electra.SignedBlindedBeaconBlock[] = [];
    let builderless = false;
    let known = false;
    const api = {
      beacon: {
        publishBlindedBlockV2: async (args: { signedBlindedBlock: electra.SignedBlindedBeaconBlock }) => {
          if (builderless) return { ok: false, status: 400, error: () => new Error("no builder") };
          published.push(args.signedBlindedBlock);
          return { ok: true, status: 200, error: () => null };
        },
        publishBlockV2: async () => {
          throw new Error("a blinded block must not be published as a full block");
        },
        getBlockHeader: async () => ({ ok: known, status: known ? 200 : 404 }),
      },
    } as unknown as ApiClient;
    const result = await new BeaconBroadcaster({ api, holderWaitMs: 100, holderPollMs: 10 }).broadcastBatch([item]);
    assert.equal(result.published.length, 1);
    assert.equal(
      hex(ssz.electra.BlindedBeaconBlock.hashTreeRoot(published[0]?.message as electra.BlindedBeaconBlock)),
      hex(ssz.electra.BlindedBeaconBlock.hashTreeRoot(blinded)),
    );

    builderless = true;
    const failed = await new BeaconBroadcaster({ api, holderWaitMs: 60, holderPollMs: 10 }).broadcastBatch([item]);
    assert.equal(failed.failed.length, 1);
    assert.match(failed.failed[0]?.reason ?? "", /blinded block not published: HTTP 400/);
    known = true;
    const byOther = await new BeaconBroadcaster({ api, holderWaitMs: 60, holderPollMs: 10 }).broadcastBatch([item]);
    assert.equal(byOther.duplicates.length, 1, "another operator's beacon node published it");
  });
});
