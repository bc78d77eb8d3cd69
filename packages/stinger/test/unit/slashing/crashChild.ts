/**
 * Child process for the crash test: signs attestation batches in a loop and prints `acked <target>` after each batch's
 * checkAndInsert resolved (i.e. after fsync). The parent kills it with SIGKILL at a random moment.
 * argv: dir gvr validators firstTarget compactAfterBytes
 */
import { SlashingProtectionDB } from "../../../src/slashing/db.ts";

const [dir, gvr, n, first, compactAfter] = process.argv.slice(2);
if (!dir || !gvr || !n || !first || !compactAfter)
  throw new Error("usage: dir gvr validators firstTarget compactAfter");
const db = await SlashingProtectionDB.open({
  dir,
  genesisValidatorsRoot: gvr,
  compactAfterBytes: Number(compactAfter),
});
const pubkeys = Array.from({ length: Number(n) }, (_, i) => `0x${i.toString(16).padStart(96, "0")}`);
process.stdout.write("ready\n");
for (let target = BigInt(first); ; target++) {
  const verdicts = await db.checkAndInsertAttestations(
    pubkeys.map((pubkey) => ({
      pubkey,
      source: target - 1n,
      target,
      signingRoot: `0x${"aa".repeat(24)}${target.toString(16).padStart(16, "0")}`,
    })),
  );
  if (verdicts.some((v) => !v.ok)) throw new Error(`refused at target ${target}`);
  process.stdout.write(`acked ${target}\n`);
}
