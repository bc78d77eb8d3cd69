/**
 * Versioned, size-bounded binary codec of agreement messages. A message is signed by its sender's operator identity;
 * the signature covers the whole encoded body, which binds it to the cluster, duty, round and sender, so it cannot be
 * replayed into another instance.
 *
 * Body (signed):   u8 version | u8 kind | 32 clusterId | u64 slot | u8 dutyType | u64 validator | u32 round | u16 from | …
 * Envelope:        u32 bodyLen | body | u16 sigLen | sig | u32 attachmentLen | attachment
 * The attachment carries a round change's prepared value; it is not signed but must hash to the signed value hash.
 */
import { createHash } from "node:crypto";
import { MAX_AGREEMENT_MESSAGE_BYTES } from "../blockLimits.ts";
import type { Duty, DutyType } from "../interfaces.ts";
import { dutyTypes } from "../interfaces.ts";
import { AgreementError } from "./errors.ts";

export const AGREEMENT_WIRE_VERSION = 1;
/** Default bound of one encoded envelope: mainnet's largest block proposal plus a QBFT justification fits. */
export const DEFAULT_MAX_MESSAGE_BYTES = MAX_AGREEMENT_MESSAGE_BYTES;
const MAX_JUSTIFICATION = 64;
const MAX_SIGNATURE_BYTES = 256;

export const MessageKind = {
  /** One-round: the round leader's proposal; accepting it means signing it. */
  proposal: 1,
  /** QBFT */
  prePrepare: 2,
  prepare: 3,
  commit: 4,
  roundChange: 5,
  decided: 6,
} as const;
export type MessageKind = (typeof MessageKind)[keyof typeof MessageKind];

type Header = {
  readonly clusterId: Uint8Array;
  readonly duty: Duty;
  readonly round: number;
  readonly from: number;
};

/** A decoded agreement message (the signed body). */
export type AgreementMessage =
  | (Header & { readonly kind: typeof MessageKind.proposal; readonly value: Uint8Array })
  | (Header & {
      readonly kind: typeof MessageKind.prePrepare;
      readonly value: Uint8Array;
      readonly justification: readonly Uint8Array[];
    })
  | (Header & { readonly kind: typeof MessageKind.prepare | typeof MessageKind.commit; readonly valueHash: Uint8Array })
  | (Header & {
      readonly kind: typeof MessageKind.roundChange;
      readonly preparedRound: number;
      readonly preparedValueHash: Uint8Array;
    })
  | (Header & {
      readonly kind: typeof MessageKind.decided;
      readonly value: Uint8Array;
      readonly justification: readonly Uint8Array[];
    });

/** A decoded envelope: the body bytes (what was signed), the decoded body, the signature and the attachment. */
export type Envelope = {
  readonly body: Uint8Array;
  readonly message: AgreementMessage;
  readonly signature: Uint8Array;
  readonly attachment: Uint8Array;
};

const ZERO32 = new Uint8Array(32);

/** sha256 of a value: how votes name values. */
export function hashValue(value: Uint8Array): Uint8Array {
  return createHash("sha256").update(value).digest();
}

function bad(reason: string): AgreementError {
  return new AgreementError({ code: "ERR_AGREEMENT_MESSAGE_INVALID", reason });
}

class Writer {
  private readonly parts: Buffer[] = [];
  u8(x: number): this {
    this.parts.push(Buffer.from([x]));
    return this;
  }
  u16(x: number): this {
    const b = Buffer.alloc(2);
    b.writeUInt16LE(x);
    this.parts.push(b);
    return this;
  }
  u32(x: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(x);
    this.parts.push(b);
    return this;
  }
  u64(x: number): this {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(x));
    this.parts.push(b);
    return this;
  }
  bytes(x: Uint8Array): this {
    this.parts.push(Buffer.from(x.buffer, x.byteOffset, x.byteLength));
    return this;
  }
  varBytes(x: Uint8Array): this {
    return this.u32(x.length).bytes(x);
  }
  done(): Uint8Array {
    return Buffer.concat(this.parts);
  }
}

