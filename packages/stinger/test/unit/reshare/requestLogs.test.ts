import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { reshareManagerAbi } from "@nektar/sdk";
import { type Address, encodeAbiParameters, encodeEventTopics, getAddress, type Hex, type Log, toHex } from "viem";
import { reshareRequestsFromLogs } from "../../../src/reshare/request.ts";

const members = Array.from({ length: 16 }, (_, i) => `0x${(i + 1).toString(16).padStart(40, "0")}` as Address);
const newcomer = "0x00000000000000000000000000000000000000aa" as Address;

/** A `ReshareRequested` log as the manager emits it (topics and data ABI-encoded from the generated ABI). */
function log(validator: Hex, leavingIndex: bigint): Log {
  const event = reshareManagerAbi.find((e) => e.type === "event" && e.name === "ReshareRequested");
  if (event?.type !== "event") throw new Error("no ReshareRequested in the ABI");
  const topics = encodeEventTopics({
    abi: reshareManagerAbi,
    eventName: "ReshareRequested",
    args: { validatorId: 7n },
  });
  const data = encodeAbiParameters(
    event.inputs.filter((i) => !i.indexed),
    [validator, leavingIndex, newcomer, members, 1_700_000_000n, 3n, 21n],
  );
  return {
    address: "0x00000000000000000000000000000000000000ee",
    topics: topics as [Hex, ...Hex[]],
    data,
    blockHash: null,
    blockNumber: null,
    logIndex: null,
    transactionHash: null,
    transactionIndex: null,
    removed: false,
  };
}

describe("reshareRequestsFromLogs: the manager's ReshareRequested event as Stinger's request", () => {
  it("decodes the seat, newcomer, members, deadline, nonce and ids", () => {
    const validator = toHex(new Uint8Array(48).fill(0xa1));
    const [r] = reshareRequestsFromLogs([log(validator, 5n)]);
    assert.deepEqual(r, {
      validatorId: 7n,
      newcomerOperatorId: 21n,
      validator,
      leavingIndex: 5,
      newcomer: getAddress(newcomer),
      members: members.map((m) => getAddress(m)),
      deadline: 1_700_000_000n,
      nonce: 3n,
    });
  });

  it("refuses a seat outside 1..16 and a key that is not 48 bytes", () => {
    const validator = toHex(new Uint8Array(48).fill(0xa1));
    assert.throws(() => reshareRequestsFromLogs([log(validator, 17n)]), /ERR_RESHARE_REQUEST_INVALID/);
    assert.throws(() => reshareRequestsFromLogs([log(validator, 0n)]), /ERR_RESHARE_REQUEST_INVALID/);
    assert.throws(() => reshareRequestsFromLogs([log(toHex(new Uint8Array(47)), 1n)]), /ERR_RESHARE_REQUEST_INVALID/);
  });
});
