import { CURVE_ORDER } from "../field/scalar.ts";
import { DkgMessageError } from "./errors.ts";
import { parseCommitmentPoints, parsePopSignature } from "./points.ts";
import type { DealerCommitment, DkgDealerView, DkgMessage, RevealedShare } from "./types.ts";

/*
 * Wire format (all integers big-endian), version 1:
 *   header     version u8 | type u8 | sessionId 32 | sender u16
 *   commitment t u8 | t × G1 (48) | pop G2 (96)
 *   share      recipient u16 | scalar 32
 *   complaints n u8 | n × (flags u8 [bit0 = has digest, bit1 = complaint] | digest 32, zero when absent)
 *   answer     t u8 | t × G1 (48) | pop G2 (96) | k u8 | k × (recipient u16 | scalar 32), recipients ascending
 * The sender is the dealer for commitment/share/answer and the complaining recipient for complaints.
 */

export const DKG_WIRE_VERSION = 1;
/** Most members (dealers or recipients) a ceremony may have. */
export const MAX_DKG_PARTICIPANTS = 64;
/** Upper bound of an encoded DKG message; anything longer is rejected before parsing. */
export const MAX_DKG_MESSAGE_BYTES = 8192;

const TYPE_CODES = { commitment: 1, share: 2, complaints: 3, answer: 4 } as const;
const HEADER_BYTES = 1 + 1 + 32 + 2;
const G1_BYTES = 48;
const G2_BYTES = 96;
const SCALAR_BYTES = 32;
const DIGEST_BYTES = 32;
const FLAG_HAS_DIGEST = 1;
const FLAG_COMPLAINT = 2;

function malformed(reason: string): DkgMessageError {
  return new DkgMessageError({ code: "ERR_DKG_MALFORMED_MESSAGE", reason });
}

