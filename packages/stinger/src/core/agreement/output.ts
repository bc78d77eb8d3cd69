import type { AgreementDecision, AgreementFault } from "./types.ts";

/** The mutable form of `AgreementOutput` that handlers fill in. */
export type OutputBuilder = { broadcast: Uint8Array[]; decided?: AgreementDecision; faults: AgreementFault[] };

export function emptyOutput(): OutputBuilder {
  return { broadcast: [], faults: [] };
}

export function withFault(out: OutputBuilder, fault: AgreementFault): OutputBuilder {
  out.faults.push(fault);
  return out;
}
