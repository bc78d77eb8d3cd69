import { readFileSync } from "node:fs";
import { Command } from "commander";
import { verifyClusterLock } from "../dkg/verifyLock.ts";

export function verifyCommand(): Command {
  return new Command("verify")
    .description(
      "Check a cluster lock and its deposit data independently (keys, SSZ roots, BLS deposit signature, operator signatures)",
    )
    .argument("<lock>", "cluster-lock.json to check")
    .action((lockPath: string) => {
      const { lock, definition } = verifyClusterLock(JSON.parse(readFileSync(lockPath, "utf8")));
      console.log(`Lock OK: ${lockPath}`);
      console.log(`  lock hash:        ${lock.lockHash}`);
      console.log(`  validator pubkey: ${lock.groupPublicKey}`);
      console.log(`  threshold:        ${lock.threshold} of ${definition.operators.length}`);
      console.log(`  qualified dealers: ${lock.qualifiedDealers.join(",")}`);
      console.log(
        `  deposit data root: 0x${lock.depositData.deposit_data_root} (signature verifies against the validator key)`,
      );
    });
}
