import { SecretKey } from "@chainsafe/blst";
import { ListCompositeType } from "@chainsafe/ssz";
import { ssz } from "@lodestar/types";
import { computeDepositMessageSigningRoot, g1PointFromPublicKey, g2PointFromSignature } from "@nektar/crypto";
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

/** The pool's first deposit for a validator, in gwei (1 ETH). */
export const PREDEPOSIT_GWEI = 1_000_000_000n;

/** A deposit signed with a real BLS key derived from `seed`, with the uncompressed points the registry checks. */
export type SignedDepositData = DepositDataHex & { points: { groupPubkey: Hex; depositSignature: Hex } };

/** Builds a deposit of `amountGwei` for a BLS key derived from `seed`, signed in the deposit domain of `forkVersion`. */
export function makeSignedDeposit(
  seed: number,
  withdrawalCredentials: Hex,
  forkVersion: Hex,
  amountGwei: bigint,
): SignedDepositData {
  const sk = SecretKey.fromKeygen(fillerBytes(32, seed + 5000));
  const pubkey = sk.toPublicKey();
  const signature = sk.sign(
    computeDepositMessageSigningRoot({
      pubkey: pubkey.toBytes(),
      withdrawalCredentials: hexToBytes(withdrawalCredentials),
      amountGwei,
      forkVersion: hexToBytes(forkVersion),
    }),
  );
  return {
    ...depositDataHex(pubkey.toBytes(), withdrawalCredentials, signature.toBytes(), amountGwei),
    points: {
      groupPubkey: bytesToHex(g1PointFromPublicKey(pubkey.toBytes())),
      depositSignature: bytesToHex(g2PointFromSignature(signature.toBytes())),
    },
  };
}

function depositDataHex(
  pubkey: Uint8Array,
  withdrawalCredentials: Hex,
  signature: Uint8Array,
  amountGwei: bigint,
): DepositDataHex {
  return {
    pubkey: bytesToHex(pubkey),
    withdrawalCredentials,
    signature: bytesToHex(signature),
    amountGwei,
    depositDataRoot: depositDataRootOf(bytesToHex(pubkey), withdrawalCredentials, bytesToHex(signature), amountGwei),
  };
}

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
  return depositDataHex(fillerBytes(48, seed), withdrawalCredentials, fillerBytes(96, seed + 1000), amountGwei);
}

/** `hash_tree_root(DepositData)` of the given fields (Lodestar's SSZ types), as the deposit contract checks it. */
export function depositDataRootOf(pubkey: Hex, withdrawalCredentials: Hex, signature: Hex, amountGwei: bigint): Hex {
  return bytesToHex(
    ssz.phase0.DepositData.hashTreeRoot({
      pubkey: hexToBytes(pubkey),
      withdrawalCredentials: hexToBytes(withdrawalCredentials),
      amount: Number(amountGwei),
      signature: hexToBytes(signature),
    }),
  );
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
