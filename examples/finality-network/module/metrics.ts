import { Counter, type Registry } from "prom-client";

/** The module's own metrics, named after the module (`stinger_network_<name>_…`, dashes as underscores). */
export type FinalityModuleMetrics = ReturnType<typeof createFinalityModuleMetrics>;

export function createFinalityModuleMetrics(registry: Registry, moduleName: string) {
  const prefix = `stinger_network_${moduleName.replaceAll("-", "_")}`;
  return {
    statementsSigned: new Counter({
      name: `${prefix}_statements_signed_total`,
      help: "Finalized checkpoints this operator signed with its Network key",
      registers: [registry],
    }),
    certificatesSubmitted: new Counter({
      name: `${prefix}_certificates_submitted_total`,
      help: "Certificates this operator submitted as the epoch's aggregator",
      registers: [registry],
    }),
    certificatesSeen: new Counter({
      name: `${prefix}_certificates_seen_total`,
      help: "Certificates that landed on the relay, by whether this operator's signature is in them",
      labelNames: ["signed"] as const,
      registers: [registry],
    }),
    offencesSeen: new Counter({
      name: `${prefix}_offences_seen_total`,
      help: "Offences proven on the relay, by whether this operator is the offender",
      labelNames: ["self"] as const,
      registers: [registry],
    }),
    evidenceSubmitted: new Counter({
      name: `${prefix}_slashing_evidence_submitted_total`,
      help: "Equivocation evidence this operator submitted to the NetworkRegistry",
      registers: [registry],
    }),
  };
}
