import "../../src/preset.ts";
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { getClient, WireFormat } from "@lodestar/api";
import { toHex } from "@lodestar/utils";
import { type Devnet, startDevnet } from "../../src/node/devnet.ts";

type Case = { method: "GET" | "POST"; path: string; body?: string; contentType?: string; expect?: number };

const zeros = (n: number) => `0x${"00".repeat(n)}`;

// Every endpoint the devnet implements, with input that is malformed (wrong type, wrong length, out of range,
// unknown id, bad JSON, bad signature).
const cases: Case[] = [
  { method: "GET", path: "/eth/v1/beacon/states/nope/root" },
  { method: "GET", path: "/eth/v1/beacon/states/0x12/fork" },
  { method: "GET", path: "/eth/v1/beacon/states/-1/finality_checkpoints" },
  { method: "GET", path: "/eth/v1/beacon/states/head/validators?id=abc" },
  { method: "GET", path: "/eth/v1/beacon/states/head/validators?id=0x1234" },
  { method: "POST", path: "/eth/v1/beacon/states/head/validators", body: '{"ids": 5}' },
  { method: "POST", path: "/eth/v1/beacon/states/head/validators", body: "{not json" },
  { method: "GET", path: "/eth/v1/beacon/states/head/validators/xyz" },
  { method: "GET", path: "/eth/v1/beacon/states/head/validators/99999", expect: 404 },
  { method: "GET", path: "/eth/v1/beacon/states/head/validator_balances?id=-5" },
  { method: "GET", path: "/eth/v1/beacon/states/head/committees?epoch=999" },
  { method: "GET", path: "/eth/v1/beacon/states/head/committees?index=5" },
  { method: "GET", path: "/eth/v1/beacon/states/head/committees?slot=abc" },
  { method: "GET", path: "/eth/v1/beacon/headers/notablock" },
  { method: "GET", path: "/eth/v1/beacon/headers/999999", expect: 404 },
  { method: "GET", path: "/eth/v1/beacon/headers?slot=abc" },
  { method: "GET", path: "/eth/v2/beacon/blocks/0xzz" },
  { method: "GET", path: `/eth/v2/beacon/blocks/${zeros(32)}`, expect: 404 },
  { method: "GET", path: "/eth/v1/beacon/blocks/xx/root" },
  { method: "GET", path: "/eth/v2/beacon/blocks/xx/attestations" },
  { method: "POST", path: "/eth/v2/beacon/blocks", body: '{"message":{}}' },
  { method: "POST", path: "/eth/v2/beacon/blocks", body: "[]" },
  {
    method: "POST",
    path: "/eth/v2/beacon/blocks",
    body: "\u0001\u0002garbage",
    contentType: "application/octet-stream",
  },
  { method: "POST", path: "/eth/v2/beacon/pool/attestations", body: '[{"committee_index":"0"}]' },
  { method: "POST", path: "/eth/v2/beacon/pool/attestations", body: '"x"' },
  {
    method: "POST",
    path: "/eth/v2/beacon/pool/attestations",
    body: JSON.stringify([
      {
        committee_index: "0",
        attester_index: "0",
        data: {
          slot: "1",
          index: "0",
          beacon_block_root: zeros(32),
          source: { epoch: "0", root: zeros(32) },
          target: { epoch: "0", root: zeros(32) },
        },
        signature: zeros(96),
      },
    ]),
  },
  { method: "POST", path: "/eth/v1/beacon/pool/sync_committees", body: '[{"slot":"x"}]' },
  {
    method: "POST",
    path: "/eth/v1/beacon/pool/sync_committees",
    body: JSON.stringify([{ slot: "0", beacon_block_root: zeros(32), validator_index: "0", signature: zeros(96) }]),
  },
  { method: "POST", path: "/eth/v1/beacon/pool/voluntary_exits", body: '{"message":{"epoch":"0"}}' },
  {
    method: "POST",
    path: "/eth/v1/beacon/pool/voluntary_exits",
    body: JSON.stringify({ message: { epoch: "0", validator_index: "3" }, signature: zeros(96) }),
  },
  { method: "POST", path: "/eth/v1/validator/duties/attester/abc", body: '["1"]' },
  { method: "POST", path: "/eth/v1/validator/duties/attester/99999", body: '["1"]' },
  { method: "POST", path: "/eth/v1/validator/duties/attester/0", body: '{"a":1}' },
  { method: "GET", path: "/eth/v1/validator/duties/proposer/x" },
  { method: "GET", path: "/eth/v1/validator/duties/proposer/99999" },
  { method: "POST", path: "/eth/v1/validator/duties/sync/1", body: '["x"]' },
  { method: "GET", path: "/eth/v1/validator/attestation_data?slot=abc&committee_index=0" },
  { method: "GET", path: "/eth/v1/validator/attestation_data?slot=99999999&committee_index=0" },
  {
    method: "GET",
    path: "/eth/v2/validator/aggregate_attestation?attestation_data_root=0x12&slot=1&committee_index=0",
  },
  {
    method: "GET",
    path: `/eth/v2/validator/aggregate_attestation?attestation_data_root=${zeros(32)}&slot=1&committee_index=0`,
    expect: 404,
  },
  { method: "POST", path: "/eth/v2/validator/aggregate_and_proofs", body: '[{"message":{}}]' },
  { method: "POST", path: "/eth/v1/validator/beacon_committee_subscriptions", body: '[{"slot":"x"}]' },
  {
    method: "GET",
    path: "/eth/v1/validator/sync_committee_contribution?slot=x&subcommittee_index=0&beacon_block_root=0x00",
  },
  { method: "POST", path: "/eth/v1/validator/contribution_and_proofs", body: '[{"message":1}]' },
  { method: "GET", path: "/eth/v3/validator/blocks/abc?randao_reveal=0x00" },
  { method: "GET", path: "/eth/v3/validator/blocks/1?randao_reveal=0x1234" },
  { method: "GET", path: `/eth/v3/validator/blocks/99999?randao_reveal=${zeros(96)}` },
  { method: "GET", path: "/eth/v1/events?topics=nonsense" },
  { method: "GET", path: "/nektar/v1/proofs/validators/abc" },
  { method: "GET", path: "/nektar/v1/proofs/validators/0?block_id=0xnothex" },
  { method: "GET", path: "/nektar/v1/proofs/validators/99999", expect: 404 },
  { method: "GET", path: `/nektar/v1/proofs/validators/0?block_id=${zeros(32)}`, expect: 404 },
];

