import { LodestarError } from "@lodestar/utils";
import { BaseError } from "./base.ts";

/**
 * How both command lines (`nektar`, `stinger`) report an error. It lives in the SDK because the SDK is the one package
 * both depend on; it is pure (returns lines, writes nothing), so the SDK stays free of I/O.
 */

/** A CLI usage problem that is not a bad value of one argument (a missing flag, flags that exclude each other, …). */
export class CliUsageError extends BaseError<{ code: "ERR_CLI_USAGE" }> {
  override name = "CliUsageError";
  constructor(shortMessage: string, hint?: string) {
    super({ code: "ERR_CLI_USAGE" }, shortMessage, { hint });
  }
}

/** What a person reads for one error code: the next step, and whether it is bad input (exit 2) or a failure (exit 1). */
export type ErrorHint<M = Record<string, unknown>> = {
  /** The one-line message, for errors (Lodestar style) that carry only a code and metadata. */
  message?: (metadata: M) => string;
  /** What to do next. */
  hint: string;
  /** Bad input from the person at the keyboard: exit code 2. */
  usage?: boolean;
};

/** Hints by `ERR_…` code; the SDK's own codes are always included (see `SDK_ERROR_HINTS`). */
export type ErrorHints = Readonly<Record<string, ErrorHint<never>>>;

/** Exit code of a command that failed because its input was bad (flags, arguments, files it was pointed at). */
export const EXIT_USAGE = 2;
/** Exit code of a command that failed for any other reason (chain refused, RPC down, ceremony failed, …). */
export const EXIT_FAILURE = 1;

const REPORT_HINT = "Rerun with --verbose to see the cause chain; if it persists, report it with that output.";

/** Hints of the SDK's codes; an error's own `hint` (BaseError) takes precedence. */
export const SDK_ERROR_HINTS = {
  ERR_CLI_USAGE: { hint: "Run the command with --help to see its flags.", usage: true },
  ERR_INVALID_AMOUNT: { hint: "Give a positive decimal amount of ether, e.g. 1.5.", usage: true },
  ERR_INVALID_ADDRESS: { hint: "Give a 0x-prefixed 20-byte hex address.", usage: true },
  ERR_INVALID_ID: { hint: "Give a positive integer id (as `… status` or `… list` print them).", usage: true },
  ERR_MANIFEST: { hint: "Pass --manifest <file> of the network's deployment.", usage: true },
  ERR_WRONG_NETWORK: { hint: "Point --rpc at the chain of the manifest.", usage: true },
  ERR_CONTRACT_NOT_DEPLOYED: { hint: "Check the manifest or the contract addresses you gave.", usage: true },
  ERR_INVALID_URL: { hint: "Give an http(s):// or ws(s):// JSON-RPC URL, e.g. http://127.0.0.1:8545.", usage: true },
  ERR_KEY_FILE: {
    hint: "The file must hold one 0x-prefixed 32-byte hex private key and be readable only by you (chmod 600).",
    usage: true,
  },
  ERR_DEPOSIT_CONTRACT_CHAIN: {
    hint: "Pass --deposit-contract <address> of the chain's beacon deposit contract; the devnet one is for local chains only.",
    usage: true,
  },
  ERR_DEPLOYMENT: { hint: "Check the deployer's balance and the RPC node's log; rerun with --verbose for the cause." },
  ERR_MISSING_EVENT: { hint: REPORT_HINT },
  ERR_INSUFFICIENT_BALANCE: { hint: "Fund the account or use a smaller amount." },
  ERR_RPC: { hint: "Check that the RPC URL is reachable." },
  ERR_BEACON_STATE: {
    hint: "Point --beacon-node at a client that serves /eth/v2/debug/beacon/states (SSZ) for recent states.",
  },
  ERR_CONTRACT_REVERTED: {
    hint: "The contract refused the call; the error name says which rule (see IOperatorRegistry and the other interfaces in contracts/src/interfaces).",
  },
  ERR_UNKNOWN_RESTAKING_OPERATOR: {
    hint: "Pick a registered restaking operator (`stinger operator networks` lists yours), or register it first.",
    usage: true,
  },
  ERR_UNKNOWN_NETWORK: { hint: "List the networks with `stinger operator networks` (ids start at 1).", usage: true },
  ERR_EXIT_CONDITION: {
    hint: "Check `nektar validator exits` (withdrawal shortfall, next validator in line) and the cluster's operators.",
  },
  ERR_NATIVE_NOT_DEPLOYED: {
    hint: "The manifest predates native restaking: redeploy (`nektar devnet`) or pass a manifest that has it.",
    usage: true,
  },
  ERR_UNEXPECTED: { hint: REPORT_HINT },
} as const satisfies ErrorHints;

