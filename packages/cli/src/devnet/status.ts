import {
  type GetExitStateReturnType,
  type GetRestakingStateReturnType,
  getExitState,
  getOperatorCount,
  getOperatorStrikes,
  getPoolState,
  getRestakingState,
  listValidators,
  type NektarContracts,
  type NektarReadClient,
  type PoolState,
  VALIDATOR_STATUSES,
  type ValidatorStatus,
} from "@nektar/sdk";
import { type BeaconHead, beaconHead } from "./beacon.ts";
import type { DistributorStatus } from "./distributor.ts";
import type { Effectiveness } from "./effectiveness.ts";
import type { FinalityStatus } from "./network.ts";
import type { OperatorPerformance } from "./performance.ts";

/** MINIMAL preset: 8 slots per epoch. */
export const SLOTS_PER_EPOCH = 8;

export type DevnetStatus = {
  slot: number;
  epoch: number;
  justifiedEpoch: number;
  finalizedEpoch: number;
  validators: Record<ValidatorStatus, number>;
  operatorsRegistered: number;
  /** Operators whose Stinger node answers /health. */
  operatorsOnline: number;
  /** Operators whose Stinger node reports healthy (beacon node synced, every cluster with duties quorate). */
  operatorsHealthy: number;
  /** Attestation inclusion rate of active distributed validators; undefined while none is active. */
  dvInclusionRate: number | undefined;
  /**
   * Blocks the distributed validators proposed, how many pay the withdrawal vault (their fee recipient) and how many
   * carry a builder's payload (`builder`, absent in older snapshots; the rest are local blocks).
   */
  dvBlocks: { proposed: number; payingVault: number; builder?: number };
  /** Whether the devnet runs the builder flow (`npm start -- --builder`; absent in older snapshots). */
  builderFlow?: boolean | undefined;
  /** Attestation rewards earned ÷ ideal (rewards endpoints): distributed validators next to the devnet's own. */
  effectiveness: Effectiveness;
  pool: PoolState;
  /** Restaked divETH, stake per restaking operator, networks. */
  restaking: GetRestakingStateReturnType;
  /** The example finality-relay Network (undefined when the devnet runs without it). */
  finality?: FinalityStatus | undefined;
  /** The devnet's Distributor (absent when its creation failed, and in older snapshots). */
  distributor?: DistributorStatus | undefined;
  /** Validator exits: exits in flight, withdrawal shortfall, next validator in line (absent in older snapshots). */
  exits?: GetExitStateReturnType | undefined;
  /** Per operator, its share's performance in the last frame with signed statements (absent in older snapshots). */
  performance?: OperatorPerformance[] | undefined;
  /** Operators with strikes (missed DKGs) in the registry's window, or ejected (absent in older snapshots). */
  strikes?: OperatorStrikes[] | undefined;
  notes: string[];
};

/** An operator's strikes within the registry's window; ejected operators are listed whatever their strikes. */
export type OperatorStrikes = { operatorId: bigint; inWindow: bigint; strikesToEject: bigint; ejected: boolean };

/** Reads the chain state the status screen shows. */
export async function readStatus(p: {
  client: NektarReadClient;
  contracts: NektarContracts;
  beaconUrl: string;
  operatorsRegistered: number;
  operatorsOnline: number;
  operatorsHealthy: number;
  dvInclusionRate: number | undefined;
  dvBlocks: { proposed: number; payingVault: number; builder?: number };
  builderFlow?: boolean | undefined;
  effectiveness?: Effectiveness;
  notes: string[];
  /** The deployment block (restaking operators are found from events after it). */
  fromBlock?: bigint | undefined;
  finality?: FinalityStatus | undefined;
  distributor?: DistributorStatus | undefined;
  performance?: OperatorPerformance[] | undefined;
}): Promise<DevnetStatus> {
  const [head, pool, list, restaking, exits, strikes] = await Promise.all([
    beaconHead(p.beaconUrl).catch((): BeaconHead => ({ slot: -1, justifiedEpoch: -1, finalizedEpoch: -1 })),
    getPoolState(p.client, { contracts: p.contracts }),
    listValidators(p.client, { contracts: p.contracts, limit: 1000n }),
    getRestakingState(p.client, { contracts: p.contracts, fromBlock: p.fromBlock }),
    getExitState(p.client, { contracts: p.contracts }),
    readStrikes(p.client, p.contracts),
  ]);
  const validators = Object.fromEntries(VALIDATOR_STATUSES.map((s) => [s, 0])) as Record<ValidatorStatus, number>;
  for (const v of list.validators) validators[v.status]++;
  return {
    slot: head.slot,
    epoch: head.slot < 0 ? -1 : Math.floor(head.slot / SLOTS_PER_EPOCH),
    justifiedEpoch: head.justifiedEpoch,
    finalizedEpoch: head.finalizedEpoch,
    validators,
    operatorsRegistered: p.operatorsRegistered,
    operatorsOnline: p.operatorsOnline,
    operatorsHealthy: p.operatorsHealthy,
    dvInclusionRate: p.dvInclusionRate,
    dvBlocks: p.dvBlocks,
    builderFlow: p.builderFlow,
    effectiveness: p.effectiveness ?? { dv: undefined, devnet: undefined },
    pool,
    restaking,
    finality: p.finality,
    distributor: p.distributor,
    exits,
    performance: p.performance,
    strikes,
    notes: p.notes,
  };
}

/** Every operator with a strike in the window or ejected (a devnet has a few dozen operators: one read each). */
async function readStrikes(client: NektarReadClient, contracts: NektarContracts): Promise<OperatorStrikes[]> {
  const count = await getOperatorCount(client, { contracts });
  const all = await Promise.all(
    Array.from({ length: Number(count) }, async (_, i) => {
      const operatorId = BigInt(i + 1);
      const s = await getOperatorStrikes(client, { contracts, operatorId });
      return { operatorId, inWindow: s.inWindow, strikesToEject: s.strikesToEject, ejected: s.ejected };
    }),
  );
  return all.filter((o) => o.inWindow > 0n || o.ejected);
}
