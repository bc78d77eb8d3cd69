import { encodeAbiParameters, type Hex, parseAbiParameters } from "viem";
import { DEPOSIT_EVENT_TOPIC } from "../../src/bridge/depositEvents.ts";

const le64 = (n: bigint): Hex => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(n);
  return `0x${b.toString("hex")}`;
};

/** A deposit contract `DepositEvent` log (32 ETH, deposit index `index`). */
export function depositLog(pubkeyLen = 48, index = 7n): { data: Hex; topics: [Hex] } {
  const data = encodeAbiParameters(parseAbiParameters("bytes, bytes, bytes, bytes, bytes"), [
    `0x${"ab".repeat(pubkeyLen)}`,
    `0x01${"00".repeat(11)}${"cd".repeat(20)}`,
    le64(32_000_000_000n),
    `0x${"ef".repeat(96)}`,
    le64(index),
  ]);
  return { data, topics: [DEPOSIT_EVENT_TOPIC] };
}
