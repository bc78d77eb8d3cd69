/**
 * Turns received bytes into an authenticated message of this instance, or a fault: size and format checked, signature
 * verified against the claimed sender, and cluster + duty compared so a message of another cluster or duty (a replay)
 * is rejected.
 */
import { byteArrayEquals } from "@chainsafe/ssz";
import type { Duty } from "../interfaces.ts";
import {
  type AgreementMessage,
  DEFAULT_MAX_MESSAGE_BYTES,
  decodeEnvelope,
  type Envelope,
  encodeBody,
  encodeEnvelope,
} from "./codec.ts";
import type { AgreementFault, AgreementInstanceParams } from "./types.ts";

export type Authenticated =
  | { readonly ok: true; readonly envelope: Envelope }
  | { readonly ok: false; readonly fault: AgreementFault };

function sameDuty(a: Duty, b: Duty): boolean {
  return a.slot === b.slot && a.type === b.type && a.validator === b.validator;
}

export function authenticate(p: AgreementInstanceParams, bytes: Uint8Array): Authenticated {
  let envelope: Envelope;
  try {
    envelope = decodeEnvelope(bytes, p.config.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES);
  } catch {
    return { ok: false, fault: { member: undefined, reason: "malformed" } };
  }
  const m = envelope.message;
  if (m.from >= p.config.operators) return { ok: false, fault: { member: undefined, reason: "malformed" } };
  if (!p.verify(m.from, envelope.body, envelope.signature)) {
    return { ok: false, fault: { member: undefined, reason: "bad_signature" } };
  }
  if (!byteArrayEquals(m.clusterId, p.config.clusterId) || !sameDuty(m.duty, p.duty) || m.round > p.config.maxRounds) {
    return { ok: false, fault: { member: m.from, reason: "wrong_instance" } };
  }
  return { ok: true, envelope };
}

/** Encodes and signs a message of this operator. */
export function seal(p: AgreementInstanceParams, m: AgreementMessage, attachment?: Uint8Array): Uint8Array {
  const body = encodeBody(m);
  return encodeEnvelope(body, p.sign(body), attachment);
}
