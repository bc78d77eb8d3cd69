import { EXIT_USAGE, printCliError } from "@nektar/sdk";
import { STINGER_ERROR_HINTS } from "@nektar/stinger/cli";
import { CommanderError } from "commander";
import { NEKTAR_ERROR_HINTS } from "./errors.ts";
import { type CliIo, processIo } from "./io.ts";
import { buildProgram } from "./program.ts";

/** `nektar operator …` runs Stinger's commands, so their typed errors are `nektar`'s too. */
const HINTS = { ...STINGER_ERROR_HINTS, ...NEKTAR_ERROR_HINTS };

/**
 * Runs `nektar` with `argv` (without the node and script paths) and returns the exit code: 0 on success, 2 for bad
 * input, 1 for any other failure. A failure prints `error: …` and `hint: …` on stderr (with --json one JSON object on
 * stdout), never a stack trace; --verbose (or NEKTAR_DEBUG=1) adds the error's context and cause chain.
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return 0;
  } catch (e) {
    // Commander has printed its own usage errors (and help, which exits 0) through `io` already.
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : EXIT_USAGE;
    const json = argv.includes("--json");
    const verbose = argv.includes("--verbose") || process.env.NEKTAR_DEBUG === "1";
    return printCliError(e, { json, verbose, hints: HINTS }, io);
  }
}
