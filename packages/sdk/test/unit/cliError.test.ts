import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { LodestarError } from "@lodestar/utils";
import {
  CliUsageError,
  ContractRevertedError,
  describeError,
  type ErrorHints,
  EXIT_FAILURE,
  EXIT_USAGE,
  formatCliError,
  InvalidAmountError,
  InvalidIdError,
  printCliError,
  RpcError,
  SDK_ERROR_HINTS,
} from "../../src/index.ts";

type DiskErrorType = { code: "ERR_TEST_DISK_FULL"; path: string; free: bigint } | { code: "ERR_TEST_BAD_FLAG" };
class DiskError extends LodestarError<DiskErrorType> {}

const HINTS: ErrorHints = {
  ERR_TEST_DISK_FULL: {
    message: (m: { path: string; free: bigint }) => `disk full writing ${m.path} (${m.free} bytes free)`,
    hint: "Free some space.",
  },
  ERR_TEST_BAD_FLAG: { hint: "Fix the flag.", usage: true },
};

const human = (e: unknown, verbose = false) => formatCliError(e, { json: false, verbose, hints: HINTS });
const json = (e: unknown) => {
  const r = formatCliError(e, { json: true, verbose: false, hints: HINTS });
  assert.deepEqual(r.stderr, [], "--json writes nothing to stderr");
  assert.equal(r.stdout.length, 1, "one JSON object");
  return { exitCode: r.exitCode, error: JSON.parse(r.stdout[0] as string).error };
};

describe("formatCliError: a person reads a short message and a hint", () => {
  it("an SDK error with its own hint (bad input: exit 2)", () => {
    const r = human(new InvalidAmountError("abc", "not a decimal number"));
    assert.deepEqual(r.stderr, [
      'error: invalid amount "abc": not a decimal number',
      "hint: Give a positive decimal amount of ether, e.g. 1.5 (at most 18 decimals).",
    ]);
    assert.deepEqual(r.stdout, []);
    assert.equal(r.exitCode, EXIT_USAGE);
  });

  it("an SDK error without a hint of its own takes its code's hint", () => {
    const r = human(new InvalidIdError("x", "operator id"));
    assert.equal(r.stderr[1], `hint: ${SDK_ERROR_HINTS.ERR_INVALID_ID.hint}`);
    assert.equal(r.exitCode, EXIT_USAGE);
    const reverted = human(
      new ContractRevertedError({ contract: "OperatorRegistry", functionName: "bond", errorName: "X", args: [1n] }),
    );
    assert.deepEqual(reverted.stderr, [
      "error: OperatorRegistry.bond reverted: X(1)",
      `hint: ${SDK_ERROR_HINTS.ERR_CONTRACT_REVERTED.hint}`,
    ]);
    assert.equal(reverted.exitCode, EXIT_FAILURE);
  });

  it("a usage error: its message and hint, exit 2", () => {
    const r = human(new CliUsageError("give exactly one of --units or --all", "Pick one."));
    assert.deepEqual(r.stderr, ["error: give exactly one of --units or --all", "hint: Pick one."]);
    assert.equal(r.exitCode, EXIT_USAGE);
  });

  it("a Lodestar-style error (code + metadata) gets its message and hint from the CLI's table", () => {
    const r = human(new DiskError({ code: "ERR_TEST_DISK_FULL", path: "/d/lock.json", free: 12n }));
    assert.deepEqual(r.stderr, ["error: disk full writing /d/lock.json (12 bytes free)", "hint: Free some space."]);
    assert.equal(r.exitCode, EXIT_FAILURE);
    const usage = human(new DiskError({ code: "ERR_TEST_BAD_FLAG" }));
    assert.deepEqual(usage.stderr, ["error: ERR_TEST_BAD_FLAG", "hint: Fix the flag."]);
    assert.equal(usage.exitCode, EXIT_USAGE);
  });

  it("a typed error no table knows still reads as its code and context, with the report hint", () => {
    const unknown = new LodestarError({ code: "ERR_TEST_NEW", slot: 7 });
    const r = human(unknown);
    assert.equal(r.stderr.length, 2);
    assert.equal(r.stderr[0], "error: ERR_TEST_NEW (slot=7)");
    assert.match(r.stderr[1] as string, /^hint: Rerun with --verbose/);
    assert.equal(r.exitCode, EXIT_FAILURE);
  });

  it("anything else is an unexpected failure: first line only, never a stack", () => {
    const r = human(new TypeError("x is undefined\n    at f (file.ts:1:1)"));
    assert.deepEqual(r.stderr.slice(0, 1), ["error: unexpected failure: x is undefined"]);
    assert.equal(r.stderr.length, 2);
    assert.doesNotMatch(r.stderr.join("\n"), /at f/);
    assert.equal(human("a string").stderr[0], "error: unexpected failure: a string");
    assert.equal(r.exitCode, EXIT_FAILURE);
  });

  it("--verbose adds the code, the context and the cause chain", () => {
    const root = new Error("connect ECONNREFUSED 127.0.0.1:1");
    const r = human(new RpcError("eth_chainId", root), true);
    assert.match(r.stderr[0] as string, /^error: eth_chainId failed: connect ECONNREFUSED/);
    assert.match(r.stderr[1] as string, /^hint: Check that the RPC URL is reachable/);
    assert.equal(r.stderr[2], "code: ERR_RPC");
    assert.equal(r.stderr[3], 'context: {"operation":"eth_chainId"}');
    assert.equal(r.stderr[4], "caused by: Error: connect ECONNREFUSED 127.0.0.1:1");
    assert.match(r.stderr[5] as string, /^Error: connect ECONNREFUSED[^\n]*\n\s+at /, "the innermost stack");
    assert.equal(human(new RpcError("eth_chainId", root)).stderr.length, 2, "without --verbose: two lines");
  });
});

