import { Command } from "commander";
import { dkgCommand } from "./dkg.ts";
import { dutiesCommand } from "./duties.ts";
import { initCommand } from "./init.ts";
import { type CliIo, configureCliProgram } from "./io.ts";
import { operatorCommand } from "./operator.ts";
import { runCommand } from "./run.ts";
import { slashingCommand } from "./slashing.ts";

/** The `stinger` command tree. Errors are thrown (exitOverride) so that `runStinger` decides how to print them. */
export function buildStingerProgram(io: CliIo): Command {
  return configureCliProgram(
    new Command("stinger")
      .description("Stinger: the Nektar operator client (identity, operator network, DKG ceremonies)")
      .option("--verbose", "on failure, also print the error's context and cause chain")
      .addCommand(initCommand())
      .addCommand(dkgCommand())
      .addCommand(runCommand())
      .addCommand(slashingCommand(io))
      .addCommand(dutiesCommand(io))
      .addCommand(operatorCommand(io)),
    io,
  );
}
