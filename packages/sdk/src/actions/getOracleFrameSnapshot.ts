import type { NektarReadClient, WithContracts } from "../client.ts";
import { ORACLE_PROVER, oracleProver } from "../internal/contracts.ts";
import { type ReadErrorType, read } from "../internal/read.ts";

export type GetOracleFrameSnapshotParameters = WithContracts<"accountingOracle"> & { frame: bigint };

export type OracleFrameSnapshot = {
  /** The frame's anchor (an execution-block slot time whose EIP-4788 root anchors its reports); 0n: not taken yet. */
  anchorTimestamp: bigint;
  /** Wei applying the frame now would pull from the withdrawal vault. */
  vaultPull: bigint;
};

export type GetOracleFrameSnapshotReturnType = OracleFrameSnapshot;

export type GetOracleFrameSnapshotErrorType = ReadErrorType;

/** A frame's snapshot: its anchor and the vault ether applying it would pull (`snapshotOracleFrame`). */
export async function getOracleFrameSnapshot(
  client: NektarReadClient,
  p: GetOracleFrameSnapshotParameters,
): Promise<GetOracleFrameSnapshotReturnType> {
  const prover = await oracleProver(client, p.contracts);
  const [anchorTimestamp, vaultPull] = await read(client, ORACLE_PROVER, {
    ...prover,
    functionName: "frameSnapshot",
    args: [p.frame],
  });
  return { anchorTimestamp, vaultPull };
}
