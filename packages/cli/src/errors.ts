import { BaseError, type ErrorHints } from "@nektar/sdk";

// One usage error for both command lines: it lives in the SDK beside the shared error printer.
export { CliUsageError } from "@nektar/sdk";

/** `validator complete-deposit` for a validator that is not awaiting its 31 ETH (checked before any transaction). */
export class NotPredepositedError extends BaseError<{
  code: "ERR_NOT_PREDEPOSITED";
  validatorId: string;
  status: string;
}> {
  override name = "NotPredepositedError";
  constructor(validatorId: bigint, status: string) {
    super(
      { code: "ERR_NOT_PREDEPOSITED", validatorId: validatorId.toString(), status },
      `validator ${validatorId} is ${status}, not predeposited: there is no deposit to complete`,
    );
  }
}

/** Next steps for the codes only `nektar` throws (the SDK's own are in SDK_ERROR_HINTS). */
export const NEKTAR_ERROR_HINTS = {
  ERR_BEACON_API: { hint: "Check that the devnet's beacon node runs: `nektar devnet status`." },
  ERR_DEVNET_PROCESS: { hint: "Read the process's log (named above), then `nektar devnet down` and start again." },
  ERR_DEVNET_RUNNING: { hint: "Stop it with `nektar devnet down`.", usage: true },
  ERR_NOT_PREDEPOSITED: {
    hint: "Only a predeposited validator (1 ETH sent, credentials not yet proven) can be completed: see `nektar validator show <id>`.",
    usage: true,
  },
  ERR_CHAIN_BEACON_PROOF: {
    hint: "The beacon node must serve the standard Beacon API including /eth/v2/debug/beacon/states; check --beacon-node.",
  },
} as const satisfies ErrorHints;
