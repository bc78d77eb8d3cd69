import { type AnchoredBeaconState, ReportTree } from "@nektar/crypto";
import type { NektarReadClient, WithContracts } from "../client.ts";
import { OPERATOR_REGISTRY, operatorRegistry, STAKING_POOL, stakingPool } from "../internal/contracts.ts";
import { type ReadErrorType, read } from "../internal/read.ts";

export type BuildOracleReportParameters = WithContracts<"operatorRegistry" | "stakingPool"> & {
  /** The anchored beacon state (`fetchAnchoredBeaconState`). */
  state: AnchoredBeaconState;
};

export type BuildOracleReportReturnType = ReportTree;

export type BuildOracleReportErrorType = ReadErrorType;

/**
 * The sum-Merkle tree an honest reporter posts for `state`: every validator whose public key the registry holds and
 * whose withdrawal credentials are the pool's, in beacon index order (see `IAccountingOracle`).
 */
export async function buildOracleReport(
  client: NektarReadClient,
  p: BuildOracleReportParameters,
): Promise<BuildOracleReportReturnType> {
  const credentials = (
    await read(client, STAKING_POOL, { ...stakingPool(p.contracts), functionName: "withdrawalCredentials" })
  ).toLowerCase();
  const candidates: `0x${string}`[] = [];
  p.state.protocolLeaves((pubkey, wc) => {
    if (wc.toLowerCase() === credentials) candidates.push(pubkey);
    return false;
  });
  const registered = new Set<string>();
  await Promise.all(
    candidates.map(async (pubkey) => {
      const id = await read(client, OPERATOR_REGISTRY, {
        ...operatorRegistry(p.contracts),
        functionName: "validatorIdByPubkey",
        args: [pubkey],
      });
      if (id !== 0n) registered.add(pubkey.toLowerCase());
    }),
  );
  return new ReportTree(
    p.state.protocolLeaves((pubkey, wc) => wc.toLowerCase() === credentials && registered.has(pubkey.toLowerCase())),
  );
}
