import { type PublicKey, type SecretKey, Signature, verify, verifyMultipleAggregateSignatures } from "@chainsafe/blst";
import {
  combinePartialSignatures,
  computePerformanceSigningRoot,
  computePerformanceStatementRoot,
  computePerformanceViewSigningRoot,
  type PartialSignature,
  type PerformanceStatement,
  type PerformanceSubject,
  type PerformanceView,
} from "@nektar/crypto";
import type { ValidatorCounts } from "./counters.ts";
import { PerformanceError } from "./errors.ts";
import { statementFromViews } from "./rule.ts";
import type { PerformanceStore, SignedPerformanceStatement } from "./store.ts";

/**
 * Agreement on one validator's performance statement for one frame, and its threshold signature (pure: the caller
 * moves the messages). The steps, for validator v and frame F:
 *
 * 1. **View.** Every member signs its own counts ({@link ValidatorCounts}) for (v, F) with its key share, under the
 *    performance domain with the view tag ({@link signView}), and sends the signed view to the frame's leader.
 * 2. **Proposal.** The leader of round r ({@link performanceLeader}) proposes the set of signed views it holds
 *    (≥ threshold, one per member, {@link buildProposal}). The statement is not proposed: it is
 *    {@link statementFromViews} of that set, which every member recomputes.
 * 3. **Acceptance.** A member accepts ({@link evaluateProposal}) iff the proposal comes from the round's leader, holds
 *    ≥ threshold distinct, well-signed views of (v, F), and includes the member's own view unchanged (so a leader
 *    cannot drop the views of the members whose signatures it needs).
 * 4. **Signature.** It records the statement root in its store **before** signing ({@link signStatement}): a member
 *    signs at most one statement per (v, F), ever. Partials go to everyone; any member combines ≥ threshold
 *    ({@link combineStatement}) and keeps the verified statement.
 *
 * Why the result is unique: two different signed statements of (v, F) would need threshold signers each; with n = 16
 * and threshold 11 they share ≥ 6 signers, each of which would have signed twice — impossible while at most 5 members
 * are faulty. Why a member lying about its contribution cannot change it: its view is signed (it cannot claim another
 * member's testimony) and the rule ignores what a member says about its own share (see `rule.ts`). A leader that
 * fails or equivocates only delays the statement: the next round's leader proposes again, and a member that already
 * signed accepts only a proposal that yields the statement it signed.
 */

/** What a member needs to take part: the subject, the cluster's keys and its own share. */
export type PerformanceContext = {
  readonly subject: PerformanceSubject;
  readonly genesisForkVersion: Uint8Array;
  readonly threshold: number;
  /** The validator's beacon index (spreads leadership over the cluster's validators). */
  readonly validatorIndex: number;
  readonly groupPublicKey: PublicKey;
  /** Subgroup-checked share public keys at `shareIndex − 1`. */
  readonly sharePublicKeys: readonly PublicKey[];
  readonly shareIndex: number;
  readonly secretShare: SecretKey;
};

export type SignedView = { readonly view: PerformanceView; readonly signature: Uint8Array };
export type PerformanceProposal = { readonly round: number; readonly leader: number; readonly views: SignedView[] };
export type StatementPartial = PartialSignature & { readonly statementRoot: Uint8Array };

export type Evaluation =
  | { readonly ok: true; readonly statement: PerformanceStatement }
  | { readonly ok: false; readonly reason: string };

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/** The leader (share index 1..n) of `round` for (validator, frame): rotates with frame, validator and round. */
export function performanceLeader(frame: number, validatorIndex: number, round: number, n: number): number {
  return ((frame + validatorIndex + round) % n) + 1;
}

/** This member's signed testimony for the frame. */
export function signView(ctx: PerformanceContext, counts: ValidatorCounts): SignedView {
  const view: PerformanceView = { ...ctx.subject, shareIndex: ctx.shareIndex, ...counts };
  const root = computePerformanceViewSigningRoot(view, ctx.genesisForkVersion);
  return { view, signature: ctx.secretShare.sign(root).toBytes() };
}

