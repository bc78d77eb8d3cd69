import type { Address } from "viem";
import { getContractEvents } from "viem/actions";
import type { NektarReadClient, WithContracts } from "../client.ts";
import { RpcError } from "../errors/contract.ts";
import { RESTAKING_VAULT, restakingVault, STAKING_POOL, stakingPool } from "../internal/contracts.ts";
import { type ReadErrorType, read } from "../internal/read.ts";

export type GetRestakePositionsParameters = WithContracts<"stakingPool" | "restakingVault"> & {
  restaker: Address;
  /** Scan the vault's `Deposited`/`Undelegated` events of the restaker from this block (the deployment block). */
  fromBlock?: bigint | undefined;
};

export type RestakePosition = {
  operator: Address;
  /** Active divETH shares (slashable, earning) and their value in ether now. */
  activeShares: bigint;
  activeEther: bigint;
  /** Shares waiting for activation, and the epoch they activate at (0 when none). */
  pendingShares: bigint;
  activationEpoch: bigint;
};

export type RestakeWithdrawal = { operator: Address; claimEpoch: bigint; shares: bigint; claimable: boolean };

export type GetRestakePositionsReturnType = {
  currentEpoch: bigint;
  positions: RestakePosition[];
  /** Unclaimed withdrawals (after slashes). */
  withdrawals: RestakeWithdrawal[];
};

export type GetRestakePositionsErrorType = ReadErrorType | RpcError;

/** Every operator the restaker deposited with (found from the vault's events) and its unclaimed withdrawals. */
export async function getRestakePositions(
  client: NektarReadClient,
  p: GetRestakePositionsParameters,
): Promise<GetRestakePositionsReturnType> {
  const vault = restakingVault(p.contracts);
  const fromBlock = p.fromBlock ?? 0n;
  const filter = { ...vault, args: { restaker: p.restaker }, fromBlock, strict: true } as const;
  const rpcError = (e: unknown) => {
    throw new RpcError("eth_getLogs", e);
  };
  const [deposits, undelegations] = await Promise.all([
    getContractEvents(client, { ...filter, eventName: "Deposited" }).catch(rpcError),
    getContractEvents(client, { ...filter, eventName: "Undelegated" }).catch(rpcError),
  ]);
  const currentEpoch = await read(client, RESTAKING_VAULT, { ...vault, functionName: "currentEpoch" });
  const operators = [...new Set(deposits.map((log) => log.args.operator))];
  const positions = await Promise.all(
    operators.map(async (operator): Promise<RestakePosition> => {
      const [activeShares, pendingShares, activationEpoch] = await read(client, RESTAKING_VAULT, {
        ...vault,
        functionName: "positionOf",
        args: [p.restaker, operator],
      });
      const activeEther = await read(client, STAKING_POOL, {
        ...stakingPool(p.contracts),
        functionName: "getPooledEthByShares",
        args: [activeShares],
      });
      return { operator, activeShares, activeEther, pendingShares, activationEpoch };
    }),
  );
  const keys = new Map<string, { operator: Address; claimEpoch: bigint }>();
  for (const log of undelegations) {
    const { operator, claimEpoch } = log.args;
    keys.set(`${operator}:${claimEpoch}`, { operator, claimEpoch });
  }
  const withdrawals: RestakeWithdrawal[] = [];
  for (const { operator, claimEpoch } of keys.values()) {
    const shares = await read(client, RESTAKING_VAULT, {
      ...vault,
      functionName: "withdrawalOf",
      args: [p.restaker, operator, claimEpoch],
    });
    if (shares > 0n) withdrawals.push({ operator, claimEpoch, shares, claimable: claimEpoch <= currentEpoch });
  }
  return { currentEpoch, positions, withdrawals };
}
