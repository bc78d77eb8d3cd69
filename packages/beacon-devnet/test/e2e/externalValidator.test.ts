import "../../src/preset.ts";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { SecretKey } from "@chainsafe/blst";
import { SLOTS_PER_EPOCH } from "@lodestar/params";
import { interopSecretKey } from "@lodestar/state-transition";
import { type DevnetProcess, spawnDevnet } from "../helpers/devnetProcess.ts";
import { ExternalValidatorClient } from "../helpers/externalValidatorClient.ts";

const HELD = 16;
const EXTERNAL = 16;
const SECONDS_PER_SLOT = 1;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function getJson(url: string): Promise<{ status: number; body: { data: unknown } }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as { data: unknown } };
}

describe("external validator client over HTTP", { timeout: 120_000 }, () => {
  let devnet: DevnetProcess;
  let dir: string;
  const keys = new Map<number, SecretKey>();

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "beacon-devnet-"));
    const extra = [];
    for (let i = HELD; i < HELD + EXTERNAL; i++) {
      const sk = interopSecretKey(i);
      keys.set(i, sk);
      const pubkey = sk.toPublicKey().toBytes();
      extra.push({
        pubkey: `0x${Buffer.from(pubkey).toString("hex")}`,
        // BLS (0x00) credentials: no withdrawal sweep, so rewards stay visible in the balance.
        withdrawal_credentials: `0x00${"11".repeat(31)}`,
      });
    }
    await writeFile(join(dir, "extra.json"), JSON.stringify(extra));
    devnet = await spawnDevnet([
      "--validators",
      String(HELD),
      "--extra-validators",
      join(dir, "extra.json"),
      "--seconds-per-slot",
      String(SECONDS_PER_SLOT),
    ]);
  });

  after(async () => {
    await devnet?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("performs proposer, attester, aggregator and sync duties; when it stops, its slots are empty and balances fall", async () => {
    const headSlot = async () =>
      Number(((await getJson(`${devnet.url}/eth/v1/node/syncing`)).body.data as { head_slot: string }).head_slot);
    const waitForSlot = async (slot: number) => {
      while ((await headSlot()) < slot) await sleep(250);
    };
    const ids = [...keys.keys()].join(",");
    const balances = async () =>
      (await getJson(`${devnet.url}/eth/v1/beacon/states/head/validators?id=${ids}`)).body.data as {
        index: string;
        balance: string;
      }[];
    // Collect finalized_checkpoint events over the whole online period.
    const events = new AbortController();
    let eventText = "";
    const stream = fetch(`${devnet.url}/eth/v1/events?topics=finalized_checkpoint`, { signal: events.signal })
      .then(async (res) => {
        for await (const chunk of res.body as ReadableStream<Uint8Array>) eventText += Buffer.from(chunk).toString();
      })
      .catch(() => {});
    const vc = new ExternalValidatorClient(devnet.url, SECONDS_PER_SLOT, keys);
    await vc.start();
    // The client starts a few slots after genesis (process start-up): measure rewards from epoch 2 on, whose
    // epoch transitions apply the rewards of epochs in which it was online from the start.
    await waitForSlot(2 * SLOTS_PER_EPOCH);
    const online = await balances();
    await waitForSlot(4 * SLOTS_PER_EPOCH + 1);
    vc.stop();
    const before = await balances();
    await sleep(1000);
    events.abort();
    await stream;
    assert.match(
      eventText,
      /event: finalized_checkpoint\ndata: \{"block":"0x[0-9a-f]{64}","state":"0x[0-9a-f]{64}","epoch":"\d+"/,
    );

    assert.deepEqual(vc.stats.errors, [], "no duty failed");
    assert.ok(vc.stats.attestations >= EXTERNAL * 2, `attested (${vc.stats.attestations})`);
    assert.ok(vc.stats.aggregates > 0, "aggregated at least once");
    assert.ok(vc.stats.syncMessages > 0, "sent sync committee messages");
    assert.ok(vc.stats.contributions > 0, "published sync committee contributions");
    assert.ok(vc.stats.proposed.length > 0, "proposed at least one block");
    for (const slot of vc.stats.proposed) {
      const { status, body } = await getJson(`${devnet.url}/eth/v1/beacon/headers/${slot}`);
      assert.equal(status, 200, `block at slot ${slot} exists`);
      const header = body.data as { canonical: boolean; header: { message: { proposer_index: string } } };
      assert.equal(header.canonical, true);
      assert.ok(Number(header.header.message.proposer_index) >= HELD, "proposed by an external key");
    }
    assert.equal(before.length, EXTERNAL);
    for (const [i, v] of before.entries()) {
      assert.ok(Number(v.balance) > Number(online[i]?.balance), `validator ${v.index} earned rewards (${v.balance})`);
    }

    // Stopped: from the first epoch boundary after the stop to the next one (a fully offline epoch), proposals of
    // external keys leave empty slots and balances fall.
    const stoppedAt = await headSlot();
    const offlineEpoch = Math.floor(stoppedAt / SLOTS_PER_EPOCH) + 1;
    // Rewards of epoch e are applied at the end of epoch e + 1: compare the balances across the end of the first
    // fully offline epoch's following epoch.
    await waitForSlot((offlineEpoch + 1) * SLOTS_PER_EPOCH);
    const duties = (await getJson(`${devnet.url}/eth/v1/validator/duties/proposer/${offlineEpoch + 1}`)).body.data as {
      slot: string;
      validator_index: string;
    }[];
    const atOfflineStart = (await getJson(`${devnet.url}/eth/v1/beacon/states/head/validators?id=${ids}`)).body
      .data as {
      index: string;
      balance: string;
    }[];
    await waitForSlot((offlineEpoch + 2) * SLOTS_PER_EPOCH + 1);
    const afterStop = (await getJson(`${devnet.url}/eth/v1/beacon/states/head/validators?id=${ids}`)).body.data as {
      index: string;
      balance: string;
    }[];
    for (const [i, v] of afterStop.entries()) {
      assert.ok(
        Number(v.balance) < Number(atOfflineStart[i]?.balance),
        `validator ${v.index} lost balance while offline`,
      );
    }
    let externalSlots = 0;
    for (const d of duties) {
      const { status } = await getJson(`${devnet.url}/eth/v1/beacon/headers/${d.slot}`);
      if (Number(d.validator_index) >= HELD) {
        externalSlots++;
        assert.equal(status, 404, `slot ${d.slot} of an offline proposer is empty`);
      } else {
        assert.equal(status, 200, `slot ${d.slot} of a held proposer has a block`);
      }
    }
    assert.equal(duties.length, SLOTS_PER_EPOCH);
    assert.ok(externalSlots > 0, "an offline key had a proposal duty in the offline epoch");
  });
});
