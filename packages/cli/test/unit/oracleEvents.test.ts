import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { bondOperator, registerOperator } from "@nektar/sdk";
import { startNetwork } from "@nektar/sdk/testing";
import { parseEther, toHex } from "viem";
import { devnetOracleConfig, oracleEvents } from "../../src/devnet/reporter.ts";

describe("devnet oracle events (npm start shows the operators' reports)", () => {
  let net: Awaited<ReturnType<typeof startNetwork>>;
  before(async () => {
    net = await startNetwork();
  });
  after(async () => {
    await net?.close();
  });

  it("names each report once per status change, with its reporter and numbers", async () => {
    const reporter = net.client(1);
    const { operatorId } = await registerOperator(reporter, {
      contracts: net.contracts,
      signer: reporter.account.address,
      nodeIdentity: toHex(new Uint8Array(32).fill(7)),
    });
    await bondOperator(reporter, { contracts: net.contracts, operatorId, amount: parseEther("2") });
    const events = oracleEvents({ client: net.client(0), contracts: net.contracts });
    assert.deepEqual(await events.poll(), []);
    const { frame } = await net.reportNextFrame(reporter);
    const lines = await events.poll();
    assert.equal(lines.length, 2, lines.join("\n"));
    assert.match(lines[0] as string, new RegExp(`^oracle frame ${frame}: anchored at \\d+, vault pull 0 ETH$`));
    assert.match(
      lines[1] as string,
      new RegExp(
        `^oracle report frame \\d+ applied: 0 validators, 0 gwei, vault pull 0 ETH \\(by operator ${operatorId}\\)$`,
      ),
    );
    assert.deepEqual(await events.poll(), [], "a status is named once");
  });

  it("devnet frames are a few epochs with a two-epoch window shorter than the frame", () => {
    const c = devnetOracleConfig(1);
    assert.equal(c.frameSlots, 32n);
    assert.equal(c.slotsPerEpoch, 8n);
    assert.equal(c.challengeWindow, 16n);
    assert.ok((c.challengeWindow as bigint) < (c.frameSlots as bigint) * (c.secondsPerSlot as bigint));
  });
});