describe("Beacon API", { timeout: 60_000 }, () => {
  let devnet: Devnet;
  before(async () => {
    devnet = await startDevnet({ validators: 16, secondsPerSlot: 1 });
    await new Promise((r) => setTimeout(r, 2500));
  });
  after(async () => devnet?.stop());

  for (const c of cases) {
    it(`${c.method} ${c.path.slice(0, 90)} ${c.body?.slice(0, 40) ?? ""} -> ${c.expect ?? 400}`, async () => {
      const res = await fetch(`${devnet.url}${c.path}`, {
        method: c.method,
        ...(c.body !== undefined
          ? { body: c.body, headers: { "content-type": c.contentType ?? "application/json" } }
          : {}),
      });
      const body = (await res.json()) as { code?: number; message?: string };
      assert.equal(res.status, c.expect ?? 400, `status (message: ${body.message})`);
      assert.equal(typeof body.message, "string");
      assert.ok((body.message ?? "").length > 0);
    });
  }

  it("serves the full state over /eth/v2/debug/beacon/states as SSZ, whose root is the head block's state root", async () => {
    const api = getClient({ baseUrl: devnet.url }, { config: devnet.chain.config });
    const { header } = (await api.beacon.getBlockHeader({ blockId: "head" })).value();
    const res = await api.debug.getStateV2(
      { stateId: toHex(header.message.stateRoot) },
      { responseWireFormat: WireFormat.ssz },
    );
    assert.ok(res.ok, `HTTP ${res.status}`);
    const state = devnet.chain.config.getForkTypes(header.message.slot).BeaconState.deserializeToViewDU(res.ssz());
    assert.deepEqual(state.hashTreeRoot(), header.message.stateRoot);
    assert.equal(state.validators.length, 16);
    const missing = await fetch(`${devnet.url}/eth/v2/debug/beacon/states/${zeros(32)}`);
    assert.equal(missing.status, 404);
  });

  it("serves genesis, spec, fork schedule, deposit contract, version, syncing and states to @lodestar/api's client", async () => {
    const api = getClient({ baseUrl: devnet.url }, { config: devnet.chain.config });
    const genesis = (await api.beacon.getGenesis()).value();
    assert.equal(genesis.genesisTime, devnet.chain.genesisTime);
    const spec = (await api.config.getSpec()).value();
    assert.equal(spec.PRESET_BASE, "minimal");
    assert.equal(spec.SECONDS_PER_SLOT, "1");
    assert.equal(spec.SLOTS_PER_EPOCH, "8");
    const forks = (await api.config.getForkSchedule()).value();
    assert.equal(forks.at(-1)?.epoch, 0);
    assert.deepEqual(forks.at(-1)?.currentVersion, devnet.chain.config.ELECTRA_FORK_VERSION);
    const contract = (await api.config.getDepositContract()).value();
    assert.equal(contract.address.length, 20);
    assert.match((await api.node.getNodeVersion()).value().version, /beacon-devnet/);
    const syncing = (await api.node.getSyncingStatus()).value();
    assert.equal(syncing.isSyncing, false);
    const validators = (await api.beacon.getStateValidators({ stateId: "head", validatorIds: [0, 3] })).value();
    assert.deepEqual(
      validators.map((v) => [v.index, v.status]),
      [
        [0, "active_ongoing"],
        [3, "active_ongoing"],
      ],
    );
    const byPubkey = (
      await api.beacon.getStateValidator({
        stateId: "head",
        validatorId: `0x${Buffer.from(validators[1]?.validator.pubkey ?? []).toString("hex")}`,
      })
    ).value();
    assert.equal(byPubkey.index, 3);
    const header = (await api.beacon.getBlockHeader({ blockId: "head" })).value();
    const block = (await api.beacon.getBlockV2({ blockId: `0x${Buffer.from(header.root).toString("hex")}` })).value();
    assert.equal(block.message.slot, header.header.message.slot);
    // Every active validator sits in exactly one committee per epoch (16 validators, minimal preset).
    const committees = (await api.beacon.getEpochCommittees({ stateId: "head" })).value();
    assert.deepEqual(
      committees.flatMap((c) => c.validators).sort((a, b) => a - b),
      [...Array(16).keys()],
    );
    const slot = committees[3]?.slot ?? 0;
    const ofSlot = (await api.beacon.getEpochCommittees({ stateId: "head", slot })).value();
    assert.ok(ofSlot.length > 0 && ofSlot.every((c) => c.slot === slot));
    assert.deepEqual(
      ofSlot.map((c) => c.validators),
      committees.filter((c) => c.slot === slot).map((c) => c.validators),
    );
    const checkpoints = (await api.beacon.getStateFinalityCheckpoints({ stateId: "head" })).value();
    assert.equal(checkpoints.finalized.epoch, 0);
  });

  it("streams head and block events", async () => {
    const controller = new AbortController();
    const res = await fetch(`${devnet.url}/eth/v1/events?topics=head,block,finalized_checkpoint`, {
      signal: controller.signal,
    });
    assert.equal(res.status, 200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let text = "";
    const deadline = Date.now() + 5000;
    while (!(text.includes("event: head") && text.includes("event: block")) && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString();
    }
    controller.abort();
    assert.match(text, /event: head\ndata: \{"slot":"\d+","block":"0x[0-9a-f]{64}"/);
    assert.match(text, /event: block\ndata: \{"slot":"\d+","block":"0x[0-9a-f]{64}"/);
  });

  it("keeps producing blocks and answering after all of the above", async () => {
    const before = devnet.chain.head.slot;
    await new Promise((r) => setTimeout(r, 1500));
    assert.ok(devnet.chain.head.slot > before);
    const res = await fetch(`${devnet.url}/eth/v1/node/health`);
    assert.equal(res.status, 200);
  });
});
