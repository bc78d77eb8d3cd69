import { computeDomain, computeSigningRoot } from "@lodestar/state-transition";
import { ssz } from "@lodestar/types";
import { LodestarError } from "@lodestar/utils";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { abiAddressWord, abiBytesTail, abiConcat, abiSize, abiUintArrayTail, abiWord } from "../abi/encode.ts";

/**
 * The per-share performance statement of one distributed validator for one oracle frame, and the view each cluster
 * member contributes to it. The cluster signs the statement with the **validator's own key** (11 of 16 shares,
 * combined); `contracts/src/libraries/PerformanceStatement.sol` checks it with EIP-2537.
 *
 *   statementRoot = keccak256(abi.encode(PERFORMANCE_STATEMENT_TAG, chainId, oracle, validatorPubkey, frame,
 *                                        uint32[] expected, uint32[] contributed))
 *   viewRoot      = keccak256(abi.encode(PERFORMANCE_VIEW_TAG, chainId, oracle, validatorPubkey, frame, shareIndex,
 *                                        duties, uint32[] contributed))
 *   signingRoot   = compute_signing_root(root, compute_domain(DOMAIN_NEKTAR_PERFORMANCE, genesisForkVersion, 0x00…))
 *
 * `expected[i]`/`contributed[i]` belong to share index i + 1. A view is signed by one member's key share only (it
 * never combines: it is that member's testimony); the statement by the threshold of shares.
 *
 * Why no signature under this domain can ever be slashable, or replayed as a beacon-chain message: the domain type
 * `0x4e4b5203` sets the consensus specs' application bit (`DOMAIN_APPLICATION_MASK` = `0x00000001`, the lowest bit of
 * the last byte), as the builder API's `DOMAIN_APPLICATION_BUILDER` (`0x00000001`) and the reshare domain
 * (`0x4e4b5201`) do. Beacon-chain domain types are `0xNN000000` (`DOMAIN_BEACON_PROPOSER` 0x00000000,
 * `DOMAIN_BEACON_ATTESTER` 0x01000000, …) and never set it — the specs reserve it for applications — and
 * `compute_domain`'s first four bytes are the domain type, so no beacon domain and no beacon signing root equals one
 * of these. Slashing conditions (double proposal, double/surround vote) are defined only over beacon messages, so
 * signing any number of statements cannot slash the validator. The domain uses the genesis fork version and a zero
 * genesis validators root (like deposits and reshares) so a contract can compute it without a beacon state.
 */
export const DOMAIN_NEKTAR_PERFORMANCE = Uint8Array.of(0x4e, 0x4b, 0x52, 0x03);
/** keccak256("NEKTAR_PERFORMANCE_STATEMENT_V1"): first word of a statement's encoding. */
export const PERFORMANCE_STATEMENT_TAG = keccak_256(new TextEncoder().encode("NEKTAR_PERFORMANCE_STATEMENT_V1"));
/** keccak256("NEKTAR_PERFORMANCE_VIEW_V1"): first word of a member view's encoding (never a statement's). */
export const PERFORMANCE_VIEW_TAG = keccak_256(new TextEncoder().encode("NEKTAR_PERFORMANCE_VIEW_V1"));
/** Largest count a statement carries (Solidity `uint32`). */
export const MAX_DUTY_COUNT = 0xffff_ffff;

export type PerformanceMessageErrorType = {
  code: "ERR_PERFORMANCE_MESSAGE_INVALID_FIELD";
  field: string;
  reason: string;
};
export class PerformanceMessageError extends LodestarError<PerformanceMessageErrorType> {}

/** What every statement and view is bound to: the chain, the oracle whose frames are counted, the validator. */
export type PerformanceSubject = {
  chainId: bigint | number;
  /** The accounting oracle: frame `frame` is its frame (`frameAt(timestamp)`). */
  oracle: `0x${string}`;
  /** The distributed validator's key (48 bytes). */
  validatorPubkey: Uint8Array;
  frame: bigint | number;
};

/** Per share index 1..n (array position i is share i + 1): duties expected of it and duties it contributed to. */
export type PerformanceStatement = PerformanceSubject & {
  expected: readonly number[];
  contributed: readonly number[];
};

/**
 * One member's testimony for a frame: `duties` duties of the validator it combined (or saw combined), and for each
 * share index how many of them held that share's partial signature among the combined ones.
 */
export type PerformanceView = PerformanceSubject & {
  shareIndex: number;
  duties: number;
  contributed: readonly number[];
};

function invalid(field: string, reason: string): never {
  throw new PerformanceMessageError({ code: "ERR_PERFORMANCE_MESSAGE_INVALID_FIELD", field, reason });
}

