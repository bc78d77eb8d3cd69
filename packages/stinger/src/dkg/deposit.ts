import {
  computeDepositDataRoot,
  computeDepositMessageRoot,
  computeDepositMessageSigningRoot,
  DepositError,
  verifyDepositSignature as verifyDeposit,
} from "@nektar/crypto";
import { bytesToHex } from "viem";

/** Deposit data as the launchpad and `staking-deposit-cli` write it (hex without 0x, amount in Gwei). */
export type DepositDataJson = {
  pubkey: string;
  withdrawal_credentials: string;
  amount: number;
  signature: string;
  deposit_message_root: string;
  deposit_data_root: string;
  fork_version: string;
  network_name: string;
  deposit_cli_version: string;
};

export type DepositInput = {
  pubkey: Uint8Array;
  withdrawalCredentials: Uint8Array;
  amountGwei: bigint;
  forkVersion: Uint8Array;
};

/**
 * Deposit signing root (`compute_domain(DOMAIN_DEPOSIT, genesis fork version, zero root)`): deposits are valid across
 * the forks of one chain. The consensus-spec computation lives in `@nektar/crypto`; this module adapts it to the
 * ceremony's deposit input and writes the launchpad's JSON.
 */
export function depositSigningRoot(input: DepositInput): Uint8Array {
  return computeDepositMessageSigningRoot(input);
}

export function depositMessageRoot(input: DepositInput): Uint8Array {
  return computeDepositMessageRoot(input);
}

export function depositDataRoot(input: DepositInput, signature: Uint8Array): Uint8Array {
  return computeDepositDataRoot({ ...input, signature });
}

/**
 * Standard BLS verification of a deposit signature against the validator key (both subgroup-checked). Locks come from
 * other operators, so wrongly sized fields are a failed verification here, not an exception.
 */
export function verifyDepositSignature(input: DepositInput, signature: Uint8Array): boolean {
  try {
    return verifyDeposit({ ...input, signature });
  } catch (e) {
    if (e instanceof DepositError) return false;
    throw e;
  }
}

export function depositDataJson(input: DepositInput, signature: Uint8Array, networkName: string): DepositDataJson {
  // The launchpad deposit-data format writes hex without the 0x prefix.
  const hex = (b: Uint8Array) => bytesToHex(b).slice(2);
  return {
    pubkey: hex(input.pubkey),
    withdrawal_credentials: hex(input.withdrawalCredentials),
    amount: Number(input.amountGwei),
    signature: hex(signature),
    deposit_message_root: hex(depositMessageRoot(input)),
    deposit_data_root: hex(depositDataRoot(input, signature)),
    fork_version: hex(input.forkVersion),
    network_name: networkName,
    deposit_cli_version: "2.7.0",
  };
}