function sameSubject(a: PerformanceSubject, b: PerformanceSubject): boolean {
  return (
    BigInt(a.chainId) === BigInt(b.chainId) &&
    a.oracle.toLowerCase() === b.oracle.toLowerCase() &&
    BigInt(a.frame) === BigInt(b.frame) &&
    hex(a.validatorPubkey) === hex(b.validatorPubkey)
  );
}

/** Why a signed view is not usable for `ctx`'s statement, or undefined when it is (its signature is not checked). */
function viewProblem(ctx: PerformanceContext, sv: SignedView): string | undefined {
  const { view } = sv;
  const n = ctx.sharePublicKeys.length;
  if (!sameSubject(view, ctx.subject)) return `view of share ${view.shareIndex} is about another validator or frame`;
  if (!Number.isInteger(view.shareIndex) || view.shareIndex < 1 || view.shareIndex > n) return "bad share index";
  if (view.contributed.length !== n) return `view of share ${view.shareIndex} does not list ${n} shares`;
  return undefined;
}

/** Whether every view's signature is its member's share signature (one batched check; per view only on failure). */
function invalidViews(ctx: PerformanceContext, views: readonly SignedView[]): number[] {
  const sets = views.map((sv) => {
    let sig: Signature | undefined;
    try {
      sig = Signature.fromBytes(sv.signature, true);
    } catch {
      sig = undefined;
    }
    const msg = computePerformanceViewSigningRoot(sv.view, ctx.genesisForkVersion);
    return { msg, pk: ctx.sharePublicKeys[sv.view.shareIndex - 1] as PublicKey, sig, shareIndex: sv.view.shareIndex };
  });
  const parsed = sets.filter((s) => s.sig !== undefined) as { msg: Uint8Array; pk: PublicKey; sig: Signature }[];
  if (parsed.length === sets.length && (parsed.length === 0 || verifyMultipleAggregateSignatures(parsed))) return [];
  return sets.filter((s) => s.sig === undefined || !verify(s.msg, s.pk, s.sig)).map((s) => s.shareIndex);
}

/**
 * The leader's proposal for `round` from the signed views it received (its own included): invalid, foreign and
 * duplicate views are dropped. Throws `ERR_PERFORMANCE_PROPOSAL_REJECTED` with fewer than threshold good views.
 */
export function buildProposal(
  ctx: PerformanceContext,
  round: number,
  received: readonly SignedView[],
): PerformanceProposal {
  const byShare = new Map<number, SignedView>();
  for (const sv of received)
    if (viewProblem(ctx, sv) === undefined && !byShare.has(sv.view.shareIndex)) byShare.set(sv.view.shareIndex, sv);
  const bad = new Set(invalidViews(ctx, [...byShare.values()]));
  const views = [...byShare.values()].filter((sv) => !bad.has(sv.view.shareIndex));
  views.sort((a, b) => a.view.shareIndex - b.view.shareIndex);
  if (views.length < ctx.threshold) reject(ctx, `${views.length} valid views, ${ctx.threshold} needed`);
  const n = ctx.sharePublicKeys.length;
  return { round, leader: performanceLeader(Number(ctx.subject.frame), ctx.validatorIndex, round, n), views };
}

function reject(ctx: PerformanceContext, reason: string): never {
  throw new PerformanceError({
    code: "ERR_PERFORMANCE_PROPOSAL_REJECTED",
    validator: `0x${hex(ctx.subject.validatorPubkey)}`,
    frame: Number(ctx.subject.frame),
    reason,
  });
}

/**
 * Whether this member accepts `proposal` (from the share index `from`, authenticated by the transport), and the
 * statement it then signs. `own` is this member's signed view; `signedRoot` the statement root it already signed for
 * this (validator, frame), if any (see {@link PerformanceStore.signedRoot}).
 */
