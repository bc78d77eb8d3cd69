import type { Address } from "viem";
import type { NektarReadClient, WithContracts } from "../client.ts";
import { EXIT_MANAGER, exitManager } from "../internal/contracts.ts";
import { type ReadErrorType, read } from "../internal/read.ts";
import { getWithdrawalRequestFee } from "./getWithdrawalRequestFee.ts";

export type GetExitStateParameters = WithContracts<"withdrawalVault"> & {
  /** Validator ids the next-in-line search inspects from the cursor (default 256). */
  maxScan?: bigint | undefined;
};

export type GetExitStateReturnType = {
  /** The exit manager the withdrawal vault trusts. */
  exitManager: Address;
  /** Seconds a cluster has to publish a voluntary exit before anyone may send the EIP-7002 request. */
  voluntaryExitWindow: bigint;
  /** Exits requested and not yet proven withdrawn (each expected to bring 32 ETH). */
  pendingExits: bigint;
  /** Ether owed to unfinalized withdrawal requests, in wei. */
  demand: bigint;
  /** Unreserved buffer + withdrawal vault balance + 32 ETH per exit in flight, in wei. */
  available: bigint;
  /** `demand - available` when positive: what the demand trigger may exit validators for (else 0). */
  shortfall: bigint;
  /** The validator the demand trigger would exit next, if one was found within `maxScan` ids. */
  nextDemandExit: bigint | undefined;
  /** Fee the EIP-7002 contract asks now, in wei; undefined when the chain has no EIP-7002 contract. */
  withdrawalRequestFee: bigint | undefined;
};

export type GetExitStateErrorType = ReadErrorType;

/** Where exits stand: withdrawal demand against expected inflows, exits in flight, the next validator in line. */
export async function getExitState(
  client: NektarReadClient,
  p: GetExitStateParameters,
): Promise<GetExitStateReturnType> {
  const manager = await exitManager(client, p.contracts);
  const [voluntaryExitWindow, pendingExits, [demand, available], next, withdrawalRequestFee] = await Promise.all([
    read(client, EXIT_MANAGER, { ...manager, functionName: "voluntaryExitWindow" }),
    read(client, EXIT_MANAGER, { ...manager, functionName: "pendingExits" }),
    read(client, EXIT_MANAGER, { ...manager, functionName: "withdrawalShortfall" }),
    read(client, EXIT_MANAGER, { ...manager, functionName: "nextDemandExit", args: [p.maxScan ?? 256n] }),
    getWithdrawalRequestFee(client, p),
  ]);
  return {
    exitManager: manager.address,
    voluntaryExitWindow,
    pendingExits,
    demand,
    available,
    shortfall: demand > available ? demand - available : 0n,
    nextDemandExit: next === 0n ? undefined : next,
    withdrawalRequestFee,
  };
}
