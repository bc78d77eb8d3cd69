import { byteArrayEquals } from "@chainsafe/ssz";
import type { IdentityVerifier } from "../identity/ed25519.ts";
import { BROADCAST, envelopeDigests, MessageKind, type SignedEnvelope } from "./envelope.ts";

/** Why an envelope was dropped; each reason is a label of `stinger_p2p_messages_dropped_total`. */
export type DropReason =
  | "oversized"
  | "malformed"
  | "unsupported_version"
  | "unknown_kind"
  | "wrong_session"
  | "non_member"
  | "bad_signature"
  | "wrong_recipient"
  | "sender_mismatch"
  | "duplicate"
  | "equivocation";

/** A drop; an equivocation carries the envelope admitted first, so the caller holds both signed versions (evidence). */
export type AdmissionResult =
  | { ok: true }
  | { ok: false; reason: Exclude<DropReason, "equivocation"> }
  | { ok: false; reason: "equivocation"; first: SignedEnvelope };

/**
 * Decides whether a decoded envelope belongs to this ceremony: right session, author is a member whose signature
 * verifies, addressed to us (or everyone), and not seen before. A broadcast envelope may arrive relayed by another
 * member (the author's signature still covers it); a private one only straight from its author. A second, different
 * validly signed envelope for the same (author, kind, round, recipient) slot is equivocation: it is not delivered as
 * a message, but returned with the first one, since the two signed versions prove the author equivocated.
 */
export class EnvelopeAdmission {
  private readonly slots = new Map<string, { id: string; envelope: SignedEnvelope }>();
  private readonly sessionId: Uint8Array;
  private readonly verifiers: IdentityVerifier[];
  private readonly selfIndex: number;

  constructor(sessionId: Uint8Array, verifiers: IdentityVerifier[], selfIndex: number) {
    this.sessionId = sessionId;
    this.verifiers = verifiers;
    this.selfIndex = selfIndex;
  }

  /**
   * @param transportSender operator index of the peer the bytes came from, when known; a private (non-broadcast)
   *   envelope must come straight from its author.
   */
  admit(signed: SignedEnvelope, transportSender?: number): AdmissionResult {
    const m = signed.message;
    if (!byteArrayEquals(m.sessionId, this.sessionId)) return { ok: false, reason: "wrong_session" };
    const verifier = this.verifiers[m.sender];
    if (verifier === undefined) return { ok: false, reason: "non_member" };
    if (m.recipient !== BROADCAST && m.recipient !== this.selfIndex) return { ok: false, reason: "wrong_recipient" };
    if (m.recipient !== BROADCAST && transportSender !== undefined && transportSender !== m.sender) {
      return { ok: false, reason: "sender_mismatch" };
    }
    const { signingRoot, id } = envelopeDigests(signed);
    if (m.kind === MessageKind.resendRequest) {
      if (!verifier.verify(signingRoot, signed.signature)) return { ok: false, reason: "bad_signature" };
      return { ok: true };
    }
    const slot = `${m.sender}/${m.kind}/${m.round}/${m.recipient}`;
    const seen = this.slots.get(slot);
    // A duplicate is recognised before the (costlier) signature check: its id covers the signature bytes.
    if (seen?.id === id) return { ok: false, reason: "duplicate" };
    if (!verifier.verify(signingRoot, signed.signature)) return { ok: false, reason: "bad_signature" };
    if (seen !== undefined) return { ok: false, reason: "equivocation", first: seen.envelope };
    this.slots.set(slot, { id, envelope: signed });
    return { ok: true };
  }
}
