import { computeDomain, computeSigningRoot } from "@lodestar/state-transition";
import { ssz } from "@lodestar/types";
import { LodestarError } from "@lodestar/utils";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { abiAddressWord, abiBytesTail, abiConcat, abiSize, abiWord } from "../abi/encode.ts";

/**
 * The message a resharing result is accepted on: the **validator's own key** (a threshold signature of the old
 * shares) signs it, so only a quorum of the current holders can name the new shares and membership. The matching
 * Solidity library is `contracts/src/libraries/ReshareMessage.sol`; a contracts test checks both give the same bytes.
 *
 *   resultRoot  = keccak256(abi.encode(RESHARE_RESULT_TAG, chainId, registry, validatorPubkey, nonce, leavingIndex,
 *                                      newcomer, members, sharePublicKeys))
 *   signingRoot = compute_signing_root(resultRoot, compute_domain(DOMAIN_NEKTAR_RESHARE, genesisForkVersion, 0x00…))
 *
 * with `validatorPubkey` (48 bytes) and `sharePublicKeys` (48 bytes each, concatenated in seat order) as `bytes` and
 * `members` as `address[]`. The domain type sets the consensus specs' application mask (`0x00000001`, as the builder
 * API's `DOMAIN_APPLICATION_BUILDER` does) so no beacon-chain message can ever have this signing root; like deposits it
 * is computed with the genesis fork version and a zero genesis validators root, which a contract knows.
 */
export const DOMAIN_NEKTAR_RESHARE = Uint8Array.of(0x4e, 0x4b, 0x52, 0x01);
/** keccak256("NEKTAR_RESHARE_RESULT_V1"): the first word of the encoding, so no other Nektar message collides. */
export const RESHARE_RESULT_TAG = keccak_256(new TextEncoder().encode("NEKTAR_RESHARE_RESULT_V1"));

export type ReshareMessageErrorType = { code: "ERR_RESHARE_MESSAGE_INVALID_FIELD"; field: string; reason: string };
export class ReshareMessageError extends LodestarError<ReshareMessageErrorType> {}

/** What the validator key approves when its operator set changes. */
export type ReshareMessageParameters = {
  chainId: bigint | number;
  /** The contract that requested the reshare (the operator registry). */
  registry: `0x${string}`;
  /** The validator key (48 bytes), unchanged by the resharing. */
  validatorPubkey: Uint8Array;
  /** The request's nonce: a result for one request can never be replayed for another. */
  nonce: bigint;
  /** The seat (1-based share index) whose operator left; the newcomer holds it now. */
  leavingIndex: number;
  /** The operator that took the seat. */
  newcomer: `0x${string}`;
  /** The new membership, seat order (seat i = index + 1); `members[leavingIndex - 1]` is the newcomer. */
  members: readonly `0x${string}`[];
  /** The new share public keys, seat order (48 bytes each). */
  sharePublicKeys: readonly Uint8Array[];
  /** The network's GENESIS_FORK_VERSION (4 bytes). */
  genesisForkVersion: Uint8Array;
};

function invalid(field: string, reason: string): never {
  throw new ReshareMessageError({ code: "ERR_RESHARE_MESSAGE_INVALID_FIELD", field, reason });
}

const word = (value: bigint, field: string): Uint8Array => abiWord(value, field, invalid);
const addressWord = (hex: string, field: string): Uint8Array => abiAddressWord(hex, field, invalid);
const bytesTail = (data: Uint8Array): Uint8Array[] => abiBytesTail(data, invalid);
const concat = abiConcat;

function check(p: ReshareMessageParameters): void {
  if (p.validatorPubkey.length !== 48) invalid("validatorPubkey", "must be 48 bytes");
  if (p.genesisForkVersion.length !== 4) invalid("genesisForkVersion", "must be 4 bytes");
  if (p.members.length === 0 || p.members.length > 255) invalid("members", "must list 1..255 operators");
  if (p.sharePublicKeys.length !== p.members.length) invalid("sharePublicKeys", "one share public key per member");
  p.sharePublicKeys.forEach((k, i) => {
    if (k.length !== 48) invalid(`sharePublicKeys[${i}]`, "must be 48 bytes");
  });
  if (!Number.isInteger(p.leavingIndex) || p.leavingIndex < 1 || p.leavingIndex > p.members.length)
    invalid("leavingIndex", `must be a seat 1..${p.members.length}`);
  if (p.members[p.leavingIndex - 1]?.toLowerCase() !== p.newcomer.toLowerCase())
    invalid("members", "the leaving seat must hold the newcomer");
}

/**
 * `abi.encode(RESHARE_RESULT_TAG, chainId, registry, validatorPubkey, nonce, leavingIndex, newcomer, members,
 * sharePublicKeys)`: what `ReshareMessage.encode` returns in Solidity.
 */
export function encodeReshareResult(p: ReshareMessageParameters): Uint8Array {
  check(p);
  const heads = 9;
  const pubkeyTail = bytesTail(p.validatorPubkey);
  const membersTail = [
    word(BigInt(p.members.length), "members.length"),
    ...p.members.map((m, i) => addressWord(m, `members[${i}]`)),
  ];
  const sharesTail = bytesTail(concat([...p.sharePublicKeys]));
  const size = abiSize;
  const pubkeyOffset = heads * 32;
  const membersOffset = pubkeyOffset + size(pubkeyTail);
  const sharesOffset = membersOffset + size(membersTail);
  return concat([
    RESHARE_RESULT_TAG,
    word(BigInt(p.chainId), "chainId"),
    addressWord(p.registry, "registry"),
    word(BigInt(pubkeyOffset), "offset"),
    word(p.nonce, "nonce"),
    word(BigInt(p.leavingIndex), "leavingIndex"),
    addressWord(p.newcomer, "newcomer"),
    word(BigInt(membersOffset), "offset"),
    word(BigInt(sharesOffset), "offset"),
    ...pubkeyTail,
    ...membersTail,
    ...sharesTail,
  ]);
}

/** keccak256 of {@link encodeReshareResult}: the result's object root (`ReshareMessage.resultRoot`). */
export function computeReshareResultRoot(p: ReshareMessageParameters): Uint8Array {
  return keccak_256(encodeReshareResult(p));
}

/** compute_domain(DOMAIN_NEKTAR_RESHARE, genesisForkVersion, zero root). */
export function computeReshareDomain(genesisForkVersion: Uint8Array): Uint8Array {
  if (genesisForkVersion.length !== 4) invalid("genesisForkVersion", "must be 4 bytes");
  return computeDomain(DOMAIN_NEKTAR_RESHARE, genesisForkVersion, new Uint8Array(32));
}

/** The root the validator key signs (11 old shares, combined): `ReshareMessage.signingRoot` in Solidity. */
export function computeReshareSigningRoot(p: ReshareMessageParameters): Uint8Array {
  return computeSigningRoot(ssz.Root, computeReshareResultRoot(p), computeReshareDomain(p.genesisForkVersion));
}
