#!/usr/bin/env node
// Node 22 strips TypeScript types at load time; the CLI lives in src/cli.
import { runStinger } from "../src/cli/main.ts";

process.exitCode = await runStinger(process.argv.slice(2));