class Reader {
  private o = 0;
  private readonly b: Buffer;
  constructor(bytes: Uint8Array) {
    this.b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  private need(n: number): void {
    if (this.o + n > this.b.length) throw bad("truncated");
  }
  u8(): number {
    this.need(1);
    return this.b.readUInt8(this.o++);
  }
  u16(): number {
    this.need(2);
    const x = this.b.readUInt16LE(this.o);
    this.o += 2;
    return x;
  }
  u32(): number {
    this.need(4);
    const x = this.b.readUInt32LE(this.o);
    this.o += 4;
    return x;
  }
  u64(): number {
    this.need(8);
    const x = this.b.readBigUInt64LE(this.o);
    this.o += 8;
    if (x > BigInt(Number.MAX_SAFE_INTEGER)) throw bad("u64 out of range");
    return Number(x);
  }
  bytes(n: number): Uint8Array {
    this.need(n);
    const x = this.b.subarray(this.o, this.o + n);
    this.o += n;
    return x;
  }
  varBytes(max: number): Uint8Array {
    const n = this.u32();
    if (n > max) throw bad("field too large");
    return this.bytes(n);
  }
  end(): void {
    if (this.o !== this.b.length) throw bad("trailing bytes");
  }
}

/** Encodes the signed body of a message. */
export function encodeBody(m: AgreementMessage): Uint8Array {
  if (m.clusterId.length !== 32) throw bad("clusterId must be 32 bytes");
  const w = new Writer()
    .u8(AGREEMENT_WIRE_VERSION)
    .u8(m.kind)
    .bytes(m.clusterId)
    .u64(m.duty.slot)
    .u8(dutyTypes.indexOf(m.duty.type))
    .u64(m.duty.validator)
    .u32(m.round)
    .u16(m.from);
  switch (m.kind) {
    case MessageKind.proposal:
      w.varBytes(m.value);
      break;
    case MessageKind.prePrepare:
    case MessageKind.decided:
      w.varBytes(m.value).u16(m.justification.length);
      for (const j of m.justification) w.varBytes(j);
      break;
    case MessageKind.prepare:
    case MessageKind.commit:
      w.bytes(m.valueHash);
      break;
    case MessageKind.roundChange:
      w.u32(m.preparedRound).bytes(m.preparedRound === 0 ? ZERO32 : m.preparedValueHash);
      break;
  }
  return w.done();
}

/** Decodes and validates a message body; throws `ERR_AGREEMENT_MESSAGE_INVALID` on any malformed input. */
export function decodeBody(body: Uint8Array, maxBytes: number): AgreementMessage {
  const r = new Reader(body);
  const version = r.u8();
  if (version !== AGREEMENT_WIRE_VERSION) throw bad(`unsupported wire version ${version}`);
  const kind = r.u8();
  const clusterId = r.bytes(32);
  const slot = r.u64();
  const type = dutyTypes[r.u8()] as DutyType | undefined;
  if (type === undefined) throw bad("unknown duty type");
  const validator = r.u64();
  const round = r.u32();
  const from = r.u16();
  if (round < 1) throw bad("round must be ≥ 1");
  const h: Header = { clusterId, duty: { slot, type, validator }, round, from };
  let m: AgreementMessage;
  switch (kind) {
    case MessageKind.proposal:
      m = { ...h, kind, value: r.varBytes(maxBytes) };
      break;
    case MessageKind.prePrepare:
    case MessageKind.decided: {
      const value = r.varBytes(maxBytes);
      const count = r.u16();
      if (count > MAX_JUSTIFICATION) throw bad("justification too long");
      const justification: Uint8Array[] = [];
      for (let i = 0; i < count; i++) justification.push(r.varBytes(maxBytes));
      m = { ...h, kind, value, justification };
      break;
    }
    case MessageKind.prepare:
    case MessageKind.commit:
      m = { ...h, kind, valueHash: r.bytes(32) };
      break;
    case MessageKind.roundChange: {
      const preparedRound = r.u32();
      const preparedValueHash = r.bytes(32);
      if (preparedRound >= round) throw bad("prepared round must be below the round change's round");
      m = { ...h, kind, preparedRound, preparedValueHash };
      break;
    }
    default:
      throw bad(`unknown message kind ${kind}`);
  }
  r.end();
  return m;
}

/** Wraps a signed body (and an optional attachment) into envelope bytes. */
export function encodeEnvelope(body: Uint8Array, signature: Uint8Array, attachment?: Uint8Array): Uint8Array {
  const w = new Writer().varBytes(body).u16(signature.length).bytes(signature);
  return w.varBytes(attachment ?? new Uint8Array(0)).done();
}

/** Splits envelope bytes (size-checked) and decodes the body. Signature checks are the caller's. */
export function decodeEnvelope(bytes: Uint8Array, maxBytes = DEFAULT_MAX_MESSAGE_BYTES): Envelope {
  if (bytes.length > maxBytes) throw bad(`message of ${bytes.length} bytes exceeds ${maxBytes}`);
  const r = new Reader(bytes);
  const body = r.varBytes(maxBytes);
  const sigLen = r.u16();
  if (sigLen > MAX_SIGNATURE_BYTES) throw bad("signature too long");
  const signature = r.bytes(sigLen);
  const attachment = r.varBytes(maxBytes);
  r.end();
  return { body, message: decodeBody(body, maxBytes), signature, attachment };
}

/** A round change's unsigned attachment: the prepared value and the prepare quorum that justifies it. */
export type PreparedCertificate = { readonly value: Uint8Array; readonly prepares: readonly Uint8Array[] };

export function encodePreparedCertificate(c: PreparedCertificate): Uint8Array {
  const w = new Writer().varBytes(c.value).u16(c.prepares.length);
  for (const p of c.prepares) w.varBytes(p);
  return w.done();
}

export function decodePreparedCertificate(bytes: Uint8Array, maxBytes: number): PreparedCertificate {
  const r = new Reader(bytes);
  const value = r.varBytes(maxBytes);
  const count = r.u16();
  if (count > MAX_JUSTIFICATION) throw bad("certificate too long");
  const prepares: Uint8Array[] = [];
  for (let i = 0; i < count; i++) prepares.push(r.varBytes(maxBytes));
  r.end();
  return { value, prepares };
}
