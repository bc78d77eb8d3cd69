import type { AnchoredBeaconState, ReportLeaf } from "@nektar/crypto";
import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { oracleProverAbi } from "../generated/abis.ts";
import { ACCOUNTING_ORACLE, accountingOracle, transactionResult } from "../internal/contracts.ts";
import { read } from "../internal/read.ts";
import { type SendErrorType, send } from "../internal/send.ts";

const ORACLE_PROVER = "OracleProver";

export type FinalizeFrameByProofsParameters = WithContracts<"accountingOracle"> & {
  frame: bigint;
  anchorTimestamp: bigint;
  /** The anchored state. */
  state: AnchoredBeaconState;
  /** The protocol's validators in it (`buildOracleReport(...).leaves`). */
  leaves: readonly ReportLeaf[];
  withdrawalVaultBalance: bigint;
  /** Validators per transaction (default 20). */
  batchSize?: number;
};

export type FinalizeFrameByProofsReturnType = { transactions: TransactionResult[] };

/** `ContractRevertedError` with the prover's and oracle's errors (`NotProtocolValidator`, share-rate limits, …). */
export type FinalizeFrameByProofsErrorType = SendErrorType;

/**
 * Finalizes the current frame without any reporter (anyone, paying the gas): opens a proof frame on the oracle's
 * `OracleProver`, then proves every validator in batches; the last batch applies the frame.
 */
export async function finalizeFrameByProofs(
  client: NektarWriteClient,
  p: FinalizeFrameByProofsParameters,
): Promise<FinalizeFrameByProofsReturnType> {
  const address = await read(client, ACCOUNTING_ORACLE, { ...accountingOracle(p.contracts), functionName: "prover" });
  const prover = { address, abi: oracleProverAbi } as const;
  const vr = p.state.validatorsRootProof();
  const br = p.state.balancesRootProof();
  const transactions: TransactionResult[] = [];
  const start = await send(client, ORACLE_PROVER, {
    ...prover,
    functionName: "startProofFrame",
    args: [p.frame, p.anchorTimestamp, vr.root, vr.proof, br.root, br.proof, p.withdrawalVaultBalance],
  });
  transactions.push(transactionResult(start));
  const size = p.batchSize ?? 20;
  for (let i = 0; i < p.leaves.length; i += size) {
    const batch = p.leaves.slice(i, i + size).map((l) => {
      const index = Number(l.beaconIndex);
      const b = p.state.balanceInListProof(index);
      return {
        beaconIndex: l.beaconIndex,
        validator: p.state.validator(index),
        validatorProof: p.state.validatorInListProof(index),
        balancesChunk: b.chunk,
        balanceProof: b.proof,
      };
    });
    const sent = await send(client, ORACLE_PROVER, {
      ...prover,
      functionName: "proveValidators",
      args: [p.frame, batch],
    });
    transactions.push(transactionResult(sent));
  }
  return { transactions };
}
