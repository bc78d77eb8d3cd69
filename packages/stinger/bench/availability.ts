/**
 * Availability bench: does a distributed validator keep earning when its operators' nodes go down?
 *
 * Runs the real duty pipeline in process (see `availability/run.ts`) for several epochs of compressed mainnet timing
 * (minimal preset: 8-slot epochs; `--slot-seconds`), every node down `1 − uptime` of the time in random outages of
 * `--outage-slots` mean length, and reports per cluster shape and agreement protocol: the attestation, proposal and
 * sync committee duty success rates with 95% Wilson intervals, and the validator's earned reward as a fraction of a
 * perfect validator's (read through the standard rewards endpoints) with a 95% interval over epochs — next to the
 * same numbers for the devnet's own validators, which never go down (what the host and chain lost by themselves);
 * then the attestation pipeline's timeline (fetched, decided, signed, combined, broadcast: seconds from the slot start)
 * grouped by how many of the duty's first agreement rounds had a down leader — how much of a loss is the pipeline.
 *
 *   node bench/availability.ts                       16/11, 10/7, 4/4 × one-round, QBFT; 6 epochs each
 *   node bench/availability.ts --quick               16/11 one-round, 2 epochs (what the unit test runs)
 *   node bench/availability.ts --down 5              5 of 16 nodes down the whole time (no random outages)
 *   options: --epochs N --clusters 16/11,4/4 --protocols one-round,qbft --uptime 0.95 --outage-slots 8
 *            --slot-seconds 2 --validators 2 --seed 1 --json
 */
import "@nektar/beacon-devnet";
import { parseArgs } from "node:util";
import type { AgreementProtocol } from "../src/core/agreement/types.ts";
import { type DutyTally, earnedFraction, meanInterval, wilson } from "./availability/effectiveness.ts";
import { type AvailabilityResult, type AvailabilityRun, runAvailability } from "./availability/run.ts";
import { formatTimeline } from "./availability/timeline.ts";

export type BenchOptions = {
  quick: boolean;
  epochs?: number;
  clusters?: string;
  protocols?: string;
  uptime?: number;
  outageSlots?: number;
  slotSeconds?: number;
  validators?: number;
  seed?: number;
  down?: number;
};

/** The runs a bench invocation makes. */
export function planRuns(o: BenchOptions): AvailabilityRun[] {
  const clusters = (o.clusters ?? (o.quick ? "16/11" : "16/11,10/7,4/4")).split(",").map((s) => {
    const [n, t] = s.split("/").map(Number);
    if (!Number.isInteger(n) || !Number.isInteger(t) || (t as number) > (n as number) || (t as number) < 1)
      throw new RangeError(`bad cluster ${s}: use operators/threshold, e.g. 16/11`);
    return { operators: n as number, threshold: t as number };
  });
  const protocols = (o.protocols ?? (o.quick ? "one-round" : "one-round,qbft")).split(",") as AgreementProtocol[];
  for (const p of protocols) if (p !== "one-round" && p !== "qbft") throw new RangeError(`unknown protocol ${p}`);
  if (o.down !== undefined)
    for (const { operators } of clusters)
      if (!Number.isInteger(o.down) || o.down < 0 || o.down >= operators)
        throw new RangeError(
          `--down ${o.down} needs clusters of more operators (got ${operators}): e.g. --clusters 16/11`,
        );
  return clusters.flatMap(({ operators, threshold }) =>
    protocols.map((protocol) => ({
      operators,
      threshold,
      protocol,
      epochs: o.epochs ?? (o.quick ? 2 : 6),
      secondsPerSlot: o.slotSeconds ?? 2,
      validators: o.validators ?? 2,
      interop: 32,
      model: { uptime: o.uptime ?? 0.95, meanOutageSlots: o.outageSlots ?? (o.quick ? 4 : 8) },
      seed: o.seed ?? 1,
      ...(o.down === undefined ? {} : { fixedDown: Array.from({ length: o.down }, (_, i) => i) }),
    })),
  );
}

const pct = (x: number) => (Number.isNaN(x) ? "n/a" : `${(100 * x).toFixed(2)}%`);
const rate = (t: DutyTally) => {
  const [lo, hi] = wilson(t.succeeded, t.duties);
  return t.duties === 0 ? "—" : `${t.succeeded}/${t.duties} ${pct(t.succeeded / t.duties)} [${pct(lo)}, ${pct(hi)}]`;
};

/** One table row per run (markdown). */
export function formatTable(results: readonly AvailabilityResult[]): string {
  const lines = [
    "| cluster | protocol | uptime | outages | attestations (timely s+t+h) | proposals | sync | earned (95% CI) | devnet's own |",
    "|---|---|---|---|---|---|---|---|---|",
  ];
  for (const r of results) {
    const m = meanInterval(r.measured.perEpoch);
    lines.push(
      `| ${r.run.threshold}-of-${r.run.operators} | ${r.run.protocol} | ${pct(r.uptime)} | ${r.outages} | ` +
        `${rate(r.measured.attestations)} | ${rate(r.measured.proposals)} | ${rate(r.measured.sync)} | ` +
        `${pct(earnedFraction(r.measured))} [${pct(m.low)}, ${pct(m.high)}] | ${pct(earnedFraction(r.reference))} |`,
    );
  }
  return lines.join("\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
      epochs: { type: "string" },
      clusters: { type: "string" },
      protocols: { type: "string" },
      uptime: { type: "string" },
      "outage-slots": { type: "string" },
      "slot-seconds": { type: "string" },
      validators: { type: "string" },
      seed: { type: "string" },
      down: { type: "string" },
    },
  });
  const num = (s: string | undefined) => (s === undefined ? undefined : Number(s));
  const opts: BenchOptions = { quick: values.quick };
  for (const [key, value] of [
    ["epochs", num(values.epochs)],
    ["uptime", num(values.uptime)],
    ["outageSlots", num(values["outage-slots"])],
    ["slotSeconds", num(values["slot-seconds"])],
    ["validators", num(values.validators)],
    ["seed", num(values.seed)],
    ["down", num(values.down)],
  ] as const)
    if (value !== undefined) Object.assign(opts, { [key]: value });
  if (values.clusters !== undefined) opts.clusters = values.clusters;
  if (values.protocols !== undefined) opts.protocols = values.protocols;
  const results: AvailabilityResult[] = [];
  for (const run of planRuns(opts)) {
    const started = Date.now();
    const r = await runAvailability(run);
    results.push(r);
    console.error(
      `${run.threshold}-of-${run.operators} ${run.protocol}: ${((Date.now() - started) / 1000).toFixed(0)} s, ` +
        `earned ${pct(earnedFraction(r.measured))}`,
    );
  }
  if (values.json) console.log(JSON.stringify(results));
  else {
    console.log(formatTable(results));
    console.log(
      "\nAttestation pipeline, seconds from the slot start (p50 / p90 over duties of the median over nodes), by how many" +
        " of the first agreement rounds had a down leader:",
    );
    for (const r of results)
      console.log(`\n${formatTimeline(`${r.run.threshold}-of-${r.run.operators} ${r.run.protocol}`, r.timeline)}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
