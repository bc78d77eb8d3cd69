import { BaseError } from "@nektar/sdk";
import { CommanderError } from "commander";
import { type CliIo, processIo, toJson } from "./io.ts";
import { buildProgram } from "./program.ts";

/**
 * Runs `nektar` with `argv` (without the node and script paths) and returns the exit code. Every failure is one line
 * on stderr (or a JSON object with --json), never a stack trace; set NEKTAR_DEBUG=1 to see the cause chain.
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    const json = argv.includes("--json");
    const { code, message } = describe(e);
    if (json) io.out(toJson({ error: { code, message } }));
    else io.err(`error: ${message}`);
    if (process.env.NEKTAR_DEBUG === "1") io.err(String((e as Error).stack ?? e));
    return 1;
  }
}

function describe(e: unknown): { code: string; message: string } {
  if (e instanceof BaseError) {
    const hint = e.hint === undefined ? "" : ` — ${e.hint}`;
    return { code: e.type.code, message: `${e.shortMessage}${hint}` };
  }
  const message = e instanceof Error ? e.message.split("\n")[0] : String(e);
  return { code: "ERR_UNEXPECTED", message: `unexpected failure: ${message} (set NEKTAR_DEBUG=1 for details)` };
}
