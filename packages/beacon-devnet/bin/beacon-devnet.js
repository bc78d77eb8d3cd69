#!/usr/bin/env node
// Node >= 22.13 strips TypeScript types natively: the CLI runs from source.
import "../src/cli.ts";
