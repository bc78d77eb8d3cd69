/**
 * The DKG exclusion attack of issue 20, reproduced between 16 in-process operators over the real libp2p cluster
 * network: member 9 broadcasts a complaint set accusing dealer 2, but writes it to every member's stream except
 * dealer 2's (and never re-sends it to 2). Without reliable broadcast the 14 others waited for an answer dealer 2
 * never knew it owed, disqualified it, and finished a lock without it while dealer 2 computed another group key.
 * With the complaint sets relayed by every member, dealer 2 sees the complaint, answers in public and stays
 * qualified; every honest member ends with the same key.
 *
 * The misbehaviour is wired in from outside production code, by replacing `ClusterNetwork.prototype.send` for
 * member 9's network only (as `test/e2e/byzantine/operator.ts` does for duties).
 */
import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { decodeDkgMessage, encodeDkgMessage } from "@nektar/crypto";
import { CeremonyRound } from "../../src/dkg/ceremonyContext.ts";
import type { CeremonyError } from "../../src/dkg/errors.ts";
import type { ClusterLock } from "../../src/dkg/lock.ts";
import { ClusterNetwork } from "../../src/p2p/clusterNetwork.ts";
import { BROADCAST, encodeSignedEnvelope, MessageKind, type SignedEnvelope } from "../../src/p2p/envelope.ts";
import type { MemberLink } from "../../src/p2p/memberLink.ts";
import {
  definitionFor,
  type InProcessOperator,
  inProcessOperators,
  runDkgCeremony,
} from "../support/ceremonyHarness.ts";

const N = 16;
const T = 11;
/** 0-based indices: member 9 accuses dealer 2. */
const ACCUSER = 8;
const VICTIM = 1;

/** What the patch needs of a network's private state (runtime access, test only). */
type NetworkInternals = {
  opts: { selfIndex: number };
  links: (MemberLink | undefined)[];
  sign(kind: number, round: number, recipient: number, payload: Uint8Array): SignedEnvelope;
};

describe(`DKG complaint withheld from its target (${N} in-process operators, threshold ${T})`, () => {
  let ops: InProcessOperator[] = [];
  const send = ClusterNetwork.prototype.send;
  let accusations = 0;
  /** "withhold": the forged set to all but the victim; "equivocate": forged to even indices, honest to odd ones. */
  let mode: "withhold" | "equivocate" = "withhold";
  before(async () => {
    ops = await inProcessOperators(N);
    ClusterNetwork.prototype.send = async function (this: ClusterNetwork, kind, round, recipient, payload) {
      const self = this as unknown as NetworkInternals;
      if (
        self.opts.selfIndex !== ACCUSER ||
        kind !== MessageKind.dkg ||
        round !== CeremonyRound.complain ||
        recipient !== BROADCAST
      ) {
        return send.call(this, kind, round, recipient, payload);
      }
      const message = decodeDkgMessage(payload);
      if (message.type !== "complaints") return send.call(this, kind, round, recipient, payload);
      const views = message.views.map((v, d) => (d === VICTIM ? { ...v, complaint: true } : v));
      const signed = self.sign(kind, round, BROADCAST, encodeDkgMessage({ ...message, views }));
      const forged = encodeSignedEnvelope(signed);
      accusations++;
      if (mode === "withhold") {
        // Written once to every stream but the victim's, and kept out of the outbox: no resend ever reaches it.
        await Promise.all(self.links.map((link, j) => (j === VICTIM ? undefined : link?.write([forged]))));
        return;
      }
      const honest = encodeSignedEnvelope(self.sign(kind, round, BROADCAST, payload));
      await Promise.all(self.links.map((link, j) => link?.write([j % 2 === 0 ? forged : honest])));
    };
  });
  after(async () => {
    ClusterNetwork.prototype.send = send;
    await Promise.all(ops.map((o) => o.node.stop()));
    for (const o of ops) rmSync(o.deps.dataDir, { recursive: true, force: true });
  });

  it("keeps the accused honest dealer qualified and gives every member the same group key", async () => {
    const definition = definitionFor(ops, T);
    const results = await Promise.allSettled(
      ops.map((o) =>
        runDkgCeremony(definition, { ...o.deps, timeouts: { joinTimeoutMs: 120_000, roundTimeoutMs: 60_000 } }),
      ),
    );
    assert.equal(accusations, 1, "member 9 sent its forged complaint set");
    results.forEach((r, i) => {
      const why = r.status === "rejected" ? JSON.stringify((r.reason as CeremonyError).type ?? String(r.reason)) : "";
      assert.equal(r.status, "fulfilled", `operator ${i + 1}: ${why}`);
    });
    const outcomes = results.map((r) => (r as PromiseFulfilledResult<{ lock: string; groupPublicKey: string }>).value);
    assert.equal(new Set(outcomes.map((o) => o.groupPublicKey)).size, 1, "one group key");
    const lock = JSON.parse(readFileSync(outcomes[VICTIM]?.lock as string, "utf8")) as ClusterLock;
    assert.ok(lock.qualifiedDealers.includes(VICTIM + 1), `dealer ${VICTIM + 1} stays qualified`);
    assert.deepEqual(
      lock.qualifiedDealers,
      Array.from({ length: N }, (_, i) => i + 1),
    );
  });

  it("turns two signed complaint sets of one member into evidence every honest member holds, and still agrees", async () => {
    mode = "equivocate";
    const definition = definitionFor(ops, T, 2n);
    const equivocations = ops.map(() => new Set<number>());
    const results = await Promise.allSettled(
      ops.map((o, i) =>
        runDkgCeremony(definition, {
          ...o.deps,
          timeouts: { joinTimeoutMs: 120_000, roundTimeoutMs: 60_000 },
          onProgress: (e) => {
            if (e.type === "equivocation") equivocations[i]?.add(e.operator);
          },
        }),
      ),
    );
    assert.equal(accusations, 2);
    results.forEach((r, i) => {
      const why = r.status === "rejected" ? JSON.stringify((r.reason as CeremonyError).type ?? String(r.reason)) : "";
      assert.equal(r.status, "fulfilled", `operator ${i + 1}: ${why}`);
    });
    const outcomes = results.map((r) => (r as PromiseFulfilledResult<{ lock: string; groupPublicKey: string }>).value);
    assert.equal(new Set(outcomes.map((o) => o.groupPublicKey)).size, 1, "one group key");
    const lock = JSON.parse(readFileSync(outcomes[0]?.lock as string, "utf8")) as ClusterLock;
    assert.equal(lock.qualifiedDealers.length, N, "the accused dealer stays qualified");
    equivocations.forEach((seen, i) => {
      if (i !== ACCUSER) assert.deepEqual([...seen], [ACCUSER + 1], `operator ${i + 1} holds the evidence`);
    });
  });
});
