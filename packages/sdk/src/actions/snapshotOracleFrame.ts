import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { ORACLE_PROVER, oracleProver, transactionResult } from "../internal/contracts.ts";
import { read } from "../internal/read.ts";
import { type SendErrorType, send } from "../internal/send.ts";

export type SnapshotOracleFrameParameters = WithContracts<"accountingOracle"> & {
  /** The current frame (after the last applied one). */
  frame: bigint;
};

export type SnapshotOracleFrameReturnType = TransactionResult & {
  /** The anchor every report and proof session of the frame must use (the slot time of the snapshot's block). */
  anchorTimestamp: bigint;
  /** Wei applying the frame would pull from the withdrawal vault (what reached it up to the snapshot, not yet pulled). */
  vaultPull: bigint;
};

/**
 * `ContractRevertedError` with `NotCurrentFrame`, `FrameAlreadyFinalized`, `FrameAlreadySnapshotted` or
 * `AnchorOutsideFrame` (the frame's last slot: too late to anchor it); RPC errors.
 */
export type SnapshotOracleFrameErrorType = SendErrorType;

/**
 * Anchors the current frame (anyone, once per frame): fixes the slot of this transaction's block as the frame's
 * anchor and reads the withdrawal vault's balance in the same transaction, so no report carries a vault figure.
 */
export async function snapshotOracleFrame(
  client: NektarWriteClient,
  p: SnapshotOracleFrameParameters,
): Promise<SnapshotOracleFrameReturnType> {
  const prover = await oracleProver(client, p.contracts);
  const sent = await send(client, ORACLE_PROVER, { ...prover, functionName: "snapshotFrame", args: [p.frame] });
  const [anchorTimestamp, vaultPull] = await read(client, ORACLE_PROVER, {
    ...prover,
    functionName: "frameSnapshot",
    args: [p.frame],
    blockNumber: sent.blockNumber,
  });
  return { ...transactionResult(sent), anchorTimestamp, vaultPull };
}
