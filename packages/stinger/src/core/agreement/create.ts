import { AgreementError } from "./errors.ts";
import { OneRoundAgreement } from "./oneRound.ts";
import { QbftAgreement } from "./qbft.ts";
import type { AgreementConfig, AgreementInstance, AgreementInstanceParams } from "./types.ts";

/** Checks a configuration once at startup; throws `ERR_AGREEMENT_CONFIG_INVALID` with the reason. */
export function validateAgreementConfig(c: AgreementConfig): void {
  const fail = (reason: string) => new AgreementError({ code: "ERR_AGREEMENT_CONFIG_INVALID", reason });
  if (c.protocol !== "one-round" && c.protocol !== "qbft") throw fail(`unknown protocol ${String(c.protocol)}`);
  if (c.clusterId.length !== 32) throw fail("clusterId must be 32 bytes");
  if (!Number.isInteger(c.operators) || c.operators < 1 || c.operators > 65535)
    throw fail("operators must be 1..65535");
  // Two quorums must intersect in an honest operator: 2q − n > f with f = ⌊(n−1)/3⌋.
  const f = Math.floor((c.operators - 1) / 3);
  if (!Number.isInteger(c.quorum) || c.quorum > c.operators || 2 * c.quorum - c.operators <= f) {
    throw fail(`quorum ${c.quorum} too small for ${c.operators} operators (need 2q − n > ${f})`);
  }
  if (!Number.isInteger(c.maxRounds) || c.maxRounds < 1) throw fail("maxRounds must be ≥ 1");
  if (!(c.roundTimeoutMs(1) > 0)) throw fail("roundTimeoutMs must be positive");
}

/** Creates the agreement instance of one duty with the configured protocol (one-round or QBFT). */
export function createAgreement(params: AgreementInstanceParams): AgreementInstance {
  if (params.selfMember < 0 || params.selfMember >= params.config.operators) {
    throw new AgreementError({
      code: "ERR_AGREEMENT_CONFIG_INVALID",
      reason: `selfMember ${params.selfMember} out of range`,
    });
  }
  return params.config.protocol === "qbft" ? new QbftAgreement(params) : new OneRoundAgreement(params);
}
