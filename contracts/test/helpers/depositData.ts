import { ListCompositeType } from "@chainsafe/ssz";
import { ssz } from "@lodestar/types";
import { bytesToHex, type Hex, hexToBytes } from "viem";

/** A phase0 `DepositData` with hex fields, as passed to the deposit contract. */
export type DepositDataHex = {
  pubkey: Hex;
  withdrawalCredentials: Hex;
  signature: Hex;
  /** Amount in gwei. */
  amountGwei: bigint;
  /** SSZ hash tree root computed independently of the contract (Lodestar's SSZ types). */
  depositDataRoot: Hex;
};

/** Deterministic filler bytes so tests can make many distinct deposits without BLS keys. */
export function fillerBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (seed * 31 + i * 7 + 1) & 0xff;
  return out;
}

/** Builds a `DepositData` and its root with `@lodestar/types` (the deposit contract does not check BLS signatures). */
export function makeDepositData(
  seed: number,
  withdrawalCredentials: Hex,
  amountGwei = 32_000_000_000n,
): DepositDataHex {
  const value = {
    pubkey: fillerBytes(48, seed),
    withdrawalCredentials: hexToBytes(withdrawalCredentials),
    amount: Number(amountGwei),
    signature: fillerBytes(96, seed + 1000),
  };
  return {
    pubkey: bytesToHex(value.pubkey),
    withdrawalCredentials,
    signature: bytesToHex(value.signature),
    amountGwei,
    depositDataRoot: bytesToHex(ssz.phase0.DepositData.hashTreeRoot(value)),
  };
}

const DepositDataList = new ListCompositeType(ssz.phase0.DepositData, 2 ** 32);

/** The deposit root the contract must report: `hash_tree_root(List[DepositData, 2**32])` of all deposits so far. */
export function depositRoot(deposits: DepositDataHex[]): Hex {
  const values = deposits.map((d) => ({
    pubkey: hexToBytes(d.pubkey),
    withdrawalCredentials: hexToBytes(d.withdrawalCredentials),
    amount: Number(d.amountGwei),
    signature: hexToBytes(d.signature),
  }));
  return bytesToHex(DepositDataList.hashTreeRoot(values));
}

/** 8-byte little-endian encoding used by the deposit contract for amounts and indices. */
export function littleEndian64(value: bigint): Hex {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, value, true);
  return bytesToHex(out);
}
