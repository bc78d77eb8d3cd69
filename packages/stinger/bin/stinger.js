#!/usr/bin/env node
// Node 22 strips TypeScript types at load time; the CLI lives in src/cli.
import "../src/cli/index.ts";
