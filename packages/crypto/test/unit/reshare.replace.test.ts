import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PublicKey, SecretKey, Signature, verify } from "@chainsafe/blst";
import {
  computeReshareSessionId,
  type DkgMessage,
  DkgMessageError,
  type DkgOutbound,
  type DkgResult,
  interpolateSignatures,
  type KeyShare,
  type OperatorIdentity,
  ReshareParticipant,
  type ReshareResult,
  scalarToBytes,
  signPartial,
} from "../../src/index.ts";
import { assertWorkingKey } from "./assertKey.ts";
import { operators, runDkg, seededRandom } from "./harness.ts";

/**
 * The resharing Nektar runs when one operator leaves a live validator: the 16-member set keeps its order, the leaving
 * operator's seat X is taken by a newcomer (new id X), the leaver does not take part, and only the remaining members
 * that are online (11..15 of them) deal. Because seats keep their numbers, old id = new id for every remaining member.
 */
type Seat = { id: number; p: ReshareParticipant; dealer: boolean };
type Tamper = (from: number, to: number, m: DkgMessage) => DkgMessage | null;
type Rewrite = (from: number, round: number, out: DkgOutbound[]) => DkgOutbound[];

const dkgRun = runDkg({ seed: "reshare-replace" });
const dkg = [...dkgRun.participants.values()].map((p) => p.result() as DkgResult);
const first = dkg[0] as DkgResult;
const oldSet = operators(16);
const newcomer = operators(1, 500)[0] as OperatorIdentity;

function replaceSeat(leaving: number): OperatorIdentity[] {
  return oldSet.map((o, i) => (i + 1 === leaving ? newcomer : o));
}

/**
 * Run a replacement of seat `leaving` with the members `online` (ids; the newcomer is always online). Members not
 * online neither send nor receive. Returns every online seat's participant after three rounds.
 */
function replace(
  leaving: number,
  online: number[],
  options: { tamper?: Tamper; rewrite?: Rewrite; seed?: string } = {},
): { seats: Seat[]; rejected: DkgMessageError[]; aborted: unknown[] } {
  const newSet = replaceSeat(leaving);
  const sessionId = computeReshareSessionId({
    chainId: 1n,
    contractAddress: "0x00000000000000000000000000000000000000aa",
    requestId: 9n,
    groupPublicKey: first.groupPublicKey,
    oldParticipants: oldSet,
    participants: newSet,
  });
  const ids = [...new Set([...online.filter((id) => id !== leaving), leaving])].sort((a, b) => a - b);
  const seats: Seat[] = ids.map((id) => {
    const dealer = id !== leaving;
    return {
      id,
      dealer,
      p: new ReshareParticipant(
        {
          sessionId,
          groupPublicKey: first.groupPublicKey,
          oldParticipants: oldSet,
          oldThreshold: 11,
          oldSharePublicKeys: first.sharePublicKeys,
          newParticipants: newSet,
          newThreshold: 11,
          oldKeyShare: dealer ? (dkg[id - 1] as DkgResult).keyShare : null,
          newOperatorId: id,
        },
        seededRandom(`${options.seed ?? "replace"}-${id}`),
      ),
    };
  });
  const tamper = options.tamper ?? ((_f, _t, m) => m);
  const rewrite = options.rewrite ?? ((_f, _r, out) => out);
  const rejected: DkgMessageError[] = [];
  const aborted: unknown[] = [];
  const deliver = (from: Seat, out: DkgOutbound[]): void => {
    for (const { to, message } of out) {
      for (const target of seats.filter((s) => s !== from && (to === "all" || s.id === to))) {
        const m = tamper(from.id, target.id, message);
        if (m === null) continue;
        try {
          target.p.receive(from.id, m);
        } catch (e) {
          if (!(e instanceof DkgMessageError)) throw e;
          rejected.push(e);
        }
      }
    }
  };
  let pending = new Map<Seat, DkgOutbound[]>(seats.map((s) => [s, rewrite(s.id, 1, s.p.start())]));
  for (let round = 2; round <= 4; round++) {
    for (const [s, out] of pending) deliver(s, out);
    pending = new Map();
    for (const s of seats) {
      try {
        pending.set(s, rewrite(s.id, round, s.p.closeRound()));
      } catch (e) {
        aborted.push(e);
      }
    }
  }
  return { seats, rejected, aborted };
}

/** Every honest seat's result as a DkgResult (same shape), after checking they all hold a share. */
function newShares(seats: Seat[], exclude: number[] = []): DkgResult[] {
  return seats
    .filter((s) => !exclude.includes(s.id))
    .map((s) => {
      const r = s.p.result() as ReshareResult;
      assert.ok(r !== undefined, `seat ${s.id} has no result`);
      assert.notEqual(r.keyShare, null, `seat ${s.id} has no new share`);
      return { ...r, keyShare: r.keyShare as KeyShare };
    });
}

