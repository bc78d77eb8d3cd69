import { combinePartialSignatures, type DkgResult, type PartialSignature, signPartial } from "@nektar/crypto";
import { hexToBytes } from "viem";
import { BROADCAST, MessageKind } from "../p2p/envelope.ts";
import { askForMissing, type CeremonyContext, CeremonyRound, ROUND_NAMES } from "./ceremonyContext.ts";
import { type DepositInput, depositSigningRoot, verifyDepositSignature } from "./deposit.ts";
import { CeremonyError } from "./errors.ts";

/**
 * Threshold-sign the deposit message: broadcast this share's partial signature, combine as soon as `threshold`
 * partials interpolate to a signature that verifies against the group key (bad partials are set aside by the
 * combiner). BLS signatures are unique, so every node gets the same bytes whichever partials it used.
 */
export async function signDepositThreshold(
  ctx: CeremonyContext,
  dkg: DkgResult,
): Promise<{ input: DepositInput; signature: Uint8Array }> {
  const { definition } = ctx;
  const round = CeremonyRound.depositSignature;
  const started = performance.now();
  ctx.progress({ type: "round-started", round, name: ROUND_NAMES[round] as string });
  const input: DepositInput = {
    pubkey: dkg.groupPublicKey,
    withdrawalCredentials: hexToBytes(definition.withdrawalCredentials),
    amountGwei: definition.depositAmountGwei,
    forkVersion: hexToBytes(definition.forkVersion),
  };
  const signingRoot = depositSigningRoot(input);
  const own = signPartial(dkg.keyShare, signingRoot);
  await ctx.network.send(MessageKind.depositPartialSignature, round, BROADCAST, own.signature);
  const partials: PartialSignature[] = [own];
  let signature: Uint8Array | null = null;
  let tried = 0;
  const done = await ctx.inbox.until(
    () => {
      for (const e of ctx.inbox.takeNew(round)) {
        if (e.message.kind === MessageKind.depositPartialSignature && e.message.payload.length === 96) {
          partials.push({ shareIndex: e.message.sender + 1, signature: e.message.payload });
        }
      }
      if (partials.length < definition.threshold || partials.length === tried) return false;
      tried = partials.length;
      try {
        signature = combinePartialSignatures({
          partials,
          threshold: definition.threshold,
          groupPublicKey: dkg.groupPublicKey,
          signingRoot,
          sharePublicKeys: dkg.sharePublicKeys,
        }).signature;
        return true;
      } catch {
        return false;
      }
    },
    ctx.timeouts.roundTimeoutMs,
    askForMissing(ctx, round),
  );
  if (!done || signature === null) {
    throw new CeremonyError({
      code: "ERR_CEREMONY_DEPOSIT_SIGNATURE",
      reason: `only ${partials.length} partial signatures (need ${definition.threshold} valid) within ${ctx.timeouts.roundTimeoutMs} ms`,
    });
  }
  if (!verifyDepositSignature(input, signature)) {
    throw new CeremonyError({ code: "ERR_CEREMONY_DEPOSIT_SIGNATURE", reason: "combined signature does not verify" });
  }
  const seconds = (performance.now() - started) / 1000;
  ctx.metrics.roundDuration.observe({ round: ROUND_NAMES[round] as string }, seconds);
  ctx.progress({ type: "round-closed", round, name: ROUND_NAMES[round] as string, seconds, missing: [] });
  return { input, signature };
}
