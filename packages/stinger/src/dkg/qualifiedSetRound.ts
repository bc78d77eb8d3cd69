import { createHash } from "node:crypto";
import { byteArrayEquals } from "@chainsafe/ssz";
import type { DkgResult } from "@nektar/crypto";
import { bytesToHex } from "viem";
import { BROADCAST, MessageKind } from "../p2p/envelope.ts";
import {
  askForMissing,
  type CeremonyContext,
  CeremonyRound,
  others,
  ROUND_NAMES,
  roundClosed,
  roundTimeoutError,
} from "./ceremonyContext.ts";
import { CeremonyError } from "./errors.ts";

const DOMAIN = "nektar/stinger/dkg-qualified-set/v1";

/** Digest of what a DKG decided: the qualified dealers, the group key and every share's public key. */
export function qualifiedSetDigest(dkg: Pick<DkgResult, "qualified" | "groupPublicKey" | "sharePublicKeys">): Buffer {
  const h = createHash("sha256").update(DOMAIN);
  h.update(Uint8Array.of(dkg.qualified.length, ...dkg.qualified));
  h.update(dkg.groupPublicKey);
  for (const key of dkg.sharePublicKeys) h.update(key);
  return h.digest();
}

/**
 * The echo of the qualified set: every operator broadcasts the signed digest of its DKG outcome and waits for the
 * same digest from every other operator it qualified. One different digest from a qualified operator aborts the
 * ceremony here, before anything is signed with the new key, so honest members either all hold the same qualified set
 * and key or all abort; silence aborts at the deadline. A dealer this node disqualified is not waited for and its
 * digest does not count: reliable broadcast keeps every honest dealer qualified in every honest view (f ≤ n − t), so a
 * disqualified dealer is a faulty one, whose own view naturally differs — it must not be able to stop the others.
 */
export async function confirmQualifiedSet(ctx: CeremonyContext, dkg: DkgResult): Promise<void> {
  const round = CeremonyRound.qualifiedSet;
  const started = performance.now();
  ctx.progress({ type: "round-started", round, name: ROUND_NAMES[round] as string });
  const digest = qualifiedSetDigest(dkg);
  await ctx.network.send(MessageKind.qualifiedSet, round, BROADCAST, digest);
  const qualified = new Set(dkg.qualified.map((dealer) => dealer - 1));
  const required = others(ctx).filter((j) => qualified.has(j));
  const confirmed = new Set<number>();
  const done = await ctx.inbox.until(
    () => {
      for (const e of ctx.inbox.takeNew(round)) {
        const p = e.message.payload;
        if (e.message.kind !== MessageKind.qualifiedSet || e.message.recipient !== BROADCAST || p.length !== 32) {
          continue;
        }
        if (!qualified.has(e.message.sender)) continue;
        if (!byteArrayEquals(p, digest)) {
          throw new CeremonyError({
            code: "ERR_CEREMONY_QUALIFIED_SET_MISMATCH",
            operator: e.message.sender + 1,
            expected: bytesToHex(digest),
            got: bytesToHex(p),
          });
        }
        confirmed.add(e.message.sender);
      }
      return required.every((j) => confirmed.has(j));
    },
    ctx.timeouts.roundTimeoutMs,
    askForMissing(ctx, round),
  );
  if (!done) throw roundTimeoutError(ctx, round, (j) => qualified.has(j) && !confirmed.has(j));
  roundClosed(ctx, round, started);
}