describe("formatCliError --json: one machine-readable object on stdout", () => {
  it("carries code, message, hint and the metadata", () => {
    const { exitCode, error } = json(new DiskError({ code: "ERR_TEST_DISK_FULL", path: "/d/x", free: 3n }));
    assert.deepEqual(error, {
      code: "ERR_TEST_DISK_FULL",
      message: "disk full writing /d/x (3 bytes free)",
      hint: "Free some space.",
      path: "/d/x",
      free: "3",
    });
    assert.equal(exitCode, EXIT_FAILURE);
  });

  it("for SDK errors, usage errors and unexpected ones alike", () => {
    assert.deepEqual(json(new InvalidAmountError("abc", "not a decimal number")).error, {
      code: "ERR_INVALID_AMOUNT",
      message: 'invalid amount "abc": not a decimal number',
      hint: "Give a positive decimal amount of ether, e.g. 1.5 (at most 18 decimals).",
      value: "abc",
    });
    const usage = json(new CliUsageError("no account", "Pass --owner-key-file."));
    assert.deepEqual(usage.error, { code: "ERR_CLI_USAGE", message: "no account", hint: "Pass --owner-key-file." });
    assert.equal(usage.exitCode, EXIT_USAGE);
    const unexpected = json(new Error("boom"));
    assert.equal(unexpected.error.code, "ERR_UNEXPECTED");
    assert.equal(unexpected.error.message, "unexpected failure: boom");
  });
});

describe("printCliError", () => {
  it("writes the lines to the given streams and returns the exit code", () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
    assert.equal(printCliError(new CliUsageError("bad"), { json: false, verbose: false }, io), EXIT_USAGE);
    assert.equal(out.length, 0);
    assert.deepEqual(err, ["error: bad", `hint: ${SDK_ERROR_HINTS.ERR_CLI_USAGE.hint}`]);
    assert.equal(printCliError(new Error("x"), { json: true, verbose: false }, io), EXIT_FAILURE);
    assert.equal(JSON.parse(String(out.at(0))).error.code, "ERR_UNEXPECTED");
  });

  it("describeError classifies without printing", () => {
    const r = describeError(new CliUsageError("bad", "Do this."));
    assert.deepEqual(r, { code: "ERR_CLI_USAGE", message: "bad", hint: "Do this.", metadata: {}, exitCode: 2 });
  });
});
