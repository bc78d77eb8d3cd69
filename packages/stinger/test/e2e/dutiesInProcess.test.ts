/**
 * The whole duty pipeline against a real Beacon API (beacon-devnet, minimal preset, 2 s slots): 16 operators in one
 * process over the in-memory cluster transport, 11-of-16 keys of 4 distributed validators in genesis. Checks that the
 * DVs' attestations are included and their proposals are canonical. The multi-process libp2p version is
 * `duties.test.ts` (test:slow).
 */

import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { type Devnet, startDevnet } from "@nektar/beacon-devnet";
import { Registry } from "prom-client";
import { createLogger } from "../../src/logger/logger.ts";
import { connectBeaconNode } from "../../src/node/beaconConnection.ts";
import { type DutyNode, startDutyNode } from "../../src/node/dutyNode.ts";
import { MemoryCluster } from "../support/memoryTransport.ts";
import { clusterFixture, testWithdrawalCredentials } from "./dutiesSupport/dutyCluster.ts";
import { InclusionWatcher } from "./dutiesSupport/inclusion.ts";

const N = 16;
const T = 11;
const INTEROP = 32;
const DVS = 4;
const EPOCHS = Number(process.env.DUTIES_EPOCHS ?? 3);

describe("duty pipeline, 16 operators in process against beacon-devnet", { timeout: 180_000 }, () => {
  // Blocks must pay the address of the validators' 0x01 withdrawal credentials, as the lock makes them.
  const feeRecipient = testWithdrawalCredentials().slice(12);
  const fixture = clusterFixture({ operators: N, threshold: T, validators: DVS, firstIndex: INTEROP, feeRecipient });
  let devnet: Devnet;
  let net: MemoryCluster;
  const nodes: DutyNode[] = [];
  let dir: string;
  let watcher: InclusionWatcher;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "stinger-duties-"));
    devnet = await startDevnet({
      validators: INTEROP,
      secondsPerSlot: 2,
      genesisTime: Math.floor(Date.now() / 1000) + 3,
      extraValidators: fixture.validators.map((v) => ({
        pubkey: v.dealt.pubkey,
        withdrawalCredentials: testWithdrawalCredentials(),
      })),
    });
    watcher = new InclusionWatcher(
      devnet,
      fixture.validators.map((v) => v.index),
    );
    net = new MemoryCluster(N);
    net.policy = () => 1 + Math.floor(Math.random() * 5);
    const logger = createLogger({ level: "warn" });
    const beacon = await connectBeaconNode(devnet.url);
    for (let i = 0; i < N; i++) {
      nodes.push(
        await startDutyNode({
          beacon,
          transport: net.transports[i] as MemoryCluster["transports"][0],
          keys: fixture.keysFor(i + 1),
          clusterId: new Uint8Array(32).fill(3),
          operators: N,
          threshold: T,
          protocol: "one-round",
          sign: fixture.signAs(i),
          verify: fixture.verify,
          slashingDbDir: join(dir, `op${i}`),
          registry: new Registry(),
          logger: logger.child({ op: i + 1 }),
        }),
      );
    }
  });

  after(async () => {
    for (const n of nodes) await n.stop();
    net?.stop();
    watcher?.stop();
    await devnet?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it(`attests and proposes for ${EPOCHS} epochs`, async () => {
    const slotsPerEpoch = nodes[0]?.clock.slotsPerEpoch as number;
    const endSlot = (EPOCHS + 1) * slotsPerEpoch + 1;
    while (devnet.clock.currentSlot() < endSlot) await new Promise((r) => setTimeout(r, 500));
    const report = watcher.report(1, EPOCHS);
    console.log("inclusion", JSON.stringify(report));
    assert.ok(report.attestationRate >= 0.99, `attestation inclusion ${report.attestationRate}`);
    assert.ok(
      report.proposals.expected > 0 ? report.proposals.canonical === report.proposals.expected : true,
      `proposals ${JSON.stringify(report.proposals)}`,
    );
    // Each canonical block of the DVs pays the fee recipient the operators registered with prepareBeaconProposer.
    const fees = report.proposals.slots.map((slot) =>
      Buffer.from(
        devnet.chain.getCanonicalBlockAtSlot(slot)?.signedBlock.message.body.executionPayload.feeRecipient ?? [],
      ).toString("hex"),
    );
    assert.deepEqual(
      fees.filter((f) => f !== Buffer.from(feeRecipient).toString("hex")),
      [],
      `fee recipients ${fees.join(",")}`,
    );
  });
});
