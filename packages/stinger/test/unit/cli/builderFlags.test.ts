import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { builderBoostFactor, runCommand } from "../../../src/cli/run.ts";

describe("stinger run --builder / --builder-boost-factor", () => {
  it("default off (0 = local payloads only); --builder means 100; an explicit factor wins", () => {
    assert.equal(builderBoostFactor({}), 0n);
    assert.equal(builderBoostFactor({ builder: true }), 100n);
    assert.equal(builderBoostFactor({ builder: true, builderBoostFactor: 250 }), 250n);
    assert.equal(builderBoostFactor({ builderBoostFactor: 0 }), 0n);
  });

  it("the flags are declared and a negative factor is refused", () => {
    const cmd = runCommand();
    const names = cmd.options.map((o) => o.long);
    assert.ok(names.includes("--builder"));
    assert.ok(names.includes("--builder-boost-factor"));
    const option = cmd.options.find((o) => o.long === "--builder-boost-factor");
    assert.throws(() => option?.parseArg?.("-1", undefined));
    assert.equal(option?.parseArg?.("150", undefined), 150);
  });
});
