// `@nektar/stinger/cli`: what another command line needs to offer Stinger's commands. Light on purpose (commander and
// types only): the operator commands themselves load libp2p and friends, so they are imported on first use.
import type { Command } from "commander";
import type { CliIo } from "./io.ts";

export { STINGER_ERROR_HINTS, type StingerCliErrorType } from "./errorHints.ts";
export { type CliIo, configureCliProgram, processIo } from "./io.ts";

/** `stinger operator …` (register, bond, unbond, pause, unpause, status, follow), built on first use. */
export async function loadOperatorCommand(io: CliIo): Promise<Command> {
  const { operatorCommand } = await import("./operator.ts");
  return operatorCommand(io);
}

/** Runs `stinger` in-process (see `main.ts`); loaded on first use like the operator commands. */
export async function runStinger(argv: readonly string[], io?: CliIo): Promise<number> {
  const main = await import("./main.ts");
  return main.runStinger(argv, io);
}
