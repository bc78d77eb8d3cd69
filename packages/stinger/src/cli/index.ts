import { LodestarError } from "@lodestar/utils";
import { Command } from "commander";
import { dkgCommand } from "./dkg.ts";
import { initCommand } from "./init.ts";
import { operatorCommand } from "./operator.ts";
import { runCommand } from "./run.ts";

const program = new Command("stinger")
  .description("Stinger: the Nektar operator client (identity, operator network, DKG ceremonies)")
  .showHelpAfterError()
  .addCommand(initCommand())
  .addCommand(dkgCommand())
  .addCommand(runCommand())
  .addCommand(operatorCommand());

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof LodestarError) {
    console.error(`error: ${e.type.code} ${JSON.stringify(e.getMetadata())}`);
  } else {
    console.error(`error: ${(e as Error).message}`);
  }
  process.exitCode = 1;
}
