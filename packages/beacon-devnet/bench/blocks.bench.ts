// Blocks per second produced and imported (full verification: proposer, signatures, state root) with the
// built-in validator client attesting every slot, for 64 / 512 / 2,048 validators. Run: npm run bench.
import "../src/preset.ts";
import { SLOTS_PER_EPOCH } from "@lodestar/params";
import { ChainSimulator } from "../src/node/simulator.ts";

const sizes = (process.env.BENCH_VALIDATORS ?? "64,512,2048").split(",").map(Number);
const epochs = Number(process.env.BENCH_EPOCHS ?? 3);

type Row = {
  validators: number;
  slots: number;
  blocksPerSecond: number;
  blockMs: number;
  attestMs: number;
  maxSlotMs: number;
  finalized: number;
};
const rows: Row[] = [];

for (const validators of sizes) {
  const sim = new ChainSimulator({ validators });
  // Warm-up epoch (JIT, caches) is not measured.
  for (let i = 0; i < SLOTS_PER_EPOCH; i++) sim.step();
  const slots = epochs * SLOTS_PER_EPOCH;
  let max = 0;
  let blockNs = 0n;
  let attestNs = 0n;
  for (let i = 0; i < slots; i++) {
    const t0 = process.hrtime.bigint();
    sim.step({ attest: false });
    const t1 = process.hrtime.bigint();
    sim.validatorClient.attest(sim.slot);
    const t2 = process.hrtime.bigint();
    blockNs += t1 - t0;
    attestNs += t2 - t1;
    const ms = Number(t2 - t0) / 1e6;
    if (ms > max) max = ms;
  }
  const blockMs = Number(blockNs) / 1e6;
  rows.push({
    validators,
    slots,
    blocksPerSecond: round((slots / blockMs) * 1000),
    blockMs: round(blockMs / slots),
    attestMs: round(Number(attestNs) / 1e6 / slots),
    maxSlotMs: round(max),
    finalized: sim.chain.finalizedCheckpoint.epoch,
  });
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

console.log("beacon-devnet: blocks produced + imported (full verification), every held validator attesting each slot");
console.log(
  "| validators | slots | blocks/s (produce+import) | ms/block | ms/slot attesting | max ms/slot (all work) | finalized epoch |",
);
console.log(
  "| ---------: | ----: | ------------------------: | -------: | ----------------: | ---------------------: | --------------: |",
);
for (const r of rows) {
  console.log(
    `| ${r.validators} | ${r.slots} | ${r.blocksPerSecond} | ${r.blockMs} | ${r.attestMs} | ${r.maxSlotMs} | ${r.finalized} |`,
  );
}
