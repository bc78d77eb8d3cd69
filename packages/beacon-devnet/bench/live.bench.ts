// Does the live devnet keep its slots? Runs startDevnet with N validators and S-second slots on the wall clock for
// a number of epochs and prints the share of slots with a block and the finality reached.
// Run: npm run bench:live (BENCH_VALIDATORS=2048 BENCH_SECONDS_PER_SLOT=2 BENCH_EPOCHS=5 by default).
import "../src/preset.ts";
import { SLOTS_PER_EPOCH } from "@lodestar/params";
import { startDevnet } from "../src/node/devnet.ts";

const validators = Number(process.env.BENCH_VALIDATORS ?? 2048);
const secondsPerSlot = Number(process.env.BENCH_SECONDS_PER_SLOT ?? 2);
const epochs = Number(process.env.BENCH_EPOCHS ?? 5);

const started = Date.now();
const devnet = await startDevnet({ validators, secondsPerSlot });
const startupMs = Date.now() - started;
const firstSlot = devnet.clock.currentSlot() + 1;
const lastSlot = firstSlot + epochs * SLOTS_PER_EPOCH - 1;
await new Promise((r) => setTimeout(r, devnet.clock.slotStartMs(lastSlot + 1) - Date.now() + 200));
let filled = 0;
for (let s = firstSlot; s <= lastSlot; s++) if (devnet.chain.getCanonicalBlockAtSlot(s) !== undefined) filled++;
const finalized = devnet.chain.finalizedCheckpoint.epoch;
const justified = devnet.chain.justifiedCheckpoint.epoch;
await devnet.stop();

console.log("beacon-devnet: live slots kept (wall clock, built-in validator client, Beacon API up)");
console.log("| validators | s/slot | genesis+start ms | slots | slots with a block | justified | finalized |");
console.log("| ---------: | -----: | ---------------: | ----: | -----------------: | --------: | --------: |");
console.log(
  `| ${validators} | ${secondsPerSlot} | ${startupMs} | ${firstSlot}..${lastSlot} | ${filled}/${lastSlot - firstSlot + 1} | ${justified} | ${finalized} |`,
);
