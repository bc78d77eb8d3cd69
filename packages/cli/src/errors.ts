import type { ErrorHints } from "@nektar/sdk";

// One usage error for both command lines: it lives in the SDK beside the shared error printer.
export { CliUsageError } from "@nektar/sdk";

/** Next steps for the codes only `nektar` throws (the SDK's own are in SDK_ERROR_HINTS). */
export const NEKTAR_ERROR_HINTS = {
  ERR_BEACON_API: { hint: "Check that the devnet's beacon node runs: `nektar devnet status`." },
  ERR_DEVNET_PROCESS: { hint: "Read the process's log (named above), then `nektar devnet down` and start again." },
  ERR_DEVNET_RUNNING: { hint: "Stop it with `nektar devnet down`.", usage: true },
} as const satisfies ErrorHints;
