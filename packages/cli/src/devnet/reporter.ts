import { finalizeWithdrawals, getPoolState, type NektarContracts, type NektarWriteClient } from "@nektar/sdk";

export type UpkeepOutcome = {
  /** Withdrawal requests finalized in this round. */
  finalized: bigint;
};

/**
 * One round of the devnet's upkeep (run each epoch): finalizes the withdrawal requests the last applied accounting
 * report made payable. The orchestrator no longer reports accounting or lifecycle statuses: the accounting oracle is
 * permissionless (bonded operators post disputable reports; anyone can finalize a frame by proofs or prove a
 * validator's status, see `@nektar/sdk` `finalizeFrameByProofs`/`proveValidatorStatus`), and that upkeep belongs to
 * the Stinger nodes.
 */
export async function upkeepOnce(p: {
  client: NektarWriteClient;
  contracts: NektarContracts;
}): Promise<UpkeepOutcome | undefined> {
  const { client, contracts } = p;
  const pool = await getPoolState(client, { contracts });
  if (pool.lastRequestId <= pool.lastFinalizedRequestId) return undefined;
  return { finalized: (await finalizeWithdrawals(client, { contracts })).finalized };
}
