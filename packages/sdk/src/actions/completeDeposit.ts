import type { Hex } from "viem";
import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { OPERATOR_REGISTRY, operatorRegistry, transactionResult } from "../internal/contracts.ts";
import { type SendErrorType, send } from "../internal/send.ts";

/**
 * A beacon-state proof that `validators[beaconIndex]` holds `pubkey` with `withdrawalCredentials`, against the beacon
 * block root the EIP-4788 contract keeps for the execution block with `beaconTimestamp`.
 */
export type WithdrawalCredentialsProof = {
  /** The validator public key (48 bytes). */
  pubkey: Hex;
  /** Timestamp of an execution block within the last 8191 whose parent beacon block root the proof is against. */
  beaconTimestamp: bigint;
  /** The validator's index in the beacon state's registry. */
  beaconIndex: bigint;
  /** `validators[beaconIndex].withdrawal_credentials`. */
  withdrawalCredentials: Hex;
  /** The 53 sibling hashes from the credentials leaf to the block root, bottom-up (the first is the pubkey root). */
  proof: readonly Hex[];
};

export type CompleteDepositParameters = WithContracts<"operatorRegistry"> & WithdrawalCredentialsProof;

export type CompleteDepositReturnType = TransactionResult & {
  /**
   * True: the credentials are the protocol's and the pool deposited the remaining 31 ETH. False: the key was front-run
   * with foreign credentials; the validator is now `unusable`, its 31 ETH are back in the buffer and its cluster's bond
   * was slashed for the 1 ETH predeposit.
   */
  deposited: boolean;
};

/**
 * `ContractRevertedError`: `UnknownValidatorPubkey`, `InvalidStatus` (not `predeposited`), and the deposit verifier's
 * `BeaconRootNotFound` (timestamp unknown or older than 8191 blocks), `InvalidMerkleProof`, `InvalidProofLength`,
 * `PubkeyNotAtBeaconIndex`, `ValidatorIndexOutOfRange`.
 */
export type CompleteDepositErrorType = SendErrorType;

/**
 * Completes the two-step deposit of a predeposited validator from a beacon-state proof of its withdrawal credentials
 * (see `OperatorRegistry.completeDeposit`). Anyone may call; the simulation refuses a bad proof before anything is sent.
 */
export async function completeDeposit(
  client: NektarWriteClient,
  p: CompleteDepositParameters,
): Promise<CompleteDepositReturnType> {
  const sent = await send(client, OPERATOR_REGISTRY, {
    ...operatorRegistry(p.contracts),
    functionName: "completeDeposit",
    args: [p.pubkey, p.beaconTimestamp, p.beaconIndex, p.withdrawalCredentials, p.proof],
  });
  return { ...transactionResult(sent), deposited: sent.result };
}
