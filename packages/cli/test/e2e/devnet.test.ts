import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { getOperator, getWithdrawalStatus, listValidators, loadManifest, nektarChain } from "@nektar/sdk";
import { createPublicClient, http } from "viem";
import { devnetClient, FIRST_STAKER_ACCOUNT } from "../../src/devnet/accounts.ts";
import { beaconHead } from "../../src/devnet/beacon.ts";
import { createInclusionTracker } from "../../src/devnet/inclusion.ts";
import { isAlive, readState } from "../../src/devnet/state.ts";
import { devnetUp, type RunningDevnet } from "../../src/devnet/up.ts";

const dir = mkdtempSync(join(tmpdir(), "nektar-devnet-"));
let devnet: RunningDevnet | undefined;
after(async () => {
  await devnet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const events: string[] = [];

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 400));
  }
  throw new Error(`timed out waiting for ${what}; devnet events:\n${events.slice(-15).join("\n")}`);
}

describe("npm start, headless (2 s slots, 16 operators, 1 validator)", { timeout: 330_000 }, () => {
  it("runs the system, finalizes, serves a staker's withdrawal end to end, and stops every process", async () => {
    devnet = await devnetUp({
      dir,
      operators: 16,
      stakers: 2,
      slotSeconds: 2,
      validators: 1,
      resume: false,
      rpcPort: 0,
      beaconPort: 0,
      interopValidators: 64,
      onEvent: (e) => events.push(e),
    });
    const manifest = loadManifest(devnet.manifestPath);
    assert.equal(manifest.beaconUrl, devnet.beaconUrl);
    const client = createPublicClient({ transport: http(devnet.rpcUrl) });
    const { contracts } = manifest;

    // Operators: Stinger identities registered as node identities, bonded.
    assert.equal(devnet.operators.length, 16);
    for (const op of devnet.operators) {
      const record = await getOperator(client, { contracts, operatorId: op.operatorId });
      assert.equal(record.nodeIdentity, op.identityPubkey);
      assert.ok(record.bondUnits > 0n);
    }

    // Stakers fill the buffer; a validator is requested as soon as 32 ETH are unreserved.
    const requested = await until("a validator request", 60_000, async () => {
      const { validators } = await listValidators(client, { contracts });
      return validators.find((v) => v.status === "requested");
    });
    assert.equal(new Set(requested.operatorIds).size, 16);

    // The withdrawal of the first staker is finalized by a report and claimed.
    const staker = devnetClient(nektarChain(manifest.chainId, devnet.rpcUrl), devnet.rpcUrl, FIRST_STAKER_ACCOUNT);
    const claimed = await until("the staker's withdrawal claimed", 90_000, async () => {
      const [status] = await getWithdrawalStatus(client, { contracts, requestIds: [1n] });
      return status?.isClaimed ? status : undefined;
    });
    assert.ok(claimed.isFinalized);
    assert.ok(events.some((e) => e === `withdrawal 1 requested by ${staker.account.address}`));
    assert.ok(
      events.some((e) => /oracle report epoch \d+/.test(e)),
      "the oracle reported",
    );

    // The consensus layer finalizes, and the inclusion tracker (the one the status screen applies to distributed
    // validators) measures 2 full epochs of the beacon devnet's own validators.
    const tracker = createInclusionTracker(devnet.beaconUrl);
    const interop = Array.from({ length: 64 }, (_, i) => i);
    await until("a finalized epoch and 2 measured epochs", 160_000, async () => {
      const head = await beaconHead(devnet?.beaconUrl ?? "");
      await tracker.update(head.slot, interop);
      return head.finalizedEpoch >= 1 && tracker.results.length >= 2 ? head : undefined;
    });
    // The devnet's built-in validator client can lose one slot of 8 when the shared 2-core machine is starved (seen at
    // load average 40): the check tolerates that, a wrong bit offset in the tracker would find (almost) nothing.
    for (const epoch of tracker.results) {
      assert.equal(epoch.expected, 64, `every validator attests once in epoch ${epoch.epoch}`);
      assert.ok(epoch.included >= 56, `epoch ${epoch.epoch}: ${epoch.included}/${epoch.expected} included`);
    }
    assert.ok((tracker.rate() ?? 0) >= 0.9, `inclusion over ${tracker.results.length} epochs: ${tracker.rate()}`);

    const pids = (readState(dir)?.processes ?? []).map((p) => p.pid);
    assert.ok(pids.length >= 2);
    await devnet.stop();
    assert.deepEqual(pids.filter(isAlive), [], "every devnet process is gone after shutdown");
  });
});
