import { combinePartialSignatures, ThresholdError } from "@nektar/crypto";
import { type AggregatedSignature, dutyKey, type PartialSignature, type SigAgg } from "../interfaces.ts";
import { PipelineError } from "../pipelineError.ts";
import type { ValidatorKeys } from "../signer/validatorKeys.ts";

/** Called with the share indices whose partials did not verify (attributed faults). */
export type BadPartialHandler = (duty: PartialSignature["duty"], shareIndices: number[]) => void;

/**
 * Combines ≥ threshold partials of one duty and signing root with `@nektar/crypto`'s optimistic combine: interpolate,
 * verify once against the group key; only on failure is each partial checked, and the bad ones are reported.
 */
export class ThresholdSigAgg implements SigAgg {
  private readonly keys: ValidatorKeys;
  private readonly threshold: number;
  private readonly onBad: BadPartialHandler;

  constructor(opts: { keys: ValidatorKeys; threshold: number; onBadPartials?: BadPartialHandler }) {
    this.keys = opts.keys;
    this.threshold = opts.threshold;
    this.onBad = opts.onBadPartials ?? (() => {});
  }

  async aggregate(partials: readonly PartialSignature[]): Promise<AggregatedSignature> {
    const first = partials[0];
    if (first === undefined)
      throw new PipelineError({ code: "ERR_DUTY_DATA_INVALID", reason: "no partials to combine" });
    const key = dutyKey(first.duty);
    const root = Buffer.from(first.signingRoot);
    if (partials.some((p) => dutyKey(p.duty) !== key || !root.equals(p.signingRoot))) {
      throw new PipelineError({
        code: "ERR_DUTY_DATA_INVALID",
        reason: `partials of ${key} differ in duty or signing root`,
      });
    }
    const v = this.keys.get(first.duty.validator);
    try {
      const out = combinePartialSignatures({
        partials: partials.map((p) => ({ operatorId: p.shareIndex, signature: p.signature })),
        threshold: this.threshold,
        groupPublicKey: v.groupPublicKey,
        signingRoot: first.signingRoot,
        sharePublicKeys: v.sharePublicKeys,
      });
      if (out.bad.length > 0) this.onBad(first.duty, out.bad);
      return { duty: first.duty, signingRoot: first.signingRoot, signature: out.signature };
    } catch (e) {
      if (e instanceof ThresholdError && e.type.code === "ERR_THRESHOLD_INSUFFICIENT_PARTIALS") {
        const meta = e.type;
        const bad = meta.bad === "" ? [] : meta.bad.split(",").map(Number);
        if (bad.length > 0) this.onBad(first.duty, bad);
        throw new PipelineError({
          code: "ERR_DUTY_INSUFFICIENT_PARTIALS",
          duty: key,
          have: meta.have,
          need: meta.need,
          bad: meta.bad,
        });
      }
      throw e;
    }
  }
}
