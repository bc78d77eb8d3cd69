import { byteArrayEquals } from "@chainsafe/ssz";
import { bytesToHex } from "viem";
import type { IdentitySigner, IdentityVerifier } from "../identity/ed25519.ts";
import { BROADCAST, MessageKind } from "../p2p/envelope.ts";
import {
  askForMissing,
  type CeremonyContext,
  CeremonyRound,
  ROUND_NAMES,
  roundClosed,
  roundTimeoutError,
} from "./ceremonyContext.ts";
import { CeremonyError } from "./errors.ts";
import { type ClusterLock, computeLockHash, type LockBody, lockSigningRoot } from "./lock.ts";

/**
 * Every operator signs the lock hash with its identity key and broadcasts it; the lock is complete with the
 * signatures of all qualified dealers (the operators whose dealings make up the key). A qualified dealer signing a
 * different hash means honest operators computed different locks: the ceremony aborts rather than produce diverging
 * outputs. Disqualified operators are neither waited for nor recorded, so every honest node writes the same lock.
 * `alsoAwait` (0-based member indices) are waited for too but not recorded: a resharing's newcomer deals nothing, yet
 * no member may write the new lock before the newcomer has taken its share (it signs only after importing the
 * cluster's slashing-protection state).
 */
export async function approveLock(
  ctx: CeremonyContext,
  body: LockBody,
  signer: IdentitySigner,
  verifiers: IdentityVerifier[],
  alsoAwait: readonly number[] = [],
): Promise<ClusterLock> {
  const round = CeremonyRound.lockSignature;
  const name = ROUND_NAMES[round] as string;
  const started = performance.now();
  ctx.progress({ type: "round-started", round, name });
  const lockHash = computeLockHash(body);
  const root = lockSigningRoot(lockHash);
  const required = new Set(body.qualifiedDealers.map((id) => id - 1));
  const awaited = new Set([...required, ...alsoAwait]);
  const signatures: (Uint8Array | undefined)[] = ctx.definition.operators.map(() => undefined);
  signatures[ctx.selfIndex] = signer.sign(root);
  await ctx.network.send(
    MessageKind.lockSignature,
    round,
    BROADCAST,
    Buffer.concat([lockHash, signatures[ctx.selfIndex] as Uint8Array]),
  );
  const done = await ctx.inbox.until(
    () => {
      for (const e of ctx.inbox.takeNew(round)) {
        const p = e.message.payload;
        if (e.message.kind !== MessageKind.lockSignature || p.length !== 96) continue;
        const theirHash = p.subarray(0, 32);
        const signature = p.subarray(32);
        if (!awaited.has(e.message.sender)) continue;
        if (!verifiers[e.message.sender]?.verify(lockSigningRoot(theirHash), signature)) continue;
        if (!byteArrayEquals(theirHash, lockHash)) {
          throw new CeremonyError({
            code: "ERR_CEREMONY_LOCK_MISMATCH",
            operator: e.message.sender + 1,
            expected: bytesToHex(lockHash),
            got: bytesToHex(theirHash),
          });
        }
        signatures[e.message.sender] = Uint8Array.from(signature);
      }
      return [...awaited].every((i) => signatures[i] !== undefined);
    },
    ctx.timeouts.roundTimeoutMs,
    askForMissing(ctx, round),
  );
  if (!done) throw roundTimeoutError(ctx, round, (j) => awaited.has(j) && signatures[j] === undefined);
  roundClosed(ctx, round, started);
  return {
    ...body,
    lockHash: bytesToHex(lockHash),
    operatorSignatures: signatures.map((s, i) => (required.has(i) && s ? bytesToHex(s) : null)),
  };
}
