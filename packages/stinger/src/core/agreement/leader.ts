/**
 * Leader rotation: `leader(duty, round) = (H(clusterId, slot, dutyType, validator) + round) mod n`, with H the first
 * 8 bytes of sha256 read as a big-endian integer. Every operator computes it locally from public data, so all honest
 * operators agree on the leader of every round, and consecutive rounds have consecutive (distinct) leaders.
 */
import { createHash } from "node:crypto";
import type { Duty } from "../interfaces.ts";
import { dutyTypes } from "../interfaces.ts";

/** The duty's leader offset; compute once per instance (leader of round r is `(offset + r) mod n`). */
export function leaderOffset(clusterId: Uint8Array, duty: Duty, n: number): number {
  const b = Buffer.alloc(8 + 1 + 8);
  b.writeBigUInt64BE(BigInt(duty.slot), 0);
  b.writeUInt8(dutyTypes.indexOf(duty.type), 8);
  b.writeBigUInt64BE(BigInt(duty.validator), 9);
  const digest = createHash("sha256").update(clusterId).update(b).digest();
  return Number(digest.readBigUInt64BE(0) % BigInt(n));
}

/** The operator index (0..n-1) leading `round` (≥ 1) of a duty. */
export function leaderOf(offset: number, round: number, n: number): number {
  return (offset + round) % n;
}
