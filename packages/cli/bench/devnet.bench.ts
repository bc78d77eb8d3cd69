// Benchmark of `npm start` (devnet up with its defaults): time to each milestone, to the first finalized epoch and to
// the first attestation of a distributed validator included on chain (request → DKG → deposit → activation → duty),
// and the peak memory of the whole devnet (orchestrator + every child incl. the Stinger nodes, sampled from /proc each
// 500 ms). Env: SLOT_SECONDS (default: npm start's), OPERATORS (default 20).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beaconHead } from "../src/devnet/beacon.ts";
import { readState } from "../src/devnet/state.ts";
import { DEFAULT_SLOT_SECONDS, devnetUp } from "../src/devnet/up.ts";

const slotSeconds = Number(process.env.SLOT_SECONDS ?? DEFAULT_SLOT_SECONDS);
const operators = Number(process.env.OPERATORS ?? 20);
const dir = mkdtempSync(join(tmpdir(), "nektar-bench-"));

function rssKiB(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+) kB/);
    return line ? Number(line[1]) : 0;
  } catch {
    return 0;
  }
}

let peakKiB = 0;
const sampler = setInterval(() => {
  const pids = [process.pid, ...(readState(dir)?.processes ?? []).map((p) => p.pid)];
  peakKiB = Math.max(
    peakKiB,
    pids.reduce((sum, pid) => sum + rssKiB(pid), 0),
  );
}, 500);

const t0 = performance.now();
const devnet = await devnetUp({
  dir,
  operators,
  stakers: 4,
  slotSeconds,
  validators: 2,
  resume: false,
  rpcPort: 0,
  beaconPort: 0,
  marketplacePort: 0,
  interopValidators: 64,
});
let finalizedMs: number | undefined;
const deadline = Date.now() + 900_000;
while (Date.now() < deadline) {
  if (finalizedMs === undefined) {
    const head = await beaconHead(devnet.beaconUrl).catch(() => undefined);
    if (head && head.finalizedEpoch >= 1) finalizedMs = performance.now() - t0;
  }
  if (finalizedMs !== undefined && devnet.milestones.has("dvAttestation")) break;
  await new Promise((r) => setTimeout(r, 250));
}
await devnet.stop();
clearInterval(sampler);
rmSync(dir, { recursive: true, force: true });

const s = (ms: number | undefined) => (ms === undefined ? "—" : `${(ms / 1000).toFixed(1)} s`);
const m = (name: string) => s(devnet.milestones.get(name));
const rows: [string, string][] = [
  ["Hardhat node up", m("evm")],
  ["beacon devnet up (bridged; its clock starts)", m("beacon")],
  ["contracts deployed (manifest)", m("deployed")],
  [`${operators} operator identities (stinger init)`, m("identities")],
  [`${operators} operators registered + bonded`, m("operators")],
  [`${operators} Stinger nodes running`, m("stingers")],
  ["first finalized epoch (target ≤ 60 s)", s(finalizedMs)],
  ["first validator requested", m("requested")],
  ["first DV deposited (DKG done, result submitted)", m("deposited")],
  ["first DV active on the beacon chain", m("dvActive")],
  ["first DV attestation included (block slot start)", m("dvAttestation")],
  ["peak RSS of the whole devnet", `${(peakKiB / 1024).toFixed(0)} MiB`],
];
console.log(`devnet up: ${operators} operators, ${slotSeconds} s slots, 64 interop validators (shared 2-core machine)`);
console.log("| milestone | time from start |");
console.log("| --- | --- |");
for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