function checkCounts(field: string, counts: readonly number[], n: number): void {
  if (counts.length !== n) invalid(field, `must hold one count per share (${n})`);
  counts.forEach((c, i) => {
    if (!Number.isInteger(c) || c < 0 || c > MAX_DUTY_COUNT) invalid(`${field}[${i}]`, "must be a uint32");
  });
}

function checkSubject(s: PerformanceSubject): void {
  if (s.validatorPubkey.length !== 48) invalid("validatorPubkey", "must be 48 bytes");
  if (BigInt(s.frame) < 0n) invalid("frame", "must not be negative");
}

/** Reverts like `PerformanceStatement.check`: 1..255 shares, uint32 counts, contributed ≤ expected. */
export function checkPerformanceStatement(s: PerformanceStatement): void {
  checkSubject(s);
  const n = s.expected.length;
  if (n === 0 || n > 255) invalid("expected", "must list 1..255 shares");
  checkCounts("expected", s.expected, n);
  checkCounts("contributed", s.contributed, n);
  s.contributed.forEach((c, i) => {
    if (c > (s.expected[i] as number)) invalid(`contributed[${i}]`, "must not exceed expected");
  });
}

const word = (v: bigint | number, field: string): Uint8Array => abiWord(BigInt(v), field, invalid);

/** `abi.encode(TAG, chainId, oracle, validatorPubkey, frame, …rest)` with `rest` words and uint32[] tails. */
function encode(tag: Uint8Array, s: PerformanceSubject, words: Uint8Array[], arrays: readonly number[][]): Uint8Array {
  const heads = 5 + words.length + arrays.length;
  const pubkeyTail = abiBytesTail(s.validatorPubkey, invalid);
  const tails = arrays.map((a, i) => abiUintArrayTail(a, `counts${i}`, invalid));
  let offset = heads * 32 + abiSize(pubkeyTail);
  const offsets: Uint8Array[] = [];
  for (const t of tails) {
    offsets.push(word(offset, "offset"));
    offset += abiSize(t);
  }
  return abiConcat([
    tag,
    word(s.chainId, "chainId"),
    abiAddressWord(s.oracle, "oracle", invalid),
    word(heads * 32, "offset"),
    word(s.frame, "frame"),
    ...words,
    ...offsets,
    ...pubkeyTail,
    ...tails.flat(),
  ]);
}

/** `PerformanceStatement.encode` in Solidity. */
export function encodePerformanceStatement(s: PerformanceStatement): Uint8Array {
  checkPerformanceStatement(s);
  return encode(PERFORMANCE_STATEMENT_TAG, s, [], [[...s.expected], [...s.contributed]]);
}

/** keccak256 of {@link encodePerformanceStatement} (`PerformanceStatement.statementRoot`). */
export function computePerformanceStatementRoot(s: PerformanceStatement): Uint8Array {
  return keccak_256(encodePerformanceStatement(s));
}

/** The encoding of a member's view (off-chain only; a distinct tag so it never equals a statement). */
export function encodePerformanceView(v: PerformanceView): Uint8Array {
  checkSubject(v);
  const n = v.contributed.length;
  if (n === 0 || n > 255) invalid("contributed", "must list 1..255 shares");
  if (!Number.isInteger(v.shareIndex) || v.shareIndex < 1 || v.shareIndex > n) invalid("shareIndex", `must be 1..${n}`);
  checkCounts("duties", [v.duties], 1);
  checkCounts("contributed", v.contributed, n);
  return encode(
    PERFORMANCE_VIEW_TAG,
    v,
    [word(v.shareIndex, "shareIndex"), word(v.duties, "duties")],
    [[...v.contributed]],
  );
}

/** compute_domain(DOMAIN_NEKTAR_PERFORMANCE, genesisForkVersion, zero root). */
export function computePerformanceDomain(genesisForkVersion: Uint8Array): Uint8Array {
  if (genesisForkVersion.length !== 4) invalid("genesisForkVersion", "must be 4 bytes");
  return computeDomain(DOMAIN_NEKTAR_PERFORMANCE, genesisForkVersion, new Uint8Array(32));
}

/** The root the validator key signs (`PerformanceStatement.signingRoot` in Solidity). */
export function computePerformanceSigningRoot(s: PerformanceStatement, genesisForkVersion: Uint8Array): Uint8Array {
  return computeSigningRoot(ssz.Root, computePerformanceStatementRoot(s), computePerformanceDomain(genesisForkVersion));
}

/** The root a member's key share signs for its view. */
export function computePerformanceViewSigningRoot(v: PerformanceView, genesisForkVersion: Uint8Array): Uint8Array {
  return computeSigningRoot(
    ssz.Root,
    keccak_256(encodePerformanceView(v)),
    computePerformanceDomain(genesisForkVersion),
  );
}
