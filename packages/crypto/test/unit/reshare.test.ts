import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PublicKey, SecretKey, Signature, verify } from "@chainsafe/blst";
import {
  combinePartialSignatures,
  computeReshareSessionId,
  DkgAbortedError,
  type DkgMessage,
  DkgMessageError,
  type DkgOutbound,
  type DkgResult,
  interpolateSignatures,
  type KeyShare,
  type OperatorIdentity,
  ReshareParticipant,
  type ReshareResult,
  signPartial,
} from "../../src/index.ts";
import { operators, runDkg, seededRandom } from "./harness.ts";
import { dealtKey } from "./keys.ts";

type Member = { oldId: number | null; newId: number | null; p: ReshareParticipant };

/** Run a resharing among in-process members; `silentDealers` (old ids) send nothing in round 1. */
function runReshare(
  dkg: DkgResult[],
  oldSet: OperatorIdentity[],
  newSet: OperatorIdentity[],
  oldThreshold: number,
  newThreshold: number,
  silentDealers: number[] = [],
  rewrite: (oldId: number | null, out: DkgOutbound[]) => DkgOutbound[] = (_id, out) => out,
): { members: Member[]; aborted: unknown[] } {
  const first = dkg[0] as DkgResult;
  const sessionId = computeReshareSessionId({
    chainId: 1n,
    contractAddress: "0x00000000000000000000000000000000000000aa",
    requestId: 7n,
    groupPublicKey: first.groupPublicKey,
    oldParticipants: oldSet,
    participants: newSet,
  });
  const byAddress = new Map<string, Member>();
  const members: Member[] = [];
  const add = (address: string, oldId: number | null, newId: number | null): void => {
    const oldShare: KeyShare | null = oldId === null ? null : (dkg[oldId - 1] as DkgResult).keyShare;
    const p = new ReshareParticipant(
      {
        sessionId,
        groupPublicKey: first.groupPublicKey,
        oldParticipants: oldSet,
        oldThreshold,
        oldSharePublicKeys: first.sharePublicKeys,
        newParticipants: newSet,
        newThreshold,
        oldKeyShare: oldShare,
        newOperatorId: newId,
      },
      seededRandom(`reshare-${address}`),
    );
    const m = { oldId, newId, p };
    members.push(m);
    byAddress.set(address, m);
  };
  oldSet.forEach((o, i) => {
    const j = newSet.findIndex((x) => x.address === o.address);
    add(o.address, i + 1, j === -1 ? null : j + 1);
  });
  newSet.forEach((o, j) => {
    if (!byAddress.has(o.address)) add(o.address, null, j + 1);
  });
  const deliver = (from: Member, out: DkgOutbound[]): void => {
    for (const { to, message } of out) {
      const targets = to === "all" ? members.filter((m) => m !== from) : members.filter((m) => m.newId === to);
      for (const t of targets) {
        const sender = message.type === "complaints" ? message.sender : message.dealer;
        try {
          t.p.receive(sender, message as DkgMessage);
        } catch (e) {
          if (!(e instanceof DkgMessageError)) throw e;
          assert.fail(`honest message rejected: ${e.type.code}`);
        }
      }
    }
  };
  let pending = new Map<Member, DkgOutbound[]>();
  for (const m of members) {
    const out = m.p.start();
    pending.set(m, m.oldId !== null && silentDealers.includes(m.oldId) ? [] : rewrite(m.oldId, out));
  }
  const aborted: unknown[] = [];
  for (let round = 0; round < 3; round++) {
    for (const [m, out] of pending) deliver(m, out);
    pending = new Map();
    for (const m of members) {
      try {
        pending.set(m, m.p.closeRound());
      } catch (e) {
        aborted.push(e);
      }
    }
  }
  return { members, aborted };
}

function sign(
  shares: KeyShare[],
  root: Uint8Array,
  result: { groupPublicKey: Uint8Array; sharePublicKeys: Uint8Array[] },
  t: number,
) {
  return combinePartialSignatures({
    partials: shares.map((s) => signPartial(s, root)),
    threshold: t,
    groupPublicKey: result.groupPublicKey,
    signingRoot: root,
    sharePublicKeys: result.sharePublicKeys,
  });
}

