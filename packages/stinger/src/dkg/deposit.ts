import { PublicKey, Signature, verify } from "@chainsafe/blst";
import { DOMAIN_DEPOSIT } from "@lodestar/params";
import { ssz } from "@lodestar/types";

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
 * Deposit signing root, computed from the consensus specs directly with Lodestar's SSZ types: the deposit domain uses
 * the genesis fork version and a zero genesis validators root (deposits are valid across forks of one chain).
 */
export function depositSigningRoot(input: DepositInput): Uint8Array {
  const message = {
    pubkey: input.pubkey,
    withdrawalCredentials: input.withdrawalCredentials,
    amount: Number(input.amountGwei),
  };
  const forkDataRoot = ssz.phase0.ForkData.hashTreeRoot({
    currentVersion: input.forkVersion,
    genesisValidatorsRoot: new Uint8Array(32),
  });
  const domain = new Uint8Array(32);
  domain.set(DOMAIN_DEPOSIT, 0);
  domain.set(forkDataRoot.subarray(0, 28), 4);
  return ssz.phase0.SigningData.hashTreeRoot({
    objectRoot: ssz.phase0.DepositMessage.hashTreeRoot(message),
    domain,
  });
}

export function depositMessageRoot(input: DepositInput): Uint8Array {
  return ssz.phase0.DepositMessage.hashTreeRoot({
    pubkey: input.pubkey,
    withdrawalCredentials: input.withdrawalCredentials,
    amount: Number(input.amountGwei),
  });
}

export function depositDataRoot(input: DepositInput, signature: Uint8Array): Uint8Array {
  return ssz.phase0.DepositData.hashTreeRoot({
    pubkey: input.pubkey,
    withdrawalCredentials: input.withdrawalCredentials,
    amount: Number(input.amountGwei),
    signature,
  });
}

/** Standard BLS verification of a deposit signature against the validator key (both subgroup-checked). */
export function verifyDepositSignature(input: DepositInput, signature: Uint8Array): boolean {
  try {
    const pk = PublicKey.fromBytes(input.pubkey, true);
    const sig = Signature.fromBytes(signature, true);
    return verify(depositSigningRoot(input), pk, sig);
  } catch {
    return false;
  }
}

export function depositDataJson(input: DepositInput, signature: Uint8Array, networkName: string): DepositDataJson {
  const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
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
