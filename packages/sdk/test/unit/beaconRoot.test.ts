import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { numberToHex } from "viem";
import { BEACON_ROOTS_ADDRESS, getBeaconRoot } from "../../src/index.ts";
import { startNetwork } from "../helpers/network.ts";

describe("getBeaconRoot (EIP-4788)", () => {
  let net: Awaited<ReturnType<typeof startNetwork>>;
  before(async () => {
    net = await startNetwork();
  });
  after(async () => {
    await net?.close();
  });

  it("reads the root stored for a timestamp and undefined where the ring buffer holds none", async () => {
    const c = net.client(0);
    const t = (await c.getBlock()).timestamp + 1_000n;
    assert.equal(await getBeaconRoot(c, { timestamp: t }), undefined, "no block at that time yet");
    const root = `0x${"ab".repeat(32)}` as const;
    const word = (n: bigint) => numberToHex(n, { size: 32 });
    await c.request({ method: "evm_mine" as never, params: [Number(t)] as never });
    await c.request({
      method: "hardhat_setStorageAt" as never,
      params: [BEACON_ROOTS_ADDRESS, word(t % 8191n), word(t)] as never,
    });
    await c.request({
      method: "hardhat_setStorageAt" as never,
      params: [BEACON_ROOTS_ADDRESS, word((t % 8191n) + 8191n), root] as never,
    });
    assert.equal(await getBeaconRoot(c, { timestamp: t }), root);
    assert.equal(await getBeaconRoot(c, { timestamp: t + 8191n }), undefined, "same ring slot, other time");
  });
});
