import type { CachedBeaconStateAllForks } from "@lodestar/state-transition";
import type { altair, electra, phase0 } from "@lodestar/types";

/** A block the chain has imported. */
export type StoredBlock = {
  root: Uint8Array;
  rootHex: string;
  slot: number;
  parentRootHex: string;
  stateRootHex: string;
  signedBlock: electra.SignedBeaconBlock;
};

/** Source of everything a block includes besides what the proposer itself supplies. */
export interface BlockOperationSource {
  /** Attestations valid for inclusion in a block built on `state` (already advanced to the block's slot). */
  getAttestationsForBlock(state: CachedBeaconStateAllForks): electra.Attestation[];
  /** The sync aggregate for the block root at `slot` (the parent's slot of the new block). */
  getSyncAggregate(slot: number, beaconBlockRoot: Uint8Array): altair.SyncAggregate;
  /** Voluntary exits valid against `state`. */
  getVoluntaryExitsForBlock(state: CachedBeaconStateAllForks): phase0.SignedVoluntaryExit[];
  /** Execution-layer requests (EIP-6110 deposits, EIP-7002 withdrawals) to include in a block on `parentRoot`. */
  getExecutionRequests(parentRoot: Uint8Array): electra.ExecutionRequests;
}

/** Events the chain emits after importing blocks. */
export type ChainEvents = {
  block: [StoredBlock];
  head: [
    {
      block: StoredBlock;
      epochTransition: boolean;
      previousDutyDependentRoot: string;
      currentDutyDependentRoot: string;
    },
  ];
  finalized: [{ root: string; epoch: number; stateRoot: string }];
};
