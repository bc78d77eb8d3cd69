/**
 * `npm start -- --demo-exit`, headless, end to end (slow suite): one distributed validator goes active; a staker asks
 * to withdraw 1 ETH more than the buffer and inflows cover; an operator's node asks the validator to exit for the
 * demand (pool upkeep), its cluster signs the voluntary exit, the beacon chain exits it and pays its balance to the
 * withdrawal vault, an oracle report brings the ether to the pool, a node finalizes the withdrawal and the staker
 * claims it; the cluster settles the exit. Nothing of this is done by the orchestrator.
 * Env: DEVNET_E2E_SLOT_SECONDS (default 2).
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { getValidatorExit, listValidators, loadManifest } from "@nektar/sdk";
import { createPublicClient, http } from "viem";
import { beaconValidators } from "../../src/devnet/beacon.ts";
import { isAlive, readState } from "../../src/devnet/state.ts";
import { devnetUp, type RunningDevnet } from "../../src/devnet/up.ts";

const SLOT_SECONDS = Number(process.env.DEVNET_E2E_SLOT_SECONDS ?? 2);
const dir = mkdtempSync(join(tmpdir(), "nektar-devnet-exit-"));
let devnet: RunningDevnet | undefined;
let passed = false;
after(async () => {
  await devnet?.stop();
  if (passed) rmSync(dir, { recursive: true, force: true });
  else console.log(`devnet directory kept for inspection: ${dir}`);
});

const events: string[] = [];

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`timed out waiting for ${what}; devnet events:\n${events.slice(-30).join("\n")}`);
}

describe(`npm start --demo-exit, headless (${SLOT_SECONDS} s slots, 16 operators, 1 DV)`, {
  timeout: 1_500_000,
}, () => {
  it("withdrawal demand beyond the buffer exits the validator through its cluster; the ether reaches the queue", async () => {
    devnet = await devnetUp({
      dir,
      operators: 16,
      stakers: 3,
      slotSeconds: SLOT_SECONDS,
      validators: 1,
      resume: false,
      rpcPort: 0,
      beaconPort: 0,
      marketplacePort: 0,
      interopValidators: 64,
      demoExit: true,
      onEvent: (e) => events.push(`${new Date().toISOString().slice(11, 19)} ${e}`),
    });
    const d = devnet;
    const manifest = loadManifest(d.manifestPath);
    const client = createPublicClient({ transport: http(d.rpcUrl) });
    const { contracts } = manifest;

    const [dv] = await until("the distributed validator active", 600_000, async () => {
      const { validators } = await listValidators(client, { contracts });
      const active = validators.filter((v) => v.status === "active");
      return active.length > 0 ? active : undefined;
    });
    assert.ok(dv !== undefined);
    const asked = await until("a node asks the validator to exit for the demand", 300_000, async () =>
      events.find((e) => /validator \d+ asked to exit \(withdrawal-demand\) by operator \d+'s node/.test(e)),
    );
    assert.match(asked, new RegExp(`validator ${dv.validatorId} asked to exit`));
    const record = await getValidatorExit(client, { contracts, validatorId: dv.validatorId });
    assert.equal(record.reason, "withdrawal-demand");

    // The cluster's voluntary exit (or, after the exit manager's window, an EIP-7002 request) exits it.
    const pubkey = dv.pubkey;
    assert.ok(pubkey !== undefined);
    const exiting = await until("the beacon chain shows the validator exiting", 420_000, async () => {
      const [v] = await beaconValidators(d.beaconUrl, [pubkey]);
      return v !== undefined && v.status !== "active_ongoing" && v.status.startsWith("pending") === false
        ? v
        : undefined;
    });
    assert.notEqual(exiting.status, "active_slashed");
    assert.ok(events.some((e) => /exit demo: withdrawal \d+ of/.test(e)));

    await until("the demand's withdrawal finalized and claimed", 900_000, async () =>
      events.find((e) => /exit demo: withdrawal \d+ claimed/.test(e)),
    );
    const [gone] = await beaconValidators(d.beaconUrl, [pubkey]);
    assert.ok(gone !== undefined && /^(withdrawal_|exited_)/.test(gone.status), `beacon status ${gone?.status}`);
    await until("the exit settled by the cluster", 300_000, async () => {
      const r = await getValidatorExit(client, { contracts, validatorId: dv.validatorId });
      return r.settled ? r : undefined;
    });

    const pids = (readState(dir)?.processes ?? []).map((p) => p.pid);
    await d.stop();
    assert.deepEqual(pids.filter(isAlive), [], "every devnet process is gone after shutdown");
    passed = true;
  });
});