/** One error as both CLIs report it; `metadata` is the typed error's context (`type` minus `code`). */
export type ErrorReport = {
  code: string;
  message: string;
  hint: string;
  metadata: Record<string, unknown>;
  exitCode: typeof EXIT_USAGE | typeof EXIT_FAILURE;
};

/** Classifies any thrown value: typed errors by code (BaseError and LodestarError), anything else as unexpected. */
export function describeError(error: unknown, hints: ErrorHints = {}): ErrorReport {
  if (error instanceof LodestarError) {
    const { code, ...metadata } = error.type as { code: string } & Record<string, unknown>;
    const known = (hints[code] ?? (SDK_ERROR_HINTS as ErrorHints)[code]) as ErrorHint | undefined;
    const message =
      error instanceof BaseError
        ? error.shortMessage
        : (known?.message?.(metadata) ?? genericMessage(error.message, code, metadata));
    const own = error instanceof BaseError ? error.hint : undefined;
    return {
      code,
      message,
      hint: own ?? known?.hint ?? REPORT_HINT,
      metadata,
      exitCode: known?.usage === true ? EXIT_USAGE : EXIT_FAILURE,
    };
  }
  const text = error instanceof Error ? error.message : String(error);
  return {
    code: "ERR_UNEXPECTED",
    message: `unexpected failure: ${firstLine(text)}`,
    hint: SDK_ERROR_HINTS.ERR_UNEXPECTED.hint,
    metadata: {},
    exitCode: EXIT_FAILURE,
  };
}

export type FormatCliErrorOptions = {
  /** Machine output: one JSON object `{"error": {code, message, hint, ...metadata}}` on stdout. */
  json: boolean;
  /** Adds the details and the cause chain (with the innermost stack) to the human output. */
  verbose: boolean;
  /** The CLI's own codes (Stinger's typed errors, the devnet's, …). */
  hints?: ErrorHints;
};

/** The lines a CLI prints for `error` and its exit code: `error: <message>` and `hint: <next step>` on stderr. */
export function formatCliError(
  error: unknown,
  options: FormatCliErrorOptions,
): { exitCode: number; stdout: string[]; stderr: string[] } {
  const report = describeError(error, options.hints);
  if (options.json) {
    const { code, message, hint, metadata, exitCode } = report;
    const body = JSON.stringify({ error: { code, message, hint, ...metadata } }, (_, v) =>
      typeof v === "bigint" ? v.toString() : v,
    );
    return { exitCode, stdout: [body], stderr: [] };
  }
  const stderr = [`error: ${report.message}`, `hint: ${report.hint}`];
  if (options.verbose) stderr.push(...verboseLines(error, report));
  return { exitCode: report.exitCode, stdout: [], stderr };
}

/** Where a CLI writes its lines (stdout, stderr); the caller owns the streams, the SDK does no I/O of its own. */
export type CliErrorOutput = { out(line: string): void; err(line: string): void };

/** Prints `error` as `formatCliError` lays it out and returns the exit code: the one error path of both CLIs. */
export function printCliError(error: unknown, options: FormatCliErrorOptions, output: CliErrorOutput): number {
  const printed = formatCliError(error, options);
  for (const line of printed.stdout) output.out(line);
  for (const line of printed.stderr) output.err(line);
  return printed.exitCode;
}

function verboseLines(error: unknown, report: ErrorReport): string[] {
  const lines = [`code: ${report.code}`];
  if (Object.keys(report.metadata).length > 0) lines.push(`context: ${JSON.stringify(report.metadata, bigints)}`);
  if (error instanceof BaseError && error.details !== undefined) lines.push(`details: ${error.details}`);
  let cause: unknown = error instanceof Error ? error.cause : undefined;
  let innermost: unknown = error;
  for (let depth = 0; cause !== undefined && depth < 10; depth++) {
    lines.push(`caused by: ${cause instanceof Error ? `${cause.name}: ${firstLine(cause.message)}` : String(cause)}`);
    innermost = cause;
    cause = cause instanceof Error ? cause.cause : undefined;
  }
  if (innermost instanceof Error && innermost.stack !== undefined) lines.push(innermost.stack);
  return lines;
}

function genericMessage(message: string, code: string, metadata: Record<string, unknown>): string {
  // LodestarError's message defaults to the code itself: then the metadata is all the reader has.
  if (message !== code) return firstLine(message);
  const context = Object.entries(metadata).map(([k, v]) => `${k}=${JSON.stringify(v, bigints)}`);
  return context.length === 0 ? code : `${code} (${context.join(", ")})`;
}

function bigints(_: string, v: unknown): unknown {
  return typeof v === "bigint" ? v.toString() : v;
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? text;
}