export function evaluateProposal(
  ctx: PerformanceContext,
  from: number,
  proposal: PerformanceProposal,
  own: SignedView,
  signedRoot?: Uint8Array,
): Evaluation {
  const n = ctx.sharePublicKeys.length;
  const leader = performanceLeader(Number(ctx.subject.frame), ctx.validatorIndex, proposal.round, n);
  if (from !== leader || proposal.leader !== leader)
    return { ok: false, reason: `share ${from} does not lead round ${proposal.round}` };
  const seen = new Set<number>();
  for (const sv of proposal.views) {
    const problem = viewProblem(ctx, sv);
    if (problem !== undefined) return { ok: false, reason: problem };
    if (seen.has(sv.view.shareIndex)) return { ok: false, reason: `two views of share ${sv.view.shareIndex}` };
    seen.add(sv.view.shareIndex);
  }
  if (seen.size < ctx.threshold) return { ok: false, reason: `${seen.size} views, ${ctx.threshold} needed` };
  const mine = proposal.views.find((sv) => sv.view.shareIndex === ctx.shareIndex);
  if (mine === undefined || hex(mine.signature) !== hex(own.signature)) {
    return { ok: false, reason: "this member's own view is missing or altered" };
  }
  const bad = invalidViews(ctx, proposal.views);
  if (bad.length > 0) return { ok: false, reason: `views of shares ${bad.join(",")} are not signed by their shares` };
  const statement = statementFromViews(
    ctx.subject,
    proposal.views.map((sv) => sv.view),
  );
  if (signedRoot !== undefined && hex(signedRoot) !== hex(computePerformanceStatementRoot(statement))) {
    return { ok: false, reason: "this member already signed another statement for the frame" };
  }
  return { ok: true, statement };
}

/**
 * This member's partial signatures of accepted statements (one per validator, all of one frame), after recording in
 * `store`, in one atomic write, that it signs them: throws `ERR_PERFORMANCE_ALREADY_SIGNED` (and signs nothing) if
 * any validator already has a different signed statement for the frame.
 */
export function signStatements(
  items: readonly { ctx: PerformanceContext; statement: PerformanceStatement }[],
  store: PerformanceStore,
): StatementPartial[] {
  const roots = items.map(({ statement }) => computePerformanceStatementRoot(statement));
  const frames = new Set(items.map(({ statement }) => Number(statement.frame)));
  for (const frame of frames) {
    store.recordSignings(
      frame,
      items.flatMap(({ statement }, i) =>
        Number(statement.frame) === frame
          ? [{ validatorPubkey: statement.validatorPubkey, statementRoot: roots[i] as Uint8Array }]
          : [],
      ),
    );
  }
  return items.map(({ ctx, statement }, i) => {
    const root = computePerformanceSigningRoot(statement, ctx.genesisForkVersion);
    return {
      shareIndex: ctx.shareIndex,
      signature: ctx.secretShare.sign(root).toBytes(),
      statementRoot: roots[i] as Uint8Array,
    };
  });
}

/** {@link signStatements} for one validator. */
export function signStatement(
  ctx: PerformanceContext,
  statement: PerformanceStatement,
  store: PerformanceStore,
): StatementPartial {
  return signStatements([{ ctx, statement }], store)[0] as StatementPartial;
}

/**
 * The validator key's signature of `statement` from ≥ threshold partials (bad ones are dropped), verified against the
 * group key. Throws `ERR_PERFORMANCE_TOO_FEW_SIGNATURES` when fewer than threshold valid partials sign it.
 */
export function combineStatement(
  ctx: PerformanceContext,
  statement: PerformanceStatement,
  partials: readonly StatementPartial[],
): SignedPerformanceStatement {
  const statementRoot = hex(computePerformanceStatementRoot(statement));
  const mine = partials.filter((p) => hex(p.statementRoot) === statementRoot);
  const tooFew = (have: number): never => {
    throw new PerformanceError({
      code: "ERR_PERFORMANCE_TOO_FEW_SIGNATURES",
      validator: `0x${hex(statement.validatorPubkey)}`,
      frame: Number(statement.frame),
      have,
      need: ctx.threshold,
    });
  };
  if (mine.length < ctx.threshold) tooFew(mine.length);
  try {
    const { signature } = combinePartialSignatures({
      partials: mine,
      threshold: ctx.threshold,
      groupPublicKey: ctx.groupPublicKey,
      signingRoot: computePerformanceSigningRoot(statement, ctx.genesisForkVersion),
      sharePublicKeys: ctx.sharePublicKeys,
    });
    return { statement, signature };
  } catch (e) {
    const have = (e as { type?: { have?: number } }).type?.have;
    return tooFew(typeof have === "number" ? have : 0);
  }
}
