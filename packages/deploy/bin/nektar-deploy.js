#!/usr/bin/env node
// Node 22 strips TypeScript types at load time; the command lives in src/.
import { runDeploy } from "../src/cli.ts";

process.exitCode = await runDeploy(process.argv.slice(2));