class Writer {
  private readonly parts: Uint8Array[] = [];
  u8(v: number): void {
    if (!Number.isInteger(v) || v < 0 || v > 0xff) throw malformed(`value ${v} does not fit u8`);
    this.parts.push(Uint8Array.of(v));
  }
  u16(v: number): void {
    if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw malformed(`value ${v} does not fit u16`);
    this.parts.push(Uint8Array.of(v >> 8, v & 0xff));
  }
  bytes(b: Uint8Array, length: number, what: string): void {
    if (b.length !== length) throw malformed(`${what} must be ${length} bytes, got ${b.length}`);
    this.parts.push(b);
  }
  finish(): Uint8Array {
    const total = this.parts.reduce((s, p) => s + p.length, 0);
    if (total > MAX_DKG_MESSAGE_BYTES) {
      throw new DkgMessageError({ code: "ERR_DKG_MESSAGE_TOO_LARGE", size: total, max: MAX_DKG_MESSAGE_BYTES });
    }
    const out = new Uint8Array(total);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}

class Reader {
  private offset = 0;
  private readonly buf: Uint8Array;
  constructor(buf: Uint8Array) {
    this.buf = buf;
  }
  private take(n: number, what: string): Uint8Array {
    if (this.offset + n > this.buf.length) throw malformed(`truncated ${what}`);
    const out = this.buf.slice(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }
  u8(what: string): number {
    return this.take(1, what)[0] as number;
  }
  u16(what: string): number {
    const b = this.take(2, what);
    return ((b[0] as number) << 8) | (b[1] as number);
  }
  bytes(n: number, what: string): Uint8Array {
    return this.take(n, what);
  }
  end(): void {
    if (this.offset !== this.buf.length) throw malformed(`${this.buf.length - this.offset} trailing bytes`);
  }
}

function checkId(id: number, what: string): void {
  if (id < 1 || id > MAX_DKG_PARTICIPANTS) throw malformed(`${what} ${id} out of range 1..${MAX_DKG_PARTICIPANTS}`);
}

function isScalar(b: Uint8Array): boolean {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v < CURVE_ORDER;
}

function writeCommitment(w: Writer, c: DealerCommitment): void {
  if (c.commitments.length < 1 || c.commitments.length > MAX_DKG_PARTICIPANTS) {
    throw malformed(`commitment length ${c.commitments.length} out of range`);
  }
  w.u8(c.commitments.length);
  for (const p of c.commitments) w.bytes(p, G1_BYTES, "commitment point");
  w.bytes(c.pop, G2_BYTES, "pop");
}

function readCommitment(r: Reader): DealerCommitment {
  const t = r.u8("threshold");
  if (t < 1 || t > MAX_DKG_PARTICIPANTS) throw malformed(`commitment length ${t} out of range`);
  const commitments: Uint8Array[] = [];
  for (let k = 0; k < t; k++) commitments.push(r.bytes(G1_BYTES, "commitment point"));
  const pop = r.bytes(G2_BYTES, "pop");
  if (parseCommitmentPoints(commitments) === undefined) throw malformed("commitment point not in G1 subgroup");
  if (parsePopSignature(pop) === undefined) throw malformed("pop not a G2 subgroup point");
  return { commitments, pop };
}

/** Serialize a DKG message (validates lengths and ranges; does not re-check points it was given). */
export function encodeDkgMessage(msg: DkgMessage): Uint8Array {
  const w = new Writer();
  w.u8(DKG_WIRE_VERSION);
  w.u8(TYPE_CODES[msg.type]);
  w.bytes(msg.sessionId, 32, "sessionId");
  switch (msg.type) {
    case "commitment":
      w.u16(msg.dealer);
      writeCommitment(w, msg);
      break;
    case "share":
      w.u16(msg.dealer);
      w.u16(msg.recipient);
      w.bytes(msg.share, SCALAR_BYTES, "share");
      break;
    case "complaints":
      w.u16(msg.sender);
      w.u8(msg.views.length);
      for (const v of msg.views) {
        w.u8((v.commitmentDigest === null ? 0 : FLAG_HAS_DIGEST) | (v.complaint ? FLAG_COMPLAINT : 0));
        w.bytes(v.commitmentDigest ?? new Uint8Array(DIGEST_BYTES), DIGEST_BYTES, "digest");
      }
      break;
    case "answer":
      w.u16(msg.dealer);
      writeCommitment(w, msg);
      w.u8(msg.revealed.length);
      for (const s of msg.revealed) {
        w.u16(s.recipient);
        w.bytes(s.share, SCALAR_BYTES, "revealed share");
      }
      break;
  }
  return w.finish();
}

/**
 * Parse and strictly validate a DKG message: size bound, version, exact lengths, no trailing bytes, ids in range,
 * scalars < r, and subgroup/infinity checks on every point. Throws DkgMessageError.
 */
export function decodeDkgMessage(bytes: Uint8Array): DkgMessage {
  if (bytes.length > MAX_DKG_MESSAGE_BYTES) {
    throw new DkgMessageError({ code: "ERR_DKG_MESSAGE_TOO_LARGE", size: bytes.length, max: MAX_DKG_MESSAGE_BYTES });
  }
  if (bytes.length < HEADER_BYTES) throw malformed("shorter than the header");
  const r = new Reader(bytes);
  const version = r.u8("version");
  if (version !== DKG_WIRE_VERSION) throw new DkgMessageError({ code: "ERR_DKG_UNSUPPORTED_VERSION", version });
  const type = r.u8("type");
  const sessionId = r.bytes(32, "sessionId");
  const sender = r.u16("sender");
  checkId(sender, "sender");
  let msg: DkgMessage;
  switch (type) {
    case TYPE_CODES.commitment:
      msg = { type: "commitment", sessionId, dealer: sender, ...readCommitment(r) };
      break;
    case TYPE_CODES.share: {
      const recipient = r.u16("recipient");
      checkId(recipient, "recipient");
      const share = r.bytes(SCALAR_BYTES, "share");
      if (!isScalar(share)) throw malformed("share is not reduced mod r");
      msg = { type: "share", sessionId, dealer: sender, recipient, share };
      break;
    }
    case TYPE_CODES.complaints: {
      const n = r.u8("dealer count");
      if (n < 1 || n > MAX_DKG_PARTICIPANTS) throw malformed(`dealer count ${n} out of range`);
      const views: DkgDealerView[] = [];
      for (let i = 0; i < n; i++) {
        const flags = r.u8("flags");
        if ((flags & ~(FLAG_HAS_DIGEST | FLAG_COMPLAINT)) !== 0) throw malformed(`unknown flags ${flags}`);
        const digest = r.bytes(DIGEST_BYTES, "digest");
        const hasDigest = (flags & FLAG_HAS_DIGEST) !== 0;
        if (!hasDigest && digest.some((b) => b !== 0)) throw malformed("digest present without its flag");
        views.push({ commitmentDigest: hasDigest ? digest : null, complaint: (flags & FLAG_COMPLAINT) !== 0 });
      }
      msg = { type: "complaints", sessionId, sender, views };
      break;
    }
    case TYPE_CODES.answer: {
      const commitment = readCommitment(r);
      const k = r.u8("revealed count");
      if (k > MAX_DKG_PARTICIPANTS) throw malformed(`revealed count ${k} out of range`);
      const revealed: RevealedShare[] = [];
      let last = 0;
      for (let i = 0; i < k; i++) {
        const recipient = r.u16("recipient");
        checkId(recipient, "recipient");
        if (recipient <= last) throw malformed("revealed recipients not strictly ascending");
        last = recipient;
        const share = r.bytes(SCALAR_BYTES, "revealed share");
        if (!isScalar(share)) throw malformed("revealed share is not reduced mod r");
        revealed.push({ recipient, share });
      }
      msg = { type: "answer", sessionId, dealer: sender, ...commitment, revealed };
      break;
    }
    default:
      throw malformed(`unknown message type ${type}`);
  }
  r.end();
  return msg;
}