describe("resharing", () => {
  const dkgRun = runDkg({ seed: "reshare-dkg" });
  const dkg = [...dkgRun.participants.values()].map((p) => p.result() as DkgResult);
  const oldSet = operators(16);
  // Members 12..16 leave; five new operators take new ids 12..16.
  const newSet = [...oldSet.slice(0, 11), ...operators(5, 100)];

  it("16/11 → 16/11 with 5 members replaced keeps the group key and signs", () => {
    const { members, aborted } = runReshare(dkg, oldSet, newSet, 11, 11);
    assert.deepEqual(aborted, []);
    const results = members.map((m) => m.p.result() as ReshareResult);
    for (const r of results) {
      assert.deepEqual(r.groupPublicKey, dkg[0]?.groupPublicKey);
      assert.deepEqual(r.sharePublicKeys, results[0]?.sharePublicKeys);
      assert.deepEqual(
        r.qualified,
        Array.from({ length: 16 }, (_, i) => i + 1),
      );
    }
    const leaving = members.filter((m) => m.newId === null);
    assert.equal(leaving.length, 5);
    for (const m of leaving) assert.equal(m.p.result()?.keyShare, null);
    const newShares = results.flatMap((r) => (r.keyShare === null ? [] : [r.keyShare]));
    assert.equal(newShares.length, 16);
    const root = new Uint8Array(32).fill(0x42);
    const r0 = results[0] as ReshareResult;
    const { signature, bad } = sign(newShares.slice(5), root, r0, 11);
    assert.deepEqual(bad, []);
    assert.ok(verify(root, PublicKey.fromBytes(r0.groupPublicKey, true), Signature.fromBytes(signature, true)));

    // Old shares carry no power in the new set: any mix of old and new shares fails to interpolate the key,
    // and the combiner attributes the old partials as bad.
    const oldShares = dkg.map((r) => r.keyShare);
    const groupKey = PublicKey.fromBytes(r0.groupPublicKey, true);
    for (const oldCount of [1, 5, 10]) {
      const ids = Array.from({ length: 11 }, (_, i) => i + 1);
      const mixed = ids.map((id) =>
        id <= oldCount ? (oldShares[id - 1] as KeyShare) : (newShares[id - 1] as KeyShare),
      );
      const sigs = mixed.map((s) => Signature.fromBytes(signPartial(s, root).signature, true));
      assert.ok(!verify(root, groupKey, interpolateSignatures(ids, sigs)), `${oldCount} old shares`);
      assert.throws(
        () => sign(mixed, root, r0, 11),
        (e: unknown) => (e as { type: { code: string } }).type.code === "ERR_THRESHOLD_INSUFFICIENT_PARTIALS",
      );
    }
  });

  it("a dealer that re-deals anything but its old share is disqualified; the key survives", () => {
    // Old member 2 deals a fresh random secret: a valid commitment and PoP, but C_0 is not its old share key.
    const impostor = dealtKey(16, 11, "impostor").shares[1] as KeyShare;
    const fakeKeys = [...(dkg[0] as DkgResult).sharePublicKeys];
    fakeKeys[1] = SecretKey.fromBytes(impostor.secretKey).toPublicKey().toBytes();
    const rewrite = (oldId: number | null, out: DkgOutbound[]): DkgOutbound[] => {
      if (oldId !== 2) return out;
      const forger = new ReshareParticipant(
        {
          sessionId: (out[0] as DkgOutbound).message.sessionId,
          groupPublicKey: (dkg[0] as DkgResult).groupPublicKey,
          oldParticipants: oldSet,
          oldThreshold: 11,
          oldSharePublicKeys: fakeKeys,
          newParticipants: newSet,
          newThreshold: 11,
          oldKeyShare: impostor,
          newOperatorId: null,
        },
        seededRandom("forger"),
      );
      // Member 2 itself (new id 2) keeps its own dealing; everyone else gets the forged one.
      return forger.start().filter((o) => o.to !== 2);
    };
    const fake = runReshare(dkg, oldSet, newSet, 11, 11, [], rewrite);
    assert.equal(fake.aborted.length, 0);
    const honest = fake.members.filter((m) => m.oldId !== 2).map((m) => m.p.result() as ReshareResult);
    for (const r of honest) {
      assert.deepEqual(
        r.qualified,
        Array.from({ length: 16 }, (_, i) => i + 1).filter((i) => i !== 2),
      );
      assert.deepEqual(r.groupPublicKey, dkg[0]?.groupPublicKey);
    }
    const shares = honest.flatMap((r) => (r.keyShare === null ? [] : [r.keyShare]));
    assert.deepEqual(sign(shares.slice(0, 11), new Uint8Array(32), honest[0] as ReshareResult, 11).bad, []);
  });

  it("reshares 16/11 → 7/5 with 5 dealers silent, and aborts with 6 silent", () => {
    const small = [...oldSet.slice(0, 3), ...operators(4, 200)];
    const ok = runReshare(dkg, oldSet, small, 11, 5, [12, 13, 14, 15, 16]);
    assert.deepEqual(ok.aborted, []);
    const results = ok.members.map((m) => m.p.result() as ReshareResult);
    const r0 = results.find((r) => r.keyShare !== null) as ReshareResult;
    assert.deepEqual(
      r0.qualified,
      Array.from({ length: 11 }, (_, i) => i + 1),
    );
    assert.equal(r0.sharePublicKeys.length, 7);
    const shares = results.flatMap((r) => (r.keyShare === null ? [] : [r.keyShare]));
    const root = new Uint8Array(32).fill(1);
    assert.deepEqual(sign(shares.slice(2), root, r0, 5).bad, []);

    const failed = runReshare(dkg, oldSet, small, 11, 5, [1, 12, 13, 14, 15, 16]);
    assert.equal(failed.aborted.length, failed.members.length);
    for (const e of failed.aborted) assert.ok(e instanceof DkgAbortedError);
  });
});
