import { bytesToHex, type Hex, hexToBytes } from "viem";
import type { Statement } from "./statement.ts";

/** A signed statement on the Network's topic: epoch (8) ‖ root (32) ‖ block hash (32) ‖ signer index (2) ‖ sig (96). */
export type SignedStatement = { statement: Statement; signer: number; signature: Uint8Array };

export const SIGNED_STATEMENT_LENGTH = 8 + 32 + 32 + 2 + 96;

export function encodeSignedStatement(m: SignedStatement): Uint8Array {
  const out = new Uint8Array(SIGNED_STATEMENT_LENGTH);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, m.statement.epoch);
  out.set(hexToBytes(m.statement.checkpointRoot), 8);
  out.set(hexToBytes(m.statement.executionBlockHash), 40);
  view.setUint16(72, m.signer);
  out.set(m.signature, 74);
  return out;
}

/** Decodes a topic message; `undefined` for anything malformed (dropped by the caller). */
export function decodeSignedStatement(data: Uint8Array): SignedStatement | undefined {
  if (data.length !== SIGNED_STATEMENT_LENGTH) return undefined;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const hex = (from: number, to: number): Hex => bytesToHex(data.subarray(from, to));
  return {
    statement: { epoch: view.getBigUint64(0), checkpointRoot: hex(8, 40), executionBlockHash: hex(40, 72) },
    signer: view.getUint16(72),
    signature: data.slice(74),
  };
}
