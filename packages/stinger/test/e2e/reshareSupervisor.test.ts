// The beacon devnet sets the minimal preset: keep this import first.
import "@nektar/beacon-devnet";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Devnet, startDevnet } from "@nektar/beacon-devnet";
import { hexToBytes } from "viem";
import { connectBeaconNode } from "../../src/node/beaconConnection.ts";
import { ValidatorSupervisor } from "../../src/node/validatorSupervisor.ts";
import { ReshareError } from "../../src/reshare/errors.ts";
import type { ReshareRecord } from "../../src/reshare/record.ts";
import { SlashingProtectionDB } from "../../src/slashing/db.ts";
import { type InProcessOperator, WITHDRAWAL_CREDENTIALS } from "../support/ceremonyHarness.ts";
import { type ReshareCluster, replaceRequest, reshareCluster, runReplacement } from "../support/reshareHarness.ts";
import { supervisorOptions } from "../support/supervisorHarness.ts";

const N = 4;
const T = 3;
const LEAVING = 2;

describe(`ValidatorSupervisor after a resharing (${N} operators + 1 newcomer, seat ${LEAVING} replaced)`, () => {
  const root = mkdtempSync(join(tmpdir(), "stinger-reshare-supervisor-"));
  let c: ReshareCluster;
  let devnet: Devnet | undefined;
  let newcomerRecord: ReshareRecord;
  before(async () => {
    c = await reshareCluster(N, T, root);
    const results = await runReplacement(c, replaceRequest(c, LEAVING));
    newcomerRecord = results.find((r) => r.seat === LEAVING)?.outcome.record as ReshareRecord;
    devnet = await startDevnet({
      validators: 8,
      secondsPerSlot: 1,
      extraValidators: [
        { pubkey: hexToBytes(newcomerRecord.validator), withdrawalCredentials: hexToBytes(WITHDRAWAL_CREDENTIALS) },
      ],
    });
  });
  after(async () => {
    await devnet?.stop();
    await c.stop();
    for (const o of c.ops) rmSync(o.deps.dataDir, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  });

  const start = async (op: InProcessOperator) =>
    ValidatorSupervisor.start(await supervisorOptions(op, (devnet as Devnet).url));

  it("the newcomer's node refuses to start on a slashing DB without the attested state, and runs once it holds it", async () => {
    const newcomer = c.ops[N] as InProcessOperator;
    await assert.rejects(
      start(newcomer),
      (e: unknown) => e instanceof ReshareError && e.type.code === "ERR_RESHARE_SLASHING_STATE",
    );
    // The node's DB (of the devnet's chain) gets the attested watermarks, as `stinger slashing import` would write them.
    const beacon = await connectBeaconNode((devnet as Devnet).url);
    const db = await SlashingProtectionDB.open({
      dir: join(newcomer.deps.dataDir, "slashing-protection"),
      genesisValidatorsRoot: `0x${Buffer.from(beacon.genesisValidatorsRoot).toString("hex")}`,
    });
    const w = newcomerRecord.slashingState;
    assert.ok(w?.blockSlot != null && w.sourceEpoch != null && w.targetEpoch != null);
    const pubkey = newcomerRecord.validator;
    await db.checkAndInsertBlock({ pubkey, slot: BigInt(w.blockSlot), signingRoot: null });
    await db.checkAndInsertAttestation({
      pubkey,
      source: BigInt(w.sourceEpoch),
      target: BigInt(w.targetEpoch),
      signingRoot: null,
    });
    await db.close();
    const supervisor = await start(newcomer);
    try {
      const status = supervisor.status();
      assert.equal(status.clusters.length, 1, "only the new operator set");
      assert.equal(status.clusters[0]?.operator, LEAVING, "in the seat it took over");
      assert.deepEqual(
        status.reshares.map((r) => [r.role, r.seat, r.state, r.switchEpoch]),
        [["newcomer", LEAVING, "switching", newcomerRecord.switchEpoch]],
      );
      assert.equal(supervisor.knownValidators().length, 1);
    } finally {
      await supervisor.stop();
    }
  });

  it("a remaining member runs the old and the new operator set's pipelines, the validator listed once", async () => {
    const supervisor = await start(c.ops[0] as InProcessOperator);
    try {
      const status = supervisor.status();
      assert.equal(status.clusters.length, 2, "the old operator set until the switch, the new one from it");
      assert.ok(status.clusters.every((c) => c.known === 1 && c.operator === 1));
      assert.deepEqual(
        status.reshares.map((r) => [r.role, r.seat, r.state]),
        [["member", LEAVING, "switching"]],
      );
      const known = supervisor.knownValidators();
      assert.equal(known.length, 1, "the replaced share is not listed");
      // A duty after the switch goes to the new operator set's pipeline only; one before it to the old one's.
      const exit = (slot: number) => ({
        duty: { slot, type: "voluntary_exit" as const, validator: known[0]?.index as number },
        pubkey: new Uint8Array(48),
      });
      assert.equal(supervisor.addDuty(exit(newcomerRecord.switchEpoch * 8 + 1)), true);
      assert.equal(supervisor.addDuty(exit(1)), true);
    } finally {
      await supervisor.stop();
    }
  });
});
