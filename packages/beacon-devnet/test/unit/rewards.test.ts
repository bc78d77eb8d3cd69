import "../../src/preset.ts";
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SLOTS_PER_EPOCH } from "@lodestar/params";
import { interopSecretKey, processSlots } from "@lodestar/state-transition";
import { interopWithdrawalCredentials } from "../../src/chain/genesis.ts";
import { ChainSimulator } from "../../src/node/simulator.ts";

/** 16 validators the devnet signs for and 4 genesis validators nobody runs (offline from the start). */
const ONLINE = 16;
const OFFLINE = 4;

type AttestationsRewards = {
  ideal_rewards: { effective_balance: string; head: string; target: string; source: string }[];
  total_rewards: { validator_index: string; head: string; target: string; source: string; inactivity: string }[];
};

function setup() {
  const extraValidators = Array.from({ length: OFFLINE }, (_, i) => {
    const pubkey = interopSecretKey(1000 + i)
      .toPublicKey()
      .toBytes();
    return { pubkey, withdrawalCredentials: interopWithdrawalCredentials(pubkey) };
  });
  const sim = new ChainSimulator({ validators: ONLINE, extraValidators });
  const server = sim.apiServer();
  const call = async (method: "GET" | "POST", url: string, body?: unknown) => {
    const res = await server.inject({ method, url, ...(body === undefined ? {} : { payload: body as object }) });
    return { status: res.statusCode, json: res.json() as { data: unknown; message?: string } };
  };
  return { sim, server, call };
}

const sum = (xs: string[]) => xs.reduce((n, x) => n + Number(x), 0);

