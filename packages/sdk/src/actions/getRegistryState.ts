import type { NektarReadClient, WithContracts } from "../client.ts";
import { OPERATOR_REGISTRY, operatorRegistry } from "../internal/contracts.ts";
import { type ReadErrorType, read } from "../internal/read.ts";

export type GetRegistryStateParameters = WithContracts<"operatorRegistry">;

export type RegistryState = {
  /** Operators ever registered (ids 1..operatorCount). */
  operatorCount: bigint;
  /** Validator requests ever made (ids 1..requestCount). */
  requestCount: bigint;
  /** divETH shares in one bond unit: an operator's bond in shares is `bondUnits * bondUnitShares`. */
  bondUnitShares: bigint;
  /** Ether of bond one key share locks (converted to units at the rate of each request). */
  bondPerKeyShare: bigint;
  /** Bond units a request made now locks on each of its 16 operators. */
  currentLockUnits: bigint;
  /** Free bond units of every operator that can be drawn (not paused, not ejected). */
  totalDrawableUnits: bigint;
  /** Seconds a drawn cluster has to complete its DKG before anyone may expire the request (`expireRequest`). */
  dkgTimeout: bigint;
};

export type GetRegistryStateReturnType = RegistryState;

export type GetRegistryStateErrorType = ReadErrorType;

/** The operator registry's counters and bond parameters in one call set. */
export async function getRegistryState(
  client: NektarReadClient,
  p: GetRegistryStateParameters,
): Promise<GetRegistryStateReturnType> {
  const registry = operatorRegistry(p.contracts);
  const [
    operatorCount,
    requestCount,
    bondUnitShares,
    bondPerKeyShare,
    currentLockUnits,
    totalDrawableUnits,
    dkgTimeout,
  ] = await Promise.all([
    read(client, OPERATOR_REGISTRY, { ...registry, functionName: "operatorCount" }),
    read(client, OPERATOR_REGISTRY, { ...registry, functionName: "requestCount" }),
    read(client, OPERATOR_REGISTRY, { ...registry, functionName: "BOND_UNIT_SHARES" }),
    read(client, OPERATOR_REGISTRY, { ...registry, functionName: "BOND_PER_KEY_SHARE" }),
    read(client, OPERATOR_REGISTRY, { ...registry, functionName: "currentLockUnits" }),
    read(client, OPERATOR_REGISTRY, { ...registry, functionName: "totalDrawableUnits" }),
    read(client, OPERATOR_REGISTRY, { ...registry, functionName: "DKG_TIMEOUT" }),
  ]);
  return {
    operatorCount,
    requestCount,
    bondUnitShares,
    bondPerKeyShare,
    currentLockUnits,
    totalDrawableUnits,
    dkgTimeout,
  };
}
