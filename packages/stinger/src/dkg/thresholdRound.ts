import { combinePartialSignatures, type KeyShare, type PartialSignature, signPartial } from "@nektar/crypto";
import { BROADCAST, MessageKind } from "../p2p/envelope.ts";
import { askForMissing, type CeremonyContext } from "./ceremonyContext.ts";

export type ThresholdSignParameters = {
  round: number;
  /** Round name for progress events and metrics. */
  name: string;
  signingRoot: Uint8Array;
  /** This member's share of the signing key, or null for a member that only collects (the newcomer). */
  share: KeyShare | null;
  threshold: number;
  groupPublicKey: Uint8Array;
  /** Share public keys of the signing key, index = share index − 1. */
  sharePublicKeys: readonly Uint8Array[];
};

/**
 * Threshold-sign `signingRoot` with the shares of the cluster: broadcast this member's partial signature, combine as
 * soon as `threshold` partials interpolate to a signature that verifies against the group key (the combiner sets bad
 * partials aside). BLS signatures are unique, so every member ends with the same bytes whichever partials it used.
 * Returns null when no valid signature came together before the round's timeout.
 */
export async function thresholdSignRound(ctx: CeremonyContext, p: ThresholdSignParameters): Promise<Uint8Array | null> {
  const started = performance.now();
  ctx.progress({ type: "round-started", round: p.round, name: p.name });
  const partials: PartialSignature[] = [];
  if (p.share !== null) {
    const own = signPartial(p.share, p.signingRoot);
    partials.push(own);
    await ctx.network.send(MessageKind.depositPartialSignature, p.round, BROADCAST, own.signature);
  }
  let signature: Uint8Array | null = null;
  let tried = 0;
  await ctx.inbox.until(
    () => {
      for (const e of ctx.inbox.takeNew(p.round)) {
        if (e.message.kind === MessageKind.depositPartialSignature && e.message.payload.length === 96) {
          partials.push({ shareIndex: e.message.sender + 1, signature: e.message.payload });
        }
      }
      if (partials.length < p.threshold || partials.length === tried) return false;
      tried = partials.length;
      try {
        signature = combinePartialSignatures({
          partials,
          threshold: p.threshold,
          groupPublicKey: p.groupPublicKey,
          signingRoot: p.signingRoot,
          sharePublicKeys: [...p.sharePublicKeys],
        }).signature;
        return true;
      } catch {
        return false;
      }
    },
    ctx.timeouts.roundTimeoutMs,
    askForMissing(ctx, p.round),
  );
  const seconds = (performance.now() - started) / 1000;
  ctx.metrics.roundDuration.observe({ round: p.name }, seconds);
  ctx.progress({ type: "round-closed", round: p.round, name: p.name, seconds, missing: [] });
  return signature;
}
