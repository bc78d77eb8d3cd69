import type { AnchoredBeaconState, ReportLeaf } from "@nektar/crypto";
import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { ORACLE_PROVER, oracleProver, transactionResult } from "../internal/contracts.ts";
import { type SendErrorType, send } from "../internal/send.ts";

/**
 * Validators per `proveValidators` transaction: neighbouring validators share their upper sibling hashes, so larger
 * batches are cheaper per validator; 64 stays far below the block gas limit at mainnet depth (~3M gas).
 */
const DEFAULT_BATCH_SIZE = 64;

export type FinalizeFrameByProofsParameters = WithContracts<"accountingOracle"> & {
  frame: bigint;
  /** The frame's snapshot anchor (`snapshotOracleFrame` / `getOracleFrameSnapshot`). */
  anchorTimestamp: bigint;
  /** The anchored state. */
  state: AnchoredBeaconState;
  /** The protocol's validators in it (`buildOracleReport(...).leaves`). */
  leaves: readonly ReportLeaf[];
  /** Validators per transaction (default 64). */
  batchSize?: number;
};

export type FinalizeFrameByProofsReturnType = { transactions: TransactionResult[] };

/** `ContractRevertedError` with the prover's and oracle's errors (`NotProtocolValidator`, share-rate limits, …). */
export type FinalizeFrameByProofsErrorType = SendErrorType;

/**
 * Finalizes the current frame without any reporter (anyone, paying the gas; the frame must be snapshotted): opens the sender's proof session on the
 * oracle's `OracleProver` (the state's data subtrees holding every validator, proven once), then proves every
 * validator in batches (packed records, shared balance chunks and multiproofs); the last batch applies the frame.
 */
export async function finalizeFrameByProofs(
  client: NektarWriteClient,
  p: FinalizeFrameByProofsParameters,
): Promise<FinalizeFrameByProofsReturnType> {
  const prover = await oracleProver(client, p.contracts);
  const roots = p.state.proofFrameRoots();
  const transactions: TransactionResult[] = [];
  const start = await send(client, ORACLE_PROVER, {
    ...prover,
    functionName: "startProofFrame",
    args: [
      p.frame,
      p.anchorTimestamp,
      roots.listLength,
      roots.validatorsSubtreeRoot,
      roots.validatorsRootProof,
      roots.balancesSubtreeRoot,
      roots.balancesRootProof,
    ],
  });
  transactions.push(transactionResult(start));
  const size = p.batchSize ?? DEFAULT_BATCH_SIZE;
  for (let i = 0; i < p.leaves.length; i += size) {
    const batch = p.state.validatorBatchProof(p.leaves.slice(i, i + size).map((l) => Number(l.beaconIndex)));
    const sent = await send(client, ORACLE_PROVER, {
      ...prover,
      functionName: "proveValidators",
      args: [p.frame, batch.records, batch.balancesChunks, batch.proof],
    });
    transactions.push(transactionResult(sent));
  }
  return { transactions };
}