describe("rewards endpoints (/eth/v1/beacon/rewards/…)", () => {
  it("attestation rewards of an epoch: online validators earn the ideal, offline ones are penalised — equal to the balance change the epoch transition applies", async () => {
    const { sim, call } = setup();
    for (let i = 0; i < 3 * SLOTS_PER_EPOCH; i++) sim.step();
    const epoch = 1;
    const { status, json } = await call("POST", `/eth/v1/beacon/rewards/attestations/${epoch}`, []);
    assert.equal(status, 200, json.message);
    const data = json.data as AttestationsRewards;
    assert.equal(data.total_rewards.length, ONLINE + OFFLINE);
    const ideal = data.ideal_rewards.find((r) => r.effective_balance === String(32e9));
    assert.ok(ideal !== undefined && Number(ideal.head) > 0 && Number(ideal.target) > 0 && Number(ideal.source) > 0);
    for (const r of data.total_rewards) {
      const index = Number(r.validator_index);
      if (index < ONLINE) {
        // Head counts only if included in the next slot, source within 2 (minimal preset): offline proposers cost them.
        assert.equal(r.target, ideal.target, `validator ${index}`);
        assert.ok(r.head === ideal.head || r.head === "0");
        assert.ok(r.source === ideal.source || Number(r.source) < 0);
      } else {
        assert.equal(Number(r.head), 0);
        assert.ok(Number(r.target) < 0 && Number(r.source) < 0, `offline validator ${index} penalised`);
      }
    }
    // Computed, not asserted into existence: the epoch transition into epoch + 2 changes each balance by exactly this.
    const endSlot = (epoch + 2) * SLOTS_PER_EPOCH - 1;
    const block = sim.chain.getCanonicalBlockAtOrBefore(endSlot);
    const before = processSlots(sim.chain.getStateByBlockRoot(block.rootHex), endSlot, { dontTransferCache: true });
    const after = processSlots(before, endSlot + 1, { dontTransferCache: true });
    for (const r of data.total_rewards) {
      const i = Number(r.validator_index);
      const delta = after.balances.get(i) - before.balances.get(i);
      assert.equal(delta, sum([r.head, r.target, r.source, r.inactivity]), `validator ${i}'s balance change`);
    }
    const perfect = data.total_rewards.filter((r) => r.head === ideal.head && r.source === ideal.source);
    assert.ok(perfect.length > 0, "no online validator earned every reward");
    const filtered = await call("POST", `/eth/v1/beacon/rewards/attestations/${epoch}`, ["3", "17"]);
    assert.deepEqual(
      (filtered.json.data as AttestationsRewards).total_rewards.map((r) => r.validator_index),
      ["3", "17"],
    );
  });

  it("block and sync committee rewards of each block equal the balance changes the block applies", async () => {
    const { sim, call } = setup();
    for (let i = 0; i < 3 * SLOTS_PER_EPOCH; i++) sim.step();
    const blocks = sim.chain.canonicalBlocks(2 * SLOTS_PER_EPOCH + 1, 3 * SLOTS_PER_EPOCH);
    assert.ok(blocks.length >= SLOTS_PER_EPOCH / 2);
    let rewarding = 0;
    for (const block of blocks) {
      const proposer = block.signedBlock.message.proposerIndex;
      const blockRes = await call("GET", `/eth/v1/beacon/rewards/blocks/${block.slot}`);
      assert.equal(blockRes.status, 200, blockRes.json.message);
      const rewards = blockRes.json.data as Record<string, string>;
      assert.equal(Number(rewards.proposer_index), proposer);
      const parts = [
        rewards.attestations,
        rewards.sync_aggregate,
        rewards.proposer_slashings,
        rewards.attester_slashings,
      ];
      assert.equal(Number(rewards.total), sum(parts as string[]));
      if (Number(rewards.attestations) > 0 && Number(rewards.sync_aggregate) > 0) rewarding++;
      const syncRes = await call("POST", `/eth/v1/beacon/rewards/sync_committee/${block.rootHex}`, []);
      assert.equal(syncRes.status, 200, syncRes.json.message);
      const sync = syncRes.json.data as { validator_index: string; reward: string }[];
      assert.ok(sync.length > 0);
      const parent = sim.chain.getStateByBlockRoot(block.parentRootHex);
      const pre = processSlots(parent, block.slot, { dontTransferCache: true });
      const post = sim.chain.getStateByBlockRoot(block.rootHex);
      const syncOf = new Map<number, number>();
      for (const s of sync)
        syncOf.set(Number(s.validator_index), (syncOf.get(Number(s.validator_index)) ?? 0) + Number(s.reward));
      for (let i = 0; i < ONLINE + OFFLINE; i++) {
        const delta = post.balances.get(i) - pre.balances.get(i);
        // The withdrawal sweep of the block's payload moves excess balance out: not a reward.
        const withdrawn = block.signedBlock.message.body.executionPayload.withdrawals
          .filter((w) => w.validatorIndex === i)
          .reduce((n, w) => n + Number(w.amount), 0);
        const expected = (syncOf.get(i) ?? 0) + (i === proposer ? Number(rewards.total) : 0) - withdrawn;
        assert.equal(delta, expected, `validator ${i}'s balance change in slot ${block.slot}`);
      }
      for (const [i, reward] of syncOf) if (i >= ONLINE) assert.ok(reward < 0, `offline sync member ${i} penalised`);
    }
    assert.ok(rewarding > 0, "no block rewarded its proposer for attestations and a sync aggregate");
  });

  it("answers JSON even to a client preferring SSZ (penalties are negative; SSZ UintNum64 would wrap them to ~4.29e9 gwei) and 406 to one accepting only SSZ", async () => {
    const { sim, server } = setup();
    for (let i = 0; i < 3 * SLOTS_PER_EPOCH; i++) sim.step();
    const ask = (accept: string) =>
      server.inject({
        method: "POST",
        url: "/eth/v1/beacon/rewards/attestations/1",
        headers: { accept, "content-type": "application/json" },
        payload: [],
      });
    // What `@lodestar/api`'s client sends by default.
    const res = await ask("application/octet-stream;q=1,application/json;q=0.9");
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers["content-type"]), /application\/json/);
    const data = (res.json() as { data: AttestationsRewards }).data;
    const offline = data.total_rewards.filter((r) => Number(r.validator_index) >= ONLINE);
    assert.equal(offline.length, OFFLINE);
    for (const r of offline) assert.ok(Number(r.target) < 0 && Number(r.source) < 0, `validator ${r.validator_index}`);
    assert.equal((await ask("application/octet-stream")).statusCode, 406);
    const sync = await server.inject({
      method: "POST",
      url: `/eth/v1/beacon/rewards/sync_committee/${sim.chain.head.slot}`,
      headers: { accept: "application/octet-stream;q=1,application/json;q=0.9", "content-type": "application/json" },
      payload: [],
    });
    assert.equal(sync.statusCode, 200, sync.body);
    const members = (sync.json() as { data: { validator_index: string; reward: string }[] }).data;
    assert.ok(
      members.some((m) => Number(m.validator_index) >= ONLINE && Number(m.reward) < 0),
      "a penalised member",
    );
  });

  it("answers 404 for an epoch the chain has not finished and 400 for the genesis block or a bad id", async () => {
    const { sim, call } = setup();
    for (let i = 0; i < SLOTS_PER_EPOCH; i++) sim.step();
    assert.equal((await call("POST", "/eth/v1/beacon/rewards/attestations/1", [])).status, 404);
    assert.equal((await call("GET", "/eth/v1/beacon/rewards/blocks/0")).status, 400);
    assert.equal((await call("GET", "/eth/v1/beacon/rewards/blocks/nope")).status, 400);
    assert.equal((await call("POST", "/eth/v1/beacon/rewards/sync_committee/99999", [])).status, 404);
  });
});
