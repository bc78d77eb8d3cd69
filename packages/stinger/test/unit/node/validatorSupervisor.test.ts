// The beacon devnet sets the minimal preset: keep this import first.
import "@nektar/beacon-devnet";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Devnet, startDevnet } from "@nektar/beacon-devnet";
import { Registry } from "prom-client";
import { LOCK_FILE } from "../../../src/dkg/outputs.ts";
import { connectBeaconNode } from "../../../src/node/beaconConnection.ts";
import { clusterIdOf, loadValidatorLock } from "../../../src/node/clusterKeys.ts";
import { SupervisorError } from "../../../src/node/errors.ts";
import { ValidatorSupervisor } from "../../../src/node/validatorSupervisor.ts";
import { SlashingProtectionDB } from "../../../src/slashing/db.ts";
import {
  type InProcessOperator,
  inProcessOperators,
  makeDefinition,
  runDkgCeremony,
  WITHDRAWAL_CREDENTIALS,
} from "../../support/ceremonyHarness.ts";
import { silentLogger } from "../../support/p2pHarness.ts";
import { supervisorOptions } from "../../support/supervisorHarness.ts";

const PASSWORD = "share password";
const hex = (h: string) => Uint8Array.from(Buffer.from(h.slice(2), "hex"));

/** Runs one ceremony among `members`; returns each member's output directory. */
async function ceremony(members: InProcessOperator[], requestId: bigint): Promise<string[]> {
  const definition = makeDefinition(
    members.map((o) => ({ peerId: o.node.peerId.toString(), multiaddrs: o.node.getMultiaddrs().map(String) })),
    3,
    requestId,
  );
  const outcomes = await Promise.all(members.map((o) => runDkgCeremony(definition, o.deps)));
  return outcomes.map((o) => dirname(o.lock));
}

