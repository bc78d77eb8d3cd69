#!/usr/bin/env node
// Node 22 strips TypeScript types at load time.
import { runCli } from "../cli/program.ts";

process.exitCode = await runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
