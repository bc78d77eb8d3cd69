import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ReportTree } from "@nektar/crypto";
import { network } from "hardhat";
import { parseEther } from "viem";
import { CHALLENGE_WINDOW, deployOracleSystem, GWEI, honestState, ReportStatus } from "../unit/oracle/fixture.ts";

const { viem } = await network.create();

describe("integration: the withdrawal vault figure", () => {
  it("ATTACK (pre-fix): a report claiming ether that reached the vault after its anchor double counts it", async () => {
    const s = await deployOracleSystem(viem, 3);
    await s.testClient.increaseTime({ seconds: 86_400 });
    await s.testClient.mine({ blocks: 1 });
    const frame = await s.currentFrame();
    // At the anchor one validator holds 33 ETH; right after it, the withdrawal sweep skims 1 ETH into the vault.
    const state = honestState(s, [33n * GWEI, 32n * GWEI, 32n * GWEI]);
    const tree = new ReportTree(s.leavesOf(state));
    const before = await s.poolNumbers();
    await s.testClient.setBalance({ address: s.vault.address, value: parseEther("1") });
    await s.post(frame, state, tree, parseEther("1"));
    await s.testClient.increaseTime({ seconds: Number(CHALLENGE_WINDOW) });
    await s.testClient.mine({ blocks: 1 });
    await s.oracle.write.applyReport([frame]);
    assert.equal((await s.oracle.read.getReport([frame])).status, ReportStatus.Applied);
    const after = await s.poolNumbers();
    // The protocol owns 96 ETH on the beacon chain + 1 ETH pulled = 1 ETH more than before; the pool counted 2.
    assert.equal(after.pooled - before.pooled, parseEther("2"));
  });
});
