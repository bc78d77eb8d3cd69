#!/usr/bin/env node
// Node 22 strips TypeScript types at load time; the CLI lives in src/.
import { runCli } from "../src/main.ts";

process.exitCode = await runCli(process.argv.slice(2));
