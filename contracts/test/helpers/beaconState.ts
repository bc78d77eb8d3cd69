import { ssz } from "@lodestar/types";
import type { NetworkConnection } from "hardhat/types/network";
import { bytesToHex, type Hex, hexToBytes, numberToHex } from "viem";
import { concatGindices, type MerkleNode, singleProof } from "./beaconProofs.ts";

/** The EIP-4788 beacon roots contract and its ring buffer length. */
export const BEACON_ROOTS = "0x000F3df6D732807Ef1319fB7B8bB8522d0Beac02";
export const HISTORY_BUFFER_LENGTH = 8191n;
const FAR_FUTURE_EPOCH = Number.POSITIVE_INFINITY;
/** `Validator.withdrawal_credentials` is field 1 of 8: gindex `8 + 1` inside the record. */
const CREDENTIALS_IN_VALIDATOR = 9n;

/** A validator record to place in a built state (the other fields are those of a freshly deposited validator). */
export type StateValidator = { pubkey: Hex; withdrawalCredentials: Hex; effectiveBalanceGwei?: number };

/** A beacon block over an Electra state built with Lodestar's SSZ types, and proofs into it. */
export type BuiltBeaconState = {
  blockRoot: Hex;
  /** `validators[index].withdrawal_credentials` and its 53 sibling hashes from the block root (bottom-up). */
  credentialsProof(index: number): { withdrawalCredentials: Hex; proof: Hex[] };
};

/**
 * Builds an Electra `BeaconState` whose registry holds `validators` (in order, from index 0), and a `BeaconBlock`
 * committing to it, with `@lodestar/types` — the same SSZ types a beacon node serves its states with, so the
 * generalized indices the contracts use are checked against an independent implementation.
 */
export function buildBeaconState(validators: readonly StateValidator[], slot = 1_000): BuiltBeaconState {
  const state = ssz.electra.BeaconState.defaultViewDU();
  state.slot = slot;
  for (const v of validators) {
    state.validators.push(
      ssz.phase0.Validator.toViewDU({
        pubkey: hexToBytes(v.pubkey),
        withdrawalCredentials: hexToBytes(v.withdrawalCredentials),
        effectiveBalance: v.effectiveBalanceGwei ?? 1_000_000_000,
        slashed: false,
        activationEligibilityEpoch: FAR_FUTURE_EPOCH,
        activationEpoch: FAR_FUTURE_EPOCH,
        exitEpoch: FAR_FUTURE_EPOCH,
        withdrawableEpoch: FAR_FUTURE_EPOCH,
      }),
    );
    state.balances.push(v.effectiveBalanceGwei ?? 1_000_000_000);
  }
  state.commit();
  const block = ssz.electra.BeaconBlock.defaultValue();
  block.slot = slot;
  block.stateRoot = state.hashTreeRoot();
  const blockView = ssz.electra.BeaconBlock.toViewDU(block);
  const stateRootGindex = ssz.electra.BeaconBlock.getPathInfo(["stateRoot"]).gindex;
  const blockNode = blockView.node as unknown as MerkleNode;
  const stateNode = state.node as unknown as MerkleNode;
  return {
    blockRoot: bytesToHex(blockView.hashTreeRoot()),
    credentialsProof(index: number) {
      const record = ssz.electra.BeaconState.getPathInfo(["validators", index]).gindex;
      const inState = singleProof(stateNode, concatGindices(record, CREDENTIALS_IN_VALIDATOR));
      const stateInBlock = singleProof(blockNode, stateRootGindex);
      return {
        withdrawalCredentials: bytesToHex(inState.leaf),
        proof: [...inState.witnesses, ...stateInBlock.witnesses].map((w) => bytesToHex(w)),
      };
    },
  };
}

/**
 * Writes `root` into the EIP-4788 contract's ring buffer as the parent beacon block root of the execution block with
 * `timestamp` (what the beacon-devnet bridge does for each block), so contracts can read it back.
 */
export async function setBeaconRoot(
  testClient: Awaited<ReturnType<NetworkConnection["viem"]["getTestClient"]>>,
  timestamp: bigint,
  root: Hex,
): Promise<void> {
  const word = (n: bigint) => numberToHex(n, { size: 32 });
  const slot = timestamp % HISTORY_BUFFER_LENGTH;
  await testClient.setStorageAt({ address: BEACON_ROOTS, index: word(slot), value: word(timestamp) });
  await testClient.setStorageAt({ address: BEACON_ROOTS, index: word(slot + HISTORY_BUFFER_LENGTH), value: root });
}
