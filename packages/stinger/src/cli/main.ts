import { EXIT_USAGE, printCliError } from "@nektar/sdk";
import { CommanderError } from "commander";
import { STINGER_ERROR_HINTS } from "./errorHints.ts";
import { type CliIo, processIo } from "./io.ts";
import { buildStingerProgram } from "./program.ts";

/**
 * Runs `stinger` with `argv` (without the node and script paths) and returns the exit code: 0 on success, 2 for bad
 * input, 1 for any other failure. A failure prints `error: …` and `hint: …` on stderr (with --json one JSON object on
 * stdout); the error's context and cause chain only with --verbose.
 */
export async function runStinger(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  try {
    await buildStingerProgram(io).parseAsync([...argv], { from: "user" });
    return 0;
  } catch (e) {
    // Commander has printed its own usage errors (and help, which exits 0) through `io` already.
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : EXIT_USAGE;
    const flags = { json: argv.includes("--json"), verbose: argv.includes("--verbose") };
    return printCliError(e, { ...flags, hints: STINGER_ERROR_HINTS }, io);
  }
}
