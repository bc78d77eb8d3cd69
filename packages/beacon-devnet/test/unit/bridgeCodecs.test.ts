import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Hex } from "viem";
import { beaconRootStorageWrites } from "../../src/bridge/beaconRoots.ts";
import { DEPOSIT_EVENT_TOPIC, depositRequestFromLog, isDepositEventError } from "../../src/bridge/depositEvents.ts";
import { withdrawalRequestFromLog } from "../../src/bridge/withdrawalRequests.ts";
import { depositLog } from "../helpers/depositLog.ts";

describe("bridge codecs", () => {
  it("decodes a DepositEvent with little-endian amount and index", () => {
    const r = depositRequestFromLog(depositLog());
    assert.ok(!isDepositEventError(r));
    assert.equal(r.amount, 32e9);
    assert.equal(r.index, 7n);
    assert.equal(r.pubkey.length, 48);
    assert.equal(r.withdrawalCredentials[0], 1);
  });

  it("rejects malformed deposit logs instead of including them", () => {
    const short = depositRequestFromLog(depositLog(47));
    assert.ok(isDepositEventError(short) && /48/.test(short.reason));
    const garbage = depositRequestFromLog({ data: "0x1234", topics: [DEPOSIT_EVENT_TOPIC] });
    assert.ok(isDepositEventError(garbage));
  });

  it("decodes the 76-byte EIP-7002 log (address, pubkey, big-endian amount)", () => {
    const data: Hex = `0x${"11".repeat(20)}${"22".repeat(48)}${"0000000000000005"}`;
    const r = withdrawalRequestFromLog(data);
    assert.equal(r?.amount, 5n);
    assert.equal(Buffer.from(r?.sourceAddress ?? []).toString("hex"), "11".repeat(20));
    assert.equal(withdrawalRequestFromLog("0x1234"), null);
  });

  it("computes the EIP-4788 storage slots of a timestamp", () => {
    const root = new Uint8Array(32).fill(9);
    const [ts, rt] = beaconRootStorageWrites(8191n + 5n, root);
    assert.equal(BigInt(ts?.slot ?? "0x0"), 5n);
    assert.equal(BigInt(ts?.value ?? "0x0"), 8196n);
    assert.equal(BigInt(rt?.slot ?? "0x0"), 5n + 8191n);
    assert.equal(rt?.value, `0x${"09".repeat(32)}`);
  });
});
