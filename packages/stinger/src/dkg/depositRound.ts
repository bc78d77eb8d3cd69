import type { DkgResult } from "@nektar/crypto";
import { hexToBytes } from "viem";
import { type CeremonyContext, CeremonyRound, ROUND_NAMES } from "./ceremonyContext.ts";
import { type DepositInput, depositSigningRoot, verifyDepositSignature } from "./deposit.ts";
import { CeremonyError } from "./errors.ts";
import { thresholdSignRound } from "./thresholdRound.ts";

/**
 * Threshold-sign the deposit message with the new key's shares (see {@link thresholdSignRound}): every node ends with
 * the same signature bytes.
 */
export async function signDepositThreshold(
  ctx: CeremonyContext,
  dkg: DkgResult,
): Promise<{ input: DepositInput; signature: Uint8Array }> {
  const { definition } = ctx;
  const round = CeremonyRound.depositSignature;
  const input: DepositInput = {
    pubkey: dkg.groupPublicKey,
    withdrawalCredentials: hexToBytes(definition.withdrawalCredentials),
    amountGwei: definition.depositAmountGwei,
    forkVersion: hexToBytes(definition.forkVersion),
  };
  const signature = await thresholdSignRound(ctx, {
    round,
    name: ROUND_NAMES[round] as string,
    signingRoot: depositSigningRoot(input),
    share: dkg.keyShare,
    threshold: definition.threshold,
    groupPublicKey: dkg.groupPublicKey,
    sharePublicKeys: dkg.sharePublicKeys,
  });
  if (signature === null) {
    throw new CeremonyError({
      code: "ERR_CEREMONY_DEPOSIT_SIGNATURE",
      reason: `fewer than ${definition.threshold} valid partial signatures within ${ctx.timeouts.roundTimeoutMs} ms`,
    });
  }
  if (!verifyDepositSignature(input, signature)) {
    throw new CeremonyError({ code: "ERR_CEREMONY_DEPOSIT_SIGNATURE", reason: "combined signature does not verify" });
  }
  return { input, signature };
}
