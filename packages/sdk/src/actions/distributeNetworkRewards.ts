import { type Address, zeroAddress } from "viem";
import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { CliUsageError } from "../errors/cli.ts";
import type { UnknownNetworkError } from "../errors/restaking.ts";
import { ensureAllowance } from "../internal/approve.ts";
import { RESTAKING_VAULT, restakingVault, transactionResult } from "../internal/contracts.ts";
import { requireNetwork } from "../internal/restaking.ts";
import { type SendErrorType, send } from "../internal/send.ts";

export type DistributeNetworkRewardsParameters = WithContracts<"stakingPool" | "restakingVault" | "networkRegistry"> & {
  networkId: bigint;
  /** Reward token (zero address: ether; the divETH address: amounts in divETH shares). */
  token?: Address | undefined;
  /** A finished epoch. */
  epoch: bigint;
  operators: readonly Address[];
  /** Amount per operator; or `total`, weighted by the stake the network saw at the epoch's end. */
  amounts?: readonly bigint[] | undefined;
  total?: bigint | undefined;
};

export type DistributeNetworkRewardsReturnType = TransactionResult & { total: bigint };

export type DistributeNetworkRewardsErrorType = CliUsageError | UnknownNetworkError | SendErrorType;

/** Pays a network's rewards for a past epoch to its operators and their delegators (the network's middleware only). */
export async function distributeNetworkRewards(
  client: NektarWriteClient,
  p: DistributeNetworkRewardsParameters,
): Promise<DistributeNetworkRewardsReturnType> {
  if (p.operators.length === 0) throw new CliUsageError("no operator to pay", "Give at least one operator.");
  if ((p.amounts === undefined) === (p.total === undefined)) {
    throw new CliUsageError("give either per-operator amounts or a total", "Use --amounts or --total, not both.");
  }
  if (p.amounts !== undefined && p.amounts.length !== p.operators.length) {
    throw new CliUsageError("one amount per operator", "Give as many amounts as operators.");
  }
  await requireNetwork(client, p);
  const token = p.token ?? zeroAddress;
  const total = p.total ?? (p.amounts ?? []).reduce((a, b) => a + b, 0n);
  if (total <= 0n) throw new CliUsageError("the reward total must be positive", "Give a positive amount.");
  if (token !== zeroAddress) {
    await ensureAllowance(client, {
      contract: token === p.contracts.stakingPool ? "StakingPool" : "ERC20",
      token,
      spender: p.contracts.restakingVault,
      // divETH rewards are pulled as shares: a value allowance with a 1% margin covers the rounding.
      amount: token === p.contracts.stakingPool ? total + total / 100n + 1n : total,
    });
  }
  const value = token === zeroAddress ? total : 0n;
  const vault = restakingVault(p.contracts);
  const sent =
    p.amounts !== undefined
      ? await send(client, RESTAKING_VAULT, {
          ...vault,
          functionName: "distributeRewards",
          args: [p.networkId, token, p.epoch, [...p.operators], [...p.amounts]],
          value,
        })
      : await send(client, RESTAKING_VAULT, {
          ...vault,
          functionName: "distributeRewardsByStake",
          args: [p.networkId, token, p.epoch, [...p.operators], total],
          value,
        });
  return { ...transactionResult(sent), total };
}
