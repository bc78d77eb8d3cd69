import { PublicKey, Signature, verify } from "@chainsafe/blst";
import { DOMAIN_DEPOSIT } from "@lodestar/params";
import { computeDomain, computeSigningRoot } from "@lodestar/state-transition";
import { ssz } from "@lodestar/types";
import { LodestarError } from "@lodestar/utils";

export type DepositErrorType =
  | { code: "ERR_DEPOSIT_INVALID_FIELD"; field: string; reason: string }
  | { code: "ERR_DEPOSIT_INVALID_SIGNATURE" };

export class DepositError extends LodestarError<DepositErrorType> {}

/** Fields of a DepositMessage: what the validator key signs. */
export type DepositMessageParameters = {
  /** 48-byte validator public key. */
  pubkey: Uint8Array;
  /** 32-byte withdrawal credentials (0x01/0x02 prefix + address for Nektar's vault). */
  withdrawalCredentials: Uint8Array;
  /** Deposit amount in gwei (32 ETH = 32_000_000_000). */
  amountGwei: bigint | number;
};

export type DepositSigningRootParameters = DepositMessageParameters & {
  /** The network's GENESIS_FORK_VERSION (4 bytes): deposits are valid across forks, signed with the genesis version. */
  forkVersion: Uint8Array;
};

export type DepositDataParameters = DepositMessageParameters & {
  /** 96-byte BLS signature over the deposit signing root (e.g. a threshold-combined one). */
  signature: Uint8Array;
};

const ZERO_ROOT = new Uint8Array(32);
/** Amounts are SSZ uint64 values handled as JS numbers by Lodestar; anything above 2^53 gwei is not a real deposit. */
const MAX_AMOUNT_GWEI = BigInt(Number.MAX_SAFE_INTEGER);

function field(value: Uint8Array, length: number, name: string): Uint8Array {
  if (!(value instanceof Uint8Array) || value.length !== length) {
    throw new DepositError({ code: "ERR_DEPOSIT_INVALID_FIELD", field: name, reason: `must be ${length} bytes` });
  }
  return value;
}

function amount(value: bigint | number): number {
  const v = BigInt(value);
  if (v <= 0n || v > MAX_AMOUNT_GWEI) {
    throw new DepositError({
      code: "ERR_DEPOSIT_INVALID_FIELD",
      field: "amountGwei",
      reason: "must be 1..2^53-1 gwei",
    });
  }
  return Number(v);
}

function depositMessage(p: DepositMessageParameters): {
  pubkey: Uint8Array;
  withdrawalCredentials: Uint8Array;
  amount: number;
} {
  return {
    pubkey: field(p.pubkey, 48, "pubkey"),
    withdrawalCredentials: field(p.withdrawalCredentials, 32, "withdrawalCredentials"),
    amount: amount(p.amountGwei),
  };
}

/** compute_domain(DOMAIN_DEPOSIT, forkVersion, genesis_validators_root = 0x00…00), as the deposit contract expects. */
export function computeDepositDomain(forkVersion: Uint8Array): Uint8Array {
  return computeDomain(DOMAIN_DEPOSIT, field(forkVersion, 4, "forkVersion"), ZERO_ROOT);
}

/** hash_tree_root(DepositMessage) ("deposit_message_root" in deposit-cli output). */
export function computeDepositMessageRoot(p: DepositMessageParameters): Uint8Array {
  return ssz.phase0.DepositMessage.hashTreeRoot(depositMessage(p));
}

/** The root the validator key (or its 11 shares) signs: compute_signing_root(DepositMessage, deposit domain). */
export function computeDepositMessageSigningRoot(p: DepositSigningRootParameters): Uint8Array {
  return computeSigningRoot(ssz.phase0.DepositMessage, depositMessage(p), computeDepositDomain(p.forkVersion));
}

/** hash_tree_root(DepositData): the `deposit_data_root` argument of the deposit contract's `deposit` call. */
export function computeDepositDataRoot(p: DepositDataParameters): Uint8Array {
  return ssz.phase0.DepositData.hashTreeRoot({ ...depositMessage(p), signature: field(p.signature, 96, "signature") });
}

/** Check a deposit signature like the beacon chain does (pubkey and signature subgroup-checked). */
export function verifyDepositSignature(p: DepositDataParameters & { forkVersion: Uint8Array }): boolean {
  let pk: PublicKey;
  let sig: Signature;
  try {
    pk = PublicKey.fromBytes(field(p.pubkey, 48, "pubkey"), true);
    sig = Signature.fromBytes(field(p.signature, 96, "signature"), true);
  } catch (e) {
    if (e instanceof DepositError) throw e;
    return false;
  }
  return verify(computeDepositMessageSigningRoot(p), pk, sig, false, false);
}
