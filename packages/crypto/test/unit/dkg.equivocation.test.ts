import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type DkgComplaintsMessage,
  type DkgMessage,
  DkgMessageError,
  type DkgOutbound,
  DkgParticipant,
} from "../../src/index.ts";
import { operators, seededRandom, sessionFor } from "./harness.ts";

const N = 4;
const T = 3;
const COMPLAINER = 4;
const ACCUSED = 2;

/** Four participants through dealing, and every one's honest complaint set. */
function dealt(): { nodes: Map<number, DkgParticipant>; complaints: Map<number, DkgComplaintsMessage> } {
  const participants = operators(N);
  const sessionId = sessionFor(participants);
  const nodes = new Map<number, DkgParticipant>();
  for (let i = 1; i <= N; i++) {
    nodes.set(i, new DkgParticipant({ sessionId, participants, threshold: T, self: i }, seededRandom(`eq-${i}`)));
  }
  const deliver = (from: number, out: DkgOutbound[]) => {
    for (const { to, message } of out) {
      for (const [j, node] of nodes) if (j !== from && (to === "all" || to === j)) node.receive(from, message);
    }
  };
  const starts = new Map([...nodes].map(([i, p]) => [i, p.start()]));
  for (const [i, out] of starts) deliver(i, out);
  const complaints = new Map<number, DkgComplaintsMessage>();
  for (const [i, p] of nodes) complaints.set(i, p.closeRound()[0]?.message as DkgComplaintsMessage);
  return { nodes, complaints };
}

function forgedAgainst(honest: DkgComplaintsMessage, dealer: number): DkgComplaintsMessage {
  return { ...honest, views: honest.views.map((v, d) => (d === dealer - 1 ? { ...v, complaint: true } : v)) };
}

const equivocation = (e: unknown) => e instanceof DkgMessageError && e.type.code === "ERR_DKG_EQUIVOCATION";

describe("DKG, a member equivocating on its complaint set", () => {
  it("nobody waits for answers to an equivocating complainer's complaints", () => {
    const { nodes, complaints } = dealt();
    const honest = complaints.get(COMPLAINER) as DkgComplaintsMessage;
    const forged = forgedAgainst(honest, ACCUSED);
    for (const [j, node] of nodes) {
      if (j === COMPLAINER) continue;
      for (const [i, c] of complaints) if (i !== j && i !== COMPLAINER) node.receive(i, c);
      // Members 1 and 3 hold the forged version first (it accuses dealer 2), dealer 2 the honest one.
      const [first, second] = j === ACCUSED ? [honest, forged] : [forged, honest];
      node.receive(COMPLAINER, first as DkgMessage);
      assert.throws(() => node.receive(COMPLAINER, second as DkgMessage), equivocation);
    }
    for (const [j, node] of nodes) {
      if (j === COMPLAINER) continue;
      assert.deepEqual(node.closeRound(), [], `member ${j} sends no answer`);
      assert.equal(node.isRoundComplete(), true, `member ${j} does not wait for dealer ${ACCUSED}'s answer`);
      node.closeRound();
      assert.deepEqual(node.result()?.qualified, [1, 2, 3, 4]);
    }
  });

  it("a second version arriving in the answer round still counts as evidence", () => {
    const { nodes, complaints } = dealt();
    const honest = complaints.get(COMPLAINER) as DkgComplaintsMessage;
    const forged = forgedAgainst(honest, ACCUSED);
    const late = nodes.get(1) as DkgParticipant;
    late.receive(2, complaints.get(2) as DkgComplaintsMessage);
    late.receive(COMPLAINER, forged);
    late.closeRound();
    assert.equal(late.isRoundComplete(), false, "the forged complaint makes member 1 wait for dealer 2");
    assert.throws(() => late.receive(COMPLAINER, honest), equivocation);
    assert.equal(late.isRoundComplete(), true, "with the evidence, the complaint is discounted");
    // A complaint set first seen in the answer round is too late to count.
    assert.throws(
      () => late.receive(3, complaints.get(3) as DkgComplaintsMessage),
      (e: unknown) => e instanceof DkgMessageError && e.type.code === "ERR_DKG_WRONG_ROUND",
    );
    late.closeRound();
    assert.deepEqual(late.result()?.qualified, [1, 2, 3, 4]);
  });
});
