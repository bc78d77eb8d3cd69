/**
 * QBFT justification checks, pure over the instance parameters: quorums of signed votes, prepared certificates attached
 * to round changes, and the justification a PRE-PREPARE of round > 1 must carry.
 */
import { byteArrayEquals } from "@chainsafe/ssz";
import { authenticate } from "./authenticate.ts";
import { decodePreparedCertificate, hashValue, MessageKind, type PreparedCertificate } from "./codec.ts";
import type { AgreementInstanceParams } from "./types.ts";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

/** Whether the envelopes hold a quorum of distinct, authentic votes of `kind` for (round, hash). */
export function hasQuorum(
  p: AgreementInstanceParams,
  envelopes: readonly Uint8Array[],
  kind: typeof MessageKind.prepare | typeof MessageKind.commit,
  round: number,
  h: Uint8Array,
): boolean {
  const senders = new Set<number>();
  for (const bytes of envelopes) {
    const auth = authenticate(p, bytes);
    if (!auth.ok) continue;
    const m = auth.envelope.message;
    if (m.kind === kind && m.round === round && byteArrayEquals(m.valueHash, h)) senders.add(m.from);
  }
  return senders.size >= p.config.quorum;
}

/** Decodes a round change's attachment and returns it if it proves "prepared (round, h)". */
export function verifyCertificate(
  p: AgreementInstanceParams,
  maxBytes: number,
  attachment: Uint8Array,
  round: number,
  h: string,
): PreparedCertificate | undefined {
  let cert: PreparedCertificate;
  try {
    cert = decodePreparedCertificate(attachment, maxBytes);
  } catch {
    return undefined;
  }
  if (hex(hashValue(cert.value)) !== h) return undefined;
  return hasQuorum(p, cert.prepares, MessageKind.prepare, round, Buffer.from(h, "hex")) ? cert : undefined;
}

/**
 * A PRE-PREPARE of round > 1 for the value with hash `h` is justified by a quorum of ROUND-CHANGE(round) and, if any of
 * them reports a prepared value, by a prepare quorum for the highest one — whose value must then be `h`.
 */
export function justifyPrePrepare(
  p: AgreementInstanceParams,
  round: number,
  h: string,
  justification: readonly Uint8Array[],
): boolean {
  const rcs = new Map<number, { preparedRound: number; preparedHash: string }>();
  const prepares: Uint8Array[] = [];
  for (const bytes of justification) {
    const auth = authenticate(p, bytes);
    if (!auth.ok) return false;
    const m = auth.envelope.message;
    if (m.kind === MessageKind.roundChange && m.round === round) {
      rcs.set(m.from, { preparedRound: m.preparedRound, preparedHash: hex(m.preparedValueHash) });
    } else if (m.kind === MessageKind.prepare) {
      prepares.push(bytes);
    } else {
      return false;
    }
  }
  if (rcs.size < p.config.quorum) return false;
  let highest = { preparedRound: 0, preparedHash: "" };
  for (const rc of rcs.values()) if (rc.preparedRound > highest.preparedRound) highest = rc;
  if (highest.preparedRound === 0) return true;
  if (highest.preparedHash !== h) return false;
  return hasQuorum(p, prepares, MessageKind.prepare, highest.preparedRound, Buffer.from(h, "hex"));
}
