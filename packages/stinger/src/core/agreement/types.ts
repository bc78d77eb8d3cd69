/**
 * The one interface behind both agreement protocols: a pure, transport-independent state machine per duty.
 *
 * Inputs: the duty, the local proposal, a validity callback (own beacon view + slashing safety), incoming envelopes and
 * timer ticks (`now` in milliseconds of the caller's clock). Outputs: envelopes to broadcast, a decision (the value this
 * operator may sign, at most once per instance) and faults attributed to operators. No I/O, no timers, no randomness:
 * the caller owns transport and clock, so the same code runs over libp2p and in the simulation harness.
 *
 * Operator positions: inside agreement an operator is its **member index**, 0..n−1, the position in the cluster's
 * member list that messages carry in `from` and leader election uses. It is always `shareIndex − 1` (the share index,
 * 1..n, is the Shamir evaluation point used by crypto and the rest of Stinger). The runner (`runner.ts`) is the
 * boundary: it takes and reports share indices, and converts.
 */
import type { Duty } from "../interfaces.ts";

export type AgreementProtocol = "one-round" | "qbft";

export type AgreementConfig = {
  readonly protocol: AgreementProtocol;
  /** 32-byte cluster identifier (e.g. the cluster lock hash): binds messages to this cluster. */
  readonly clusterId: Uint8Array;
  /** Number of operators (16 for Nektar). */
  readonly operators: number;
  /** Signatures needed for a decision/threshold signature (11 for 11-of-16). */
  readonly quorum: number;
  /** Duration of round r (≥ 1) in ms; rounds of the one-round protocol are clock-driven from the duty start. */
  readonly roundTimeoutMs: (round: number) => number;
  /** Rounds after which an instance gives up (the duty is late by then anyway). */
  readonly maxRounds: number;
  /**
   * One-round only: relay an accepted proposal to all operators (default true). Needed over point-to-point transports;
   * a gossip transport that forwards every message through its mesh already does this and can turn it off.
   */
  readonly relayProposals?: boolean;
  /** Upper bound on an encoded envelope; larger messages are dropped as faults. */
  readonly maxMessageBytes?: number;
};

/** What an operator supplies to one instance. */
export type AgreementInstanceParams = {
  readonly config: AgreementConfig;
  readonly duty: Duty;
  /** This operator's member index, 0..operators−1 (its share index − 1). */
  readonly selfMember: number;
  /** This operator's proposal from its own beacon node (SSZ bytes of the unsigned data). */
  readonly localValue: Uint8Array;
  /**
   * Whether this operator may sign `value`: valid against its own beacon view (same source/target, known head, block on
   * a known parent, …) and slashing-safe. Must be deterministic for a given value while the instance runs.
   */
  readonly isAcceptable: (value: Uint8Array) => boolean;
  /** Signs an encoded message body with the operator identity (the p2p layer supplies Ed25519). */
  readonly sign: (body: Uint8Array) => Uint8Array;
  /** Verifies `signature` over `body` by the operator of member index `from` (0..operators−1). */
  readonly verify: (from: number, body: Uint8Array, signature: Uint8Array) => boolean;
};

/** Misbehaviour observed in a message, attributed to the operator that provably sent it (when known). */
export type AgreementFault = {
  /** Member index (0..operators−1) of the sender, or `undefined` when the message could not be authenticated. */
  readonly member: number | undefined;
  readonly reason:
    | "malformed"
    | "bad_signature"
    | "wrong_instance"
    | "not_leader"
    | "invalid_value"
    | "equivocation"
    | "unjustified";
};

export type AgreementDecision = { readonly value: Uint8Array; readonly round: number };

/** Result of feeding an input to an instance. */
export type AgreementOutput = {
  /** Envelopes to send to every other operator of the cluster. */
  readonly broadcast: Uint8Array[];
  /** Set once, on the input that produced the decision. */
  readonly decided?: AgreementDecision;
  readonly faults: AgreementFault[];
};

/** One agreement instance (one duty). */
export interface AgreementInstance {
  readonly duty: Duty;
  /** The decision, once made. It never changes afterwards. */
  readonly decision: AgreementDecision | undefined;
  /** The current round (≥ 1). */
  readonly round: number;
  /** Starts the instance at time `now` (the leader of round 1 proposes). Call once. */
  start(now: number): AgreementOutput;
  /** Handles one received envelope. Never throws on bad input: it reports a fault. */
  receive(envelope: Uint8Array, now: number): AgreementOutput;
  /** Advances timers; call at or after {@link nextDeadline}. */
  tick(now: number): AgreementOutput;
  /**
   * Asks `isAcceptable` again about proposals of started rounds it refused before: the validity step has since
   * learned something (e.g. its beacon node imported the proposed head block). Does nothing once decided.
   */
  reconsider(now: number): AgreementOutput;
  /** The next time `tick` has something to do, or `undefined` when the instance is finished. */
  nextDeadline(): number | undefined;
}
