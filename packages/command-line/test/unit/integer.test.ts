import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Command, InvalidArgumentError } from "commander";
import { integerFlag, nonNegativeInt, positiveInt } from "../../src/index.ts";

function rejects(parse: (v: string) => number, value: string, message: string): void {
  assert.throws(
    () => parse(value),
    (e) => e instanceof InvalidArgumentError && e.message === message,
    `${JSON.stringify(value)} must be refused`,
  );
}

describe("integer flags", () => {
  it("accept decimal integers in range", () => {
    assert.equal(integerFlag(16, 200)("16"), 16);
    assert.equal(integerFlag(16, 200)("200"), 200);
    assert.equal(positiveInt("120000"), 120_000);
    assert.equal(nonNegativeInt("0"), 0);
    assert.equal(positiveInt("9007199254740991"), Number.MAX_SAFE_INTEGER);
  });

  it("refuse anything else with what was expected", () => {
    for (const v of ["", " 1", "1 ", "-1", "1.0", "1e3", "0x10", "abc", "9007199254740992"]) {
      rejects(positiveInt, v, "expected a positive integer");
    }
    rejects(positiveInt, "0", "expected a positive integer");
    rejects(nonNegativeInt, "-0", "expected a non-negative integer");
    rejects(integerFlag(16, 200), "15", "expected an integer in 16..200");
    rejects(integerFlag(16, 200), "201", "expected an integer in 16..200");
    rejects(integerFlag(2), "1", "expected an integer of at least 2");
  });

  it("make commander report a usage error naming the option", () => {
    const program = new Command()
      .exitOverride()
      .configureOutput({ writeErr: () => {} })
      .option("--port <port>", "port", integerFlag(0, 65535));
    assert.throws(
      () => program.parse(["--port", "65536"], { from: "user" }),
      (e: Error & { code?: string }) =>
        e.code === "commander.invalidArgument" &&
        /'--port <port>' argument '65536' is invalid\. expected an integer in 0\.\.65535/.test(e.message),
    );
    assert.equal(program.parse(["--port", "5052"], { from: "user" }).opts().port, 5052);
  });
});
