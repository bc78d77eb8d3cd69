import type { Command } from "commander";

/** Where a command writes: the process streams, or buffers in tests (`nektar`'s CliIo has the same shape). */
export type CliIo = {
  out(line: string): void;
  err(line: string): void;
};

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/**
 * Makes every command of `program` throw instead of exiting and write through `io`; `nektar operator` applies it to
 * its copy of the operator commands too, so both command lines parse and answer identically.
 */
export function configureCliProgram(program: Command, io: CliIo): Command {
  const output = { writeOut: (s: string) => io.out(s.trimEnd()), writeErr: (s: string) => io.err(s.trimEnd()) };
  const apply = (c: Command): void => {
    c.exitOverride().configureOutput(output).showHelpAfterError("(add --help for usage)");
    for (const sub of c.commands) apply(sub);
  };
  apply(program);
  return program;
}
