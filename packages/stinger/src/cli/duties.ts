import { CliUsageError } from "@nektar/sdk";
import { Command } from "commander";
import type { DutyRecord } from "../core/tracker/tracker.ts";
import type { CliIo } from "./io.ts";
import { addCommonOptions, type CommonFlags, configFrom } from "./options.ts";

type DutiesFlags = CommonFlags & { url?: string; limit: string; json?: boolean };

type ListedDuty = DutyRecord & { clusterId: string };

function outcomeText(d: ListedDuty): string {
  const o = d.outcome;
  if (o === undefined) return "pending";
  if (o.status === "included") return `included at slot ${o.inclusionSlot}`;
  if (o.status === "missed") return "missed";
  return `failed at ${o.step}: ${o.reason}`;
}

/**
 * `stinger duties`: the recent duties of a running node (`GET /duties` of its status server) — outcome, the step
 * times and which operators' shares made each group signature.
 */
export function dutiesCommand(io: CliIo): Command {
  return addCommonOptions(new Command("duties"))
    .description("List the recent duties of the running `stinger run` (outcome and contributing shares)")
    .option("--url <url>", "status server of the node (default: http://<metricsHost>:<metricsPort> from the config)")
    .option("--limit <n>", "how many duties, newest first", "64")
    .option("--json", "print the duties as JSON")
    .action(async (flags: DutiesFlags) => {
      const limit = Number(flags.limit);
      if (!/^\d+$/.test(flags.limit) || limit < 1 || limit > 2048) {
        throw new CliUsageError(`--limit must be an integer 1..2048, got ${flags.limit}`);
      }
      const config = configFrom(flags);
      const base = flags.url ?? `http://${config.metrics.host}:${config.metrics.port}`;
      let duties: ListedDuty[];
      try {
        const res = await fetch(`${base.replace(/\/$/, "")}/duties?limit=${limit}`, {
          signal: AbortSignal.timeout(5000),
        });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        duties = ((await res.json()) as { duties: ListedDuty[] }).duties;
      } catch (e) {
        throw new CliUsageError(
          `cannot read the duties from ${base}: ${(e as Error).message}`,
          "Is `stinger run` running with its status server (not --no-metrics)? Pass its address with --url.",
        );
      }
      if (flags.json) {
        io.out(JSON.stringify({ duties }));
        return;
      }
      if (duties.length === 0) {
        io.out("No duties yet.");
        return;
      }
      io.out("slot      duty                       validator  outcome                      shares");
      for (const d of duties) {
        io.out(
          `${String(d.slot).padEnd(9)} ${d.type.padEnd(26)} ${String(d.validator).padEnd(10)} ${outcomeText(d).padEnd(28)} ${
            d.contributors?.join(",") ?? "-"
          }`,
        );
      }
    });
}
