import { createHash } from "node:crypto";
import type { ValueOf } from "@chainsafe/ssz";
import { ByteListType, ByteVectorType, ContainerType, UintNumberType } from "@chainsafe/ssz";
import { envelopeRoot, signedEnvelopeRoot } from "./envelopeRoot.ts";

/** Wire version of the envelope; a node drops envelopes of any other version. */
export const ENVELOPE_VERSION = 1;
/** Largest payload accepted (a DKG commitment vector for t=16 is ~1 KiB; this leaves room for proofs). */
export const MAX_PAYLOAD_BYTES = 16 * 1024;
/** Recipient value for messages addressed to every operator. */
export const BROADCAST = 0xff;

/** What an envelope carries; unknown kinds are dropped. */
export const MessageKind = {
  /** A message of `packages/crypto`'s DKG state machine (round in the header). */
  dkg: 1,
  /** A partial BLS signature over the deposit message, by one key share. */
  depositPartialSignature: 2,
  /** An operator's Ed25519 signature over the cluster lock hash. */
  lockSignature: 3,
  /** An operator giving up the ceremony, with a reason; every node aborts too. */
  abort: 4,
  /**
   * "Send me again what you authored for this round" (private, empty payload). Covers gossip losses and restarts
   * that re-delivery on (re)subscription does not see. Exempt from the once-per-slot rule: repeating it is harmless.
   */
  resendRequest: 5,
  /** The digest of the qualified dealers and key an operator's DKG ended with; every operator must send the same. */
  qualifiedSet: 6,
  /** Resharing: a member's signed slashing-protection state for the validator, sent to the newcomer. */
  slashingStatement: 7,
} as const;
export type MessageKind = (typeof MessageKind)[keyof typeof MessageKind];
const KINDS = new Set<number>(Object.values(MessageKind));

export const EnvelopeSsz = new ContainerType({
  version: new UintNumberType(1),
  kind: new UintNumberType(1),
  sessionId: new ByteVectorType(32),
  /** 0-based operator index of the author in the cluster definition. */
  sender: new UintNumberType(1),
  /** 0-based operator index of the recipient, or `BROADCAST`. */
  recipient: new UintNumberType(1),
  round: new UintNumberType(1),
  payload: new ByteListType(MAX_PAYLOAD_BYTES),
});
export const SignedEnvelopeSsz = new ContainerType({
  message: EnvelopeSsz,
  /** Ed25519 signature of the author over `envelopeSigningRoot(message)`. */
  signature: new ByteVectorType(64),
});
export type Envelope = ValueOf<typeof EnvelopeSsz>;
export type SignedEnvelope = ValueOf<typeof SignedEnvelopeSsz>;

/** Fixed part of a serialized signed envelope (everything but the payload bytes). */
const FIXED_BYTES = SignedEnvelopeSsz.serialize({
  message: { ...EnvelopeSsz.defaultValue(), payload: new Uint8Array(0) },
  signature: new Uint8Array(64),
}).length;
/** Largest serialized signed envelope; larger frames are dropped before parsing. */
export const MAX_ENVELOPE_BYTES = FIXED_BYTES + MAX_PAYLOAD_BYTES;

const SIGNING_DOMAIN = Buffer.from("nektar/stinger/envelope/v1", "utf8");

/** Bytes the author signs: a domain-separated hash of the envelope's SSZ root. */
export function envelopeSigningRoot(envelope: Envelope): Uint8Array {
  return signingRootOf(envelopeRoot(envelope));
}

/** Stable id of an envelope (the signature covers every field, so this identifies content and author). */
export function envelopeId(signed: SignedEnvelope): string {
  return signedEnvelopeRoot(envelopeRoot(signed.message), signed.signature).toString("hex");
}

/** `envelopeSigningRoot` and `envelopeId` of one envelope, hashing its message once (the admission path). */
export function envelopeDigests(signed: SignedEnvelope): { signingRoot: Uint8Array; id: string } {
  const root = envelopeRoot(signed.message);
  return { signingRoot: signingRootOf(root), id: signedEnvelopeRoot(root, signed.signature).toString("hex") };
}

function signingRootOf(messageRoot: Uint8Array): Uint8Array {
  return createHash("sha256").update(SIGNING_DOMAIN).update(messageRoot).digest();
}

/** Serialize an envelope; throws RangeError for a payload over `MAX_PAYLOAD_BYTES` (peers would drop it). */
export function encodeSignedEnvelope(signed: SignedEnvelope): Uint8Array {
  if (signed.message.payload.length > MAX_PAYLOAD_BYTES) {
    throw new RangeError(`envelope payload of ${signed.message.payload.length} bytes exceeds ${MAX_PAYLOAD_BYTES}`);
  }
  return SignedEnvelopeSsz.serialize(signed);
}

export type DecodeResult =
  | { ok: true; envelope: SignedEnvelope }
  | { ok: false; reason: "oversized" | "malformed" | "unsupported_version" | "unknown_kind" };

/**
 * Decode untrusted bytes. Never throws: anything but a well-formed envelope of this version and a known kind is a
 * typed rejection the caller counts and drops.
 */
export function decodeSignedEnvelope(bytes: Uint8Array): DecodeResult {
  if (bytes.length > MAX_ENVELOPE_BYTES) return { ok: false, reason: "oversized" };
  let envelope: SignedEnvelope;
  try {
    envelope = SignedEnvelopeSsz.deserialize(bytes);
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (envelope.message.version !== ENVELOPE_VERSION) return { ok: false, reason: "unsupported_version" };
  if (!KINDS.has(envelope.message.kind)) return { ok: false, reason: "unknown_kind" };
  return { ok: true, envelope };
}
