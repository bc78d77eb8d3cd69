/**
 * Byzantine leader with builder blocks, in process: 7 operators (threshold 5) against beacon-devnet with its local
 * builder, every node asking for builder blocks. Whichever operator leads round 1 of a distributed validator's
 * proposer instance acts byzantine for it: its proposal reaches the others as a blinded block whose builder bid pays
 * another address (the header's fee recipient rewritten, the envelope signed with the leader's own key, so it is
 * authentic). The others must refuse it (`invalid_value`, counted against the leader), move to round 2 and complete
 * the duty with an honest leader's builder block that pays the withdrawal vault: every proposal canonical, none paying
 * the attacker. The validators register with the builder through their own `builder_registration` duty.
 */
// The minimal preset must be set before any @lodestar module is evaluated: keep this import first.
import "@nektar/beacon-devnet/preset";
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { beaconBlockToBlinded } from "@lodestar/state-transition";
import type { electra } from "@lodestar/types";
import { BUILDER_EXTRA_DATA } from "@nektar/beacon-devnet";
import { decodeEnvelope, encodeBody, encodeEnvelope, MessageKind } from "../../src/core/agreement/codec.ts";
import { decodeProposal, encodeProposal } from "../../src/core/blockProposal.ts";
import { DutyMessageKind } from "../../src/core/transport.ts";
import { testWithdrawalCredentials } from "./dutiesSupport/dutyCluster.ts";
import { counterValue, type InProcessCluster, startInProcessCluster } from "./dutiesSupport/inProcessCluster.ts";

const N = 7;
const T = 5;
const ATTACKER = new Uint8Array(20).fill(0xba);
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("byzantine leader: a builder block paying someone else is refused (in process)", { timeout: 300_000 }, () => {
  let cluster: InProcessCluster;
  const vault = testWithdrawalCredentials().slice(12);
  const forged = new Set<number>();

  before(async () => {
    cluster = await startInProcessCluster({
      operators: N,
      threshold: T,
      validators: 4,
      interop: 4,
      builder: true,
      builderBoostFactor: 100n,
      secondsPerSlot: 3,
    });
    const cl = cluster;
    cl.net.rewrite = (from, _to, kind, payload) => {
      if (kind !== DutyMessageKind.agreement) return payload;
      const env = decodeEnvelope(payload);
      const m = env.message;
      if (m.kind !== MessageKind.proposal || m.duty.type !== "proposer" || m.round !== 1) return payload;
      const proposal = decodeProposal(m.value);
      // A freshly decoded copy: changing it does not touch the leader's own value.
      const blinded = proposal.blinded
        ? proposal.block
        : (beaconBlockToBlinded(cl.devnet.chain.config, proposal.block) as electra.BlindedBeaconBlock);
      blinded.body.executionPayloadHeader.feeRecipient = ATTACKER;
      forged.add(m.duty.slot);
      const body = encodeBody({ ...m, value: encodeProposal({ blinded: true, block: blinded }) });
      return encodeEnvelope(body, cl.fixture.signAs(from)(body));
    };
  });

  after(async () => {
    await cluster?.stop();
  });

  it("refuses every forged round-1 proposal and proposes an honest builder block paying the vault", async () => {
    const { devnet, watcher } = cluster;
    const t0 = Date.now();
    const spe = cluster.nodes[0]?.clock.slotsPerEpoch as number;
    await cluster.waitForSlot(4 * spe + 1);
    const { proposals } = watcher.report(2, 3);
    console.log(JSON.stringify({ proposals, forged: [...forged], ms: Date.now() - t0 }));
    assert.ok(proposals.expected > 0, "the distributed validators had proposals");
    // A round-1 leader whose own fetch was late sends nothing (round 2 follows anyway): most slots carry a forgery.
    assert.ok(
      proposals.slots.filter((s) => forged.has(s)).length * 2 >= proposals.slots.length,
      "the round-1 leaders of the proposals were byzantine",
    );
    assert.equal(proposals.canonical, proposals.expected, `every duty completed: ${JSON.stringify(proposals)}`);
    for (const slot of proposals.slots) {
      const payload = devnet.chain.getCanonicalBlockAtSlot(slot)?.signedBlock.message.body.executionPayload;
      assert.ok(payload !== undefined);
      assert.equal(hex(payload.feeRecipient), hex(vault), `slot ${slot}: pays the vault, not the attacker`);
      assert.equal(hex(payload.extraData), hex(BUILDER_EXTRA_DATA), `slot ${slot}: an (honest) builder block`);
    }
    let refused = 0;
    for (const r of cluster.registries) {
      refused += await counterValue(r, "stinger_operator_faults_total", { reason: "invalid_value" });
    }
    assert.ok(refused > 0, "the forged proposals were refused and attributed to their leaders");
  });
});
