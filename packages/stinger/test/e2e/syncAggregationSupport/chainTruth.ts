/**
 * TEST SUPPORT: what the devnet's chain and pools say about the DVs' aggregation and sync duties, read in-process and
 * independent of Stinger's tracker: accepted aggregates and contributions (recorded as the pools accept them), sync
 * committee positions and the sync aggregate bits of canonical blocks.
 */

import type { altair, electra } from "@lodestar/types";
import type { Devnet } from "@nektar/beacon-devnet";

type SyncState = {
  epochCtx: { getIndexedSyncCommittee(slot: number): { validatorIndexMap: Map<number, number[]> } };
};

export class ChainTruth {
  private readonly devnet: Devnet;
  private readonly dvs: Set<number>;
  /** `${slot}/${validator}` of aggregates / contributions the devnet's pools accepted from a DV. */
  readonly aggregates = new Set<string>();
  readonly contributions = new Set<string>();
  /** First arrival of a DV's sync message: `${slot}/${validator}` → slot and seconds into it (diagnostics). */
  readonly syncArrivals = new Map<string, string>();

  constructor(devnet: Devnet, dvs: number[]) {
    this.devnet = devnet;
    this.dvs = new Set(dvs);
    const pool = devnet.attestationPool;
    const addAggregate = pool.addAggregateAndProof.bind(pool);
    pool.addAggregateAndProof = (signed: electra.SignedAggregateAndProof) => {
      addAggregate(signed);
      const m = signed.message;
      if (this.dvs.has(m.aggregatorIndex)) this.aggregates.add(`${m.aggregate.data.slot}/${m.aggregatorIndex}`);
    };
    const sync = devnet.syncCommitteePool;
    const addMessage = sync.addMessage.bind(sync);
    sync.addMessage = (msg: altair.SyncCommitteeMessage) => {
      const key = `${msg.slot}/${msg.validatorIndex}`;
      if (this.dvs.has(msg.validatorIndex) && !this.syncArrivals.has(key)) {
        const now = devnet.clock.currentSlot();
        const into = (Date.now() / 1000 - devnet.clock.genesisTime) % devnet.clock.secondsPerSlot;
        this.syncArrivals.set(key, `arrived at slot ${now} +${into.toFixed(2)} s`);
      }
      addMessage(msg);
    };
    const addContribution = sync.addContributionAndProof.bind(sync);
    sync.addContributionAndProof = (signed: altair.SignedContributionAndProof) => {
      addContribution(signed);
      const m = signed.message;
      if (this.dvs.has(m.aggregatorIndex)) this.contributions.add(`${m.contribution.slot}/${m.aggregatorIndex}`);
    };
  }

  /** The DVs' positions in the sync committee that signs at `slot` (the committee of `slot + 1`: Lodestar's offset). */
  syncPositions(slot: number): Map<number, number[]> {
    const state = this.devnet.chain.headState as unknown as SyncState;
    const map = state.epochCtx.getIndexedSyncCommittee(slot).validatorIndexMap;
    const out = new Map<number, number[]>();
    for (const v of this.dvs) {
      const positions = map.get(v);
      if (positions !== undefined) out.set(v, positions);
    }
    return out;
  }

  /** Whether the canonical block of `slot + 1` carries the DV's sync message of `slot`; undefined: no block. */
  syncIncluded(slot: number, positions: readonly number[]): boolean | undefined {
    const block = this.devnet.chain.getCanonicalBlockAtSlot(slot + 1);
    if (block === undefined) return undefined;
    const bits = (block.signedBlock.message as electra.BeaconBlock).body.syncAggregate.syncCommitteeBits;
    return positions.some((p) => bits.get(p));
  }

  /** Whether the canonical block of `slot + 1` carries any sync committee bit. */
  syncAggregatePresent(slot: number): boolean {
    const block = this.devnet.chain.getCanonicalBlockAtSlot(slot + 1);
    if (block === undefined) return false;
    return (
      (block.signedBlock.message as electra.BeaconBlock).body.syncAggregate.syncCommitteeBits.getTrueBitIndexes()
        .length > 0
    );
  }
}
