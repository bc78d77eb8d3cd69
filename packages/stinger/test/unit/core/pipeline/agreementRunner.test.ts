import assert from "node:assert/strict";
import { generateKeyPairSync, sign, verify } from "node:crypto";
import { describe, it } from "node:test";
import { leaderOf, leaderOffset } from "../../../../src/core/agreement/leader.ts";
import { AgreementRunner, agreementDuty } from "../../../../src/core/agreement/runner.ts";
import type { AgreementProtocol } from "../../../../src/core/agreement/types.ts";
import { DutyMessageKind } from "../../../../src/core/transport.ts";
import { MemoryCluster } from "../../../support/memoryTransport.ts";
import { silentLogger } from "./fixtures.ts";

const N = 16;
const Q = 11;
const CLUSTER = new Uint8Array(32).fill(5);
const ids = Array.from({ length: N }, () => generateKeyPairSync("ed25519"));

function runners(net: MemoryCluster, protocol: AgreementProtocol, faults: string[] = []): AgreementRunner[] {
  return net.transports.map(
    (transport, self) =>
      new AgreementRunner({
        transport,
        config: {
          protocol,
          clusterId: CLUSTER,
          operators: N,
          quorum: Q,
          roundTimeoutMs: () => 150,
          maxRounds: 12,
          relayProposals: false,
        },
        shareIndex: self + 1,
        sign: (body) => new Uint8Array(sign(null, body, ids[self]?.privateKey as never)),
        verify: (from, body, sig) => verify(null, body, ids[from]?.publicKey as never, sig),
        logger: silentLogger,
        acceptSlot: (slot) => slot >= 10,
        onFault: (f) => faults.push(`${f.shareIndex}:${f.reason}`),
      }),
  );
}

const value = (i: number) => new Uint8Array(64).fill(i);

for (const protocol of ["one-round", "qbft"] as const) {
  describe(`agreement runner over the cluster transport (${protocol})`, () => {
    it("all operators decide the same value; late starters get buffered messages", async () => {
      const net = new MemoryCluster(N);
      net.policy = () => Math.floor(Math.random() * 4);
      const rs = runners(net, protocol);
      const decisions = await Promise.all(
        rs.map(async (r, i) => {
          if (i % 4 === 0) await new Promise((res) => setTimeout(res, 15));
          return r.decide(12, "attester", value(i + 1), () => true, AbortSignal.timeout(5000));
        }),
      );
      assert.ok(decisions.every((d) => Buffer.from(d).equals(decisions[0] as Uint8Array)));
      for (const r of rs) r.stop();
      net.stop();
    });

    it("a silent round-1 leader is skipped; nobody decides a value it would not accept", async () => {
      const net = new MemoryCluster(N);
      const leader = leaderOf(leaderOffset(CLUSTER, agreementDuty(13, "attester"), N), 1, N);
      net.setDown(leader, true);
      const rs = runners(net, protocol);
      const invalid = value(99);
      const results = await Promise.allSettled(
        rs.map((r, i) =>
          i === leader
            ? Promise.reject(new Error("down"))
            : r.decide(
                13,
                "attester",
                i === 3 ? invalid : value(7),
                (v) => !Buffer.from(v).equals(invalid),
                AbortSignal.timeout(5000),
              ),
        ),
      );
      const decided = results.flatMap((x, i) => (i !== leader && x.status === "fulfilled" ? [x.value] : []));
      assert.equal(decided.length, N - 1);
      assert.ok(decided.every((d) => Buffer.from(d).equals(value(7))));
      for (const r of rs) r.stop();
      net.stop();
    });
  });
}

describe("agreement runner input checks", () => {
  it("drops envelopes of slots outside the window and reports garbage as a fault of its sender", () => {
    const net = new MemoryCluster(N);
    const faults: string[] = [];
    const rs = runners(net, "one-round", faults);
    net.inject(4, 0, DutyMessageKind.agreement, new Uint8Array([1, 2, 3]));
    assert.deepEqual(faults, ["5:malformed"], "attributed by share index (member index 4 + 1)");
    for (const r of rs) r.stop();
    net.stop();
  });
});
