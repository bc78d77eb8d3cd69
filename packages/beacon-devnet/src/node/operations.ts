import type { CachedBeaconStateAllForks } from "@lodestar/state-transition";
import type { altair, electra, phase0 } from "@lodestar/types";
import { ssz } from "@lodestar/types";
import type { BlockOperationSource } from "../chain/types.ts";
import type { AttestationPool } from "../pool/attestationPool.ts";
import type { SyncCommitteePool } from "../pool/syncCommitteePool.ts";
import type { VoluntaryExitPool } from "../pool/voluntaryExitPool.ts";

/** Where execution-layer requests come from (the EVM bridge), if any. */
export interface ExecutionRequestProvider {
  /** The requests a block on `parentRoot` includes (none its chain already included). */
  getExecutionRequests(parentRoot: Uint8Array): electra.ExecutionRequests;
}

/** Feeds block production from the pools and the EVM bridge. */
export class PoolOperations implements BlockOperationSource {
  private readonly attestations: AttestationPool;
  private readonly syncCommittee: SyncCommitteePool;
  private readonly exits: VoluntaryExitPool;
  requests: ExecutionRequestProvider | null = null;

  constructor(attestations: AttestationPool, syncCommittee: SyncCommitteePool, exits: VoluntaryExitPool) {
    this.attestations = attestations;
    this.syncCommittee = syncCommittee;
    this.exits = exits;
  }

  getAttestationsForBlock(state: CachedBeaconStateAllForks): electra.Attestation[] {
    return this.attestations.getAttestationsForBlock(state);
  }

  getSyncAggregate(slot: number, beaconBlockRoot: Uint8Array): altair.SyncAggregate {
    return this.syncCommittee.getSyncAggregate(slot, beaconBlockRoot);
  }

  getVoluntaryExitsForBlock(state: CachedBeaconStateAllForks): phase0.SignedVoluntaryExit[] {
    return this.exits.getForBlock(state);
  }

  getExecutionRequests(parentRoot: Uint8Array): electra.ExecutionRequests {
    return this.requests?.getExecutionRequests(parentRoot) ?? ssz.electra.ExecutionRequests.defaultValue();
  }
}
