import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";

describe("Probe", async () => {
  const { viem } = await network.create();
  it("increments", async () => {
    const p = await viem.deployContract("Probe");
    await p.write.inc();
    assert.equal(await p.read.x(), 1n);
  });
});