describe("ValidatorSupervisor: one node, several operator sets", () => {
  let ops: InProcessOperator[] = [];
  let devnet: Devnet | undefined;
  /** Output dirs of operator 1 for cluster A (operators 1-4) and cluster B (operators 1-3 and 5). */
  let dirA = "";
  let dirB = "";
  let supervisor: ValidatorSupervisor | undefined;
  before(async () => {
    ops = await inProcessOperators(5);
    const [a, b] = [ops.slice(0, 4), [...ops.slice(0, 3), ops[4] as InProcessOperator]];
    dirA = (await ceremony(a, 1n))[0] as string;
    dirB = (await ceremony(b, 2n))[0] as string;
    // The beacon chain knows validator A from genesis; B's deposit is "not processed yet".
    const lockA = JSON.parse(readFileSync(join(dirA, LOCK_FILE), "utf8"));
    devnet = await startDevnet({
      validators: 8,
      secondsPerSlot: 1,
      extraValidators: [{ pubkey: hex(lockA.groupPublicKey), withdrawalCredentials: hex(WITHDRAWAL_CREDENTIALS) }],
    });
  });
  after(async () => {
    await supervisor?.stop();
    await devnet?.stop();
    await Promise.all(ops.map((o) => o.node.stop()));
    for (const o of ops) rmSync(o.deps.dataDir, { recursive: true, force: true });
  });

  it("groups the locks by operator set, runs duties for the validator the beacon node knows, shares one slashing DB", async () => {
    const op = ops[0] as InProcessOperator;
    const beacon = await connectBeaconNode((devnet as Devnet).url);
    supervisor = await ValidatorSupervisor.start({
      beacon,
      node: op.node,
      allowlist: op.deps.allowlist,
      identity: { peerId: op.identity.peerId.toString(), privateKey: op.identity.privateKey },
      dataDir: op.deps.dataDir,
      password: PASSWORD,
      protocol: "one-round",
      registry: new Registry(),
      logger: silentLogger,
    });
    const status = supervisor.status();
    assert.equal(status.clusters.length, 2, "two operator sets, two duty networks");
    assert.equal(status.validators, 2);
    assert.equal(status.known, 1, "only the genesis validator is known to the beacon node");
    const ids = status.clusters.map((c) => c.clusterId).sort();
    const expected = [ops.slice(0, 4), [...ops.slice(0, 3), ops[4] as InProcessOperator]]
      .map(
        (set) =>
          `0x${Buffer.from(clusterIdOf(set.map((o) => ({ peerId: o.node.peerId.toString() })))).toString("hex")}`,
      )
      .sort();
    assert.deepEqual(ids, expected);
    for (const c of status.clusters) assert.deepEqual([c.operators, c.threshold, c.operator], [4, 3, 1]);
    // The members of both operator sets are admitted to connect.
    for (const o of ops.slice(1)) assert.ok(op.deps.allowlist.has(o.node.peerId));
    // The data dir's slashing DB is held once, by the supervisor.
    await assert.rejects(
      SlashingProtectionDB.open({
        dir: join(op.deps.dataDir, "slashing-protection"),
        genesisValidatorsRoot: `0x${Buffer.from(beacon.genesisValidatorsRoot).toString("hex")}`,
      }),
    );
    // The known validator with its beacon index; an added duty (a voluntary exit) reaches only its cluster's pipeline.
    const known = supervisor.knownValidators();
    assert.equal(known.length, 1);
    const index = (known[0] as (typeof known)[0]).index;
    const exitDuty = (validator: number) => ({
      duty: { slot: 10_000, type: "voluntary_exit" as const, validator },
      pubkey: new Uint8Array(48),
    });
    assert.equal(supervisor.addDuty(exitDuty(index)), true);
    assert.equal(supervisor.addDuty(exitDuty(index + 1_000)), false, "no cluster runs that validator");
    // Performance statements turned on (the oracle's frames known): the running pipeline restarts with them, each
    // cluster keeps its own directory, and GET /performance lists the known validator with this node's share index.
    assert.deepEqual(supervisor.performanceReport(4), []);
    assert.equal(supervisor.performanceFrameSlots(), undefined);
    await supervisor.enablePerformance({
      frameSlots: 8,
      frames: { genesisTime: beacon.clock.genesisTime, frameSeconds: 8 },
      chainId: 31337n,
      oracle: "0x00000000000000000000000000000000000000aa",
    });
    assert.equal(supervisor.performanceFrameSlots(), 8);
    const listed = supervisor.performanceReport(4);
    assert.deepEqual(
      listed.map((v) => [v.index, v.shareIndex]),
      [[index, 1]],
    );
    assert.deepEqual(readdirSync(join(op.deps.dataDir, "performance")).length, 1, "one directory per running cluster");
    assert.equal(supervisor.addDuty(exitDuty(index)), true, "the restarted pipeline runs the validator");
    // Adding the same lock again (e.g. a ceremony resumed after a restart) changes nothing.
    await supervisor.addValidator(dirB);
    assert.equal(supervisor.status().validators, 2);
    await supervisor.stop();
    supervisor = undefined;
    const reopened = await SlashingProtectionDB.open({
      dir: join(op.deps.dataDir, "slashing-protection"),
      genesisValidatorsRoot: `0x${Buffer.from(beacon.genesisValidatorsRoot).toString("hex")}`,
    });
    await reopened.close();
  });

  it("refuses to start when a lock binds another agreement protocol than --agreement (no silent mixed settings)", async () => {
    const op = ops[0] as InProcessOperator;
    await assert.rejects(
      ValidatorSupervisor.start(await supervisorOptions(op, (devnet as Devnet).url, "qbft")),
      (e) =>
        e instanceof SupervisorError &&
        e.type.code === "ERR_SUPERVISOR_LOCK_CONFLICT" &&
        /binds one-round agreement, this node runs --agreement qbft/.test(e.type.reason),
    );
  });

  it("refuses a lock this node is not part of, a wrong password and a keystore of another share", async () => {
    const outsider = ops[3] as InProcessOperator;
    const code = (e: unknown) => e instanceof SupervisorError && e.type.code === "ERR_SUPERVISOR_LOCK_INVALID";
    await assert.rejects(loadValidatorLock(dirB, outsider.node.peerId.toString(), PASSWORD), code);
    await assert.rejects(loadValidatorLock(dirA, ops[0]?.node.peerId.toString() as string, "wrong"), code);
    const swapped = mkdtempSync(join(tmpdir(), "stinger-swapped-"));
    try {
      cpSync(dirA, swapped, { recursive: true });
      // Operator 2's keystore under operator 1's lock position.
      const other = join(ops[1]?.deps.dataDir as string, "validators");
      const [otherDir] = readdirSync(other)
        .filter((d) => d.startsWith("dv-"))
        .sort();
      const theirs = readFileSync(join(other, otherDir as string, "keystore-share.json"), "utf8");
      writeFileSync(join(swapped, "keystore-share.json"), theirs);
      await assert.rejects(loadValidatorLock(swapped, ops[0]?.node.peerId.toString() as string, PASSWORD), code);
    } finally {
      rmSync(swapped, { recursive: true, force: true });
    }
  });
});
