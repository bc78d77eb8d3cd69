import {
  finalizeWithdrawals,
  getOracleState,
  getPoolState,
  listValidators,
  type NektarContracts,
  type NektarWriteClient,
  reportValidatorStatus,
  submitOracleReport,
} from "@nektar/sdk";
import { getBalance, getBlock } from "viem/actions";
import { beaconValidators } from "./beacon.ts";

const GWEI = 10n ** 9n;

const ACTIVE = new Set(["active_ongoing", "active_exiting", "active_slashed"]);
/** Registry statuses of validators that hold their full 32 ETH deposit. */
const FULLY_DEPOSITED = new Set(["deposited", "active", "exiting", "exited", "withdrawn"]);
const FULL_DEPOSIT_GWEI = 32_000_000_000n;

export type ReportOutcome = {
  beaconValidators: bigint;
  beaconBalance: bigint;
  vault: bigint;
  rewards: bigint;
  finalized: bigint;
};

/**
 * One round of the devnet's oracle (run each epoch): reads the pool's validators on the beacon chain, reports their
 * count and balance plus the withdrawal vault's ether to the role-gated accounting oracle (divETH rebases), marks newly
 * active validators in the registry (lifecycle reporter role), then finalizes the withdrawals the report made payable.
 * The trustless replacement (beacon-state proofs) keeps the same `handleOracleReport` entry point.
 */
export async function reportOnce(p: {
  client: NektarWriteClient;
  contracts: NektarContracts;
  beaconUrl: string;
}): Promise<ReportOutcome | undefined> {
  const { client, contracts } = p;
  // The oracle takes one report per EL timestamp; EL time follows beacon slots and can stand still for a moment
  // (the bridge mines at slot times): skip the round and let the caller retry at the next slot.
  const [latest, oracle] = await Promise.all([getBlock(client), getOracleState(client, { contracts })]);
  if (latest.timestamp <= oracle.lastReportTimestamp) return undefined;
  const { validators } = await listValidators(client, { contracts, limit: 1000n });
  // Only validators holding their full 32 ETH are reported (`depositedValidators`): a predeposit's 1 ETH is carried by
  // the pool itself until its top-up, and a topped-up validator counts once the beacon chain has applied the 31 ETH
  // (before that its 31 ETH are a pending deposit, still counted at 32 ETH by the pool).
  const deposited = validators.filter((v) => v.pubkey !== undefined && FULLY_DEPOSITED.has(v.status));
  const onBeacon = (
    await beaconValidators(
      p.beaconUrl,
      deposited.map((v) => v.pubkey as string),
    )
  ).filter((b) => !b.status.startsWith("pending") || b.balanceGwei >= FULL_DEPOSIT_GWEI);
  const pool = await getPoolState(client, { contracts });
  let count = BigInt(onBeacon.length);
  if (count < pool.beaconValidators) count = pool.beaconValidators; // never decreasing (exited ones stay counted)
  if (count > pool.depositedValidators) count = pool.depositedValidators;
  const balance = onBeacon.reduce((sum, v) => sum + v.balanceGwei * GWEI, 0n);
  const vault = await getBalance(client, { address: contracts.withdrawalVault });
  const report = await submitOracleReport(client, {
    contracts,
    // The beacon state was read after `latest`: every request before that block is covered by the numbers.
    report: {
      beaconValidators: count,
      beaconBalance: balance,
      withdrawalVaultBalance: vault,
      refTimestamp: latest.timestamp,
    },
  });
  for (const v of deposited) {
    const beacon = onBeacon.find((b) => b.pubkey.toLowerCase() === v.pubkey?.toLowerCase());
    if (v.status === "deposited" && beacon && ACTIVE.has(beacon.status)) {
      await reportValidatorStatus(client, { contracts, validatorId: v.validatorId, status: "active" });
    }
  }
  const after = await getPoolState(client, { contracts });
  let finalized = 0n;
  if (after.lastFinalizedRequestId < after.lastRequestId) {
    finalized = (await finalizeWithdrawals(client, { contracts })).finalized;
  }
  return { beaconValidators: count, beaconBalance: balance, vault, rewards: report.rewards, finalized };
}
