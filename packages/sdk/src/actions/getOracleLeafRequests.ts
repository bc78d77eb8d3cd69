import type { ReportLeaf, ReportTreeNode } from "@nektar/crypto";
import type { Address } from "viem";
import { getContractEvents } from "viem/actions";
import type { NektarReadClient, WithContracts } from "../client.ts";
import { ACCOUNTING_ORACLE, accountingOracle } from "../internal/contracts.ts";
import { read } from "../internal/read.ts";

export type GetOracleLeafRequestsParameters = WithContracts<"accountingOracle"> & {
  frame: bigint;
  /** Report version (`getOracleReport(...).version`): requests are per version. */
  version: number;
  /** First block to scan for `LeafRequested` / `LeafRevealed` (e.g. the report's posting block or a window back). */
  fromBlock: bigint;
};

export type OracleLeafRequest = {
  position: bigint;
  requester: Address;
  deadline: bigint;
  answered: boolean;
  /** The revealed opening, if answered (from `LeafRevealed`). */
  revealed?: { node: ReportTreeNode; leaf: ReportLeaf; path: ReportTreeNode[] } | undefined;
};

export type GetOracleLeafRequestsReturnType = OracleLeafRequest[];

export type GetOracleLeafRequestsErrorType = Error;

/** The leaf reveal requests of a report version (open and answered, with the revealed openings), by position. */
export async function getOracleLeafRequests(
  client: NektarReadClient,
  p: GetOracleLeafRequestsParameters,
): Promise<GetOracleLeafRequestsReturnType> {
  const oracle = accountingOracle(p.contracts);
  const [requested, revealed] = await Promise.all([
    getContractEvents(client, {
      ...oracle,
      eventName: "LeafRequested",
      args: { frame: p.frame },
      fromBlock: p.fromBlock,
      strict: true,
    }),
    getContractEvents(client, {
      ...oracle,
      eventName: "LeafRevealed",
      args: { frame: p.frame },
      fromBlock: p.fromBlock,
      strict: true,
    }),
  ]);
  const positions = [...new Set(requested.map((l) => l.args.position))].sort((a, b) => (a < b ? -1 : 1));
  const out: OracleLeafRequest[] = [];
  for (const position of positions) {
    const q = await read(client, ACCOUNTING_ORACLE, {
      ...oracle,
      functionName: "revealRequest",
      args: [p.frame, BigInt(p.version), position],
    });
    if (q.requester === "0x0000000000000000000000000000000000000000") continue; // An earlier version's request.
    const r = q.answered ? revealed.filter((l) => l.args.position === position).at(-1) : undefined;
    out.push({
      position,
      requester: q.requester,
      deadline: q.deadline,
      answered: q.answered,
      revealed: r && { node: r.args.node, leaf: r.args.leaf, path: [...r.args.path] },
    });
  }
  return out;
}