/** The run finished everywhere, the cheaters are out of QUAL at every honest seat, and `signers` sign. */
function assertExcluded(
  run: { seats: Seat[]; aborted: unknown[] },
  online: number[],
  cheaters: number[],
  signers: number[],
): void {
  assert.deepEqual(run.aborted, []);
  const honest = newShares(run.seats, cheaters);
  for (const r of honest) {
    assert.deepEqual(
      r.qualified,
      online.filter((id) => !cheaters.includes(id)),
    );
    assert.deepEqual(r.groupPublicKey, first.groupPublicKey);
  }
  assertWorkingKey(honest, signers);
}

const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);

describe("resharing: one seat replaced", () => {
  for (const remaining of [11, 12, 13, 14, 15]) {
    it(`seat 4 replaced with ${remaining} remaining members online: same key, new shares sign, leaver's share is not among them`, () => {
      // Seat 4 leaves; the remaining online members are the first `remaining` others.
      const online = range(1, 16)
        .filter((id) => id !== 4)
        .slice(0, remaining);
      const { seats, rejected, aborted } = replace(4, online);
      assert.deepEqual(aborted, []);
      assert.deepEqual(rejected, []);
      const results = newShares(seats);
      assert.equal(results.length, remaining + 1);
      for (const r of results) {
        assert.deepEqual(r.groupPublicKey, first.groupPublicKey);
        assert.deepEqual(r.qualified, online);
      }
      // Any 11 of the online new holders sign for the unchanged validator key; the newcomer is one of them.
      const signers = [4, ...online.slice(0, 10)];
      assertWorkingKey(results, signers);
      // The leaver's old share is not a new share: its key differs from the new seat-4 share key.
      const leaverOld = SecretKey.fromBytes((dkg[3] as DkgResult).keyShare.secretKey)
        .toPublicKey()
        .toBytes();
      assert.notDeepEqual(results[0]?.sharePublicKeys[3], leaverOld);
      // Every member's share changed, not only seat 4's.
      for (const id of online) assert.notDeepEqual(results[0]?.sharePublicKeys[id - 1], first.sharePublicKeys[id - 1]);
    });
  }

  it("aborts everywhere with only 10 remaining members", () => {
    const online = range(1, 16)
      .filter((id) => id !== 4)
      .slice(0, 10);
    const { seats, aborted } = replace(4, online);
    assert.equal(aborted.length, seats.length);
    for (const s of seats) assert.equal(s.p.result(), undefined);
  });

  it("a dealer sending a bad sub-share is accused, answers with a share that fails the commitment, and is excluded", () => {
    const online = range(1, 16).filter((id) => id !== 7);
    const { seats, aborted } = replace(7, online, {
      tamper: (from, to, m) => (from === 2 && to === 5 && m.type === "share" ? { ...m, share: scalarToBytes(3n) } : m),
      // Dealer 2 answers the complaint by revealing the same wrong share: the public proof that it cheated.
      rewrite: (from, round, out) =>
        from === 2 && round === 3
          ? out.map((o) =>
              o.message.type === "answer"
                ? {
                    ...o,
                    message: {
                      ...o.message,
                      revealed: o.message.revealed.map((r) => ({ ...r, share: scalarToBytes(3n) })),
                    },
                  }
                : o,
            )
          : out,
    });
    assertExcluded({ seats, aborted }, online, [2], [7, 5, 1, 3, 4, 6, 8, 9, 10, 11, 12]);
  });

  it("a dealer sending a bad sub-share and then staying silent is excluded", () => {
    const online = range(1, 16).filter((id) => id !== 16);
    const { seats, aborted } = replace(16, online, {
      tamper: (from, to, m) => (from === 3 && to === 16 && m.type === "share" ? { ...m, share: scalarToBytes(1n) } : m),
      rewrite: (from, round, out) => (from === 3 && round === 3 ? [] : out),
    });
    assertExcluded({ seats, aborted }, online, [3], [16, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it("a bad sub-share answered correctly in public keeps the dealer, and the accuser gets its share", () => {
    const online = range(1, 16).filter((id) => id !== 1);
    const { seats, aborted } = replace(1, online, {
      tamper: (from, to, m) => (from === 9 && to === 1 && m.type === "share" ? { ...m, share: scalarToBytes(5n) } : m),
    });
    assert.deepEqual(aborted, []);
    const results = newShares(seats);
    for (const r of results) assert.deepEqual(r.qualified, online);
    assertWorkingKey(results, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  it("wrong commitments are caught: a replaced commitment point (PoP fails) and a constant that is not the old share key", () => {
    const online = range(1, 16).filter((id) => id !== 12);
    // Dealer 6 replaces a commitment point, so its proof of possession no longer matches.
    const forged = (from: number, m: DkgMessage): DkgMessage =>
      from === 6 && m.type === "commitment"
        ? { ...m, commitments: [...m.commitments.slice(0, 10), m.commitments[0] as Uint8Array] }
        : m;
    // Dealer 8 deals another secret: consistent shares and a valid PoP, but its C_0 is not its old share key, so its
    // sub-shares would change the group key.
    const shifted = new ReshareParticipant(
      {
        sessionId: computeReshareSessionId({
          chainId: 1n,
          contractAddress: "0x00000000000000000000000000000000000000aa",
          requestId: 9n,
          groupPublicKey: first.groupPublicKey,
          oldParticipants: oldSet,
          participants: replaceSeat(12),
        }),
        groupPublicKey: first.groupPublicKey,
        oldParticipants: oldSet,
        oldThreshold: 11,
        oldSharePublicKeys: first.sharePublicKeys.map((k, i) =>
          i === 7 ? SecretKey.fromBytes(scalarToBytes(424242n)).toPublicKey().toBytes() : k,
        ),
        newParticipants: replaceSeat(12),
        newThreshold: 11,
        oldKeyShare: { shareIndex: 8, secretKey: scalarToBytes(424242n) },
        newOperatorId: null,
      },
      seededRandom("shifted"),
    ).start();
    const { seats, aborted } = replace(12, online, {
      tamper: (from, _to, m) => forged(from, m),
      rewrite: (from, round, out) => (from === 8 && round === 1 ? shifted.filter((o) => o.to !== 8) : out),
    });
    assertExcluded({ seats, aborted }, online, [6, 8], [12, 1, 2, 3, 4, 5, 7, 9, 10, 11, 13]);
  });

  it("random 11-subsets mixing old and new shares never sign for the validator key", () => {
    const online = range(1, 16).filter((id) => id !== 10);
    const { seats } = replace(10, online);
    const results = newShares(seats);
    const root = new Uint8Array(32).fill(0x5a);
    const groupKey = PublicKey.fromBytes(first.groupPublicKey, true);
    const sig = (s: KeyShare): Signature => Signature.fromBytes(signPartial(s, root).signature, true);
    const oldSigs = new Map(dkg.map((r) => [r.keyShare.shareIndex, sig(r.keyShare)]));
    const newSigs = new Map(results.map((r) => [r.keyShare.shareIndex, sig(r.keyShare)]));
    // Sanity: each pure set signs (old shares keep working until their holders delete them, which is why every
    // member drops its old share at the switch epoch; the leaver alone holds one share and can do nothing).
    const ids11 = range(1, 11);
    assert.ok(
      verify(
        root,
        groupKey,
        interpolateSignatures(
          ids11,
          ids11.map((i) => oldSigs.get(i) as Signature),
        ),
      ),
    );
    assert.ok(
      verify(
        root,
        groupKey,
        interpolateSignatures(
          ids11,
          ids11.map((i) => newSigs.get(i) as Signature),
        ),
      ),
    );
    const random = seededRandom("mixed-subsets");
    let tried = 0;
    let withLeaver = 0;
    while (tried < 400) {
      const bytes = random(32);
      // A random 11-subset of the 16 seats (Fisher–Yates on seeded bytes) and a random old/new choice per seat.
      const seatsOrder = range(1, 16);
      for (let i = 15; i > 0; i--) {
        const j = (bytes[i] as number) % (i + 1);
        [seatsOrder[i], seatsOrder[j]] = [seatsOrder[j] as number, seatsOrder[i] as number];
      }
      const ids = seatsOrder.slice(0, 11).sort((a, b) => a - b);
      const useOld = ids.map((_, k) => ((bytes[16 + (k % 16)] as number) >> (k % 8)) & 1);
      const olds = useOld.reduce((a, b) => a + b, 0);
      if (olds === 0 || olds === 11) continue;
      tried++;
      if (ids.some((id, k) => id === 10 && useOld[k] === 1)) withLeaver++;
      const sigs = ids.map((id, k) => (useOld[k] === 1 ? oldSigs.get(id) : newSigs.get(id)) as Signature);
      assert.ok(!verify(root, groupKey, interpolateSignatures(ids, sigs)), `mixed subset ${ids} old=${useOld}`);
    }
    assert.ok(withLeaver > 50, `the leaver's old share took part in ${withLeaver} mixed subsets`);
  });
});
