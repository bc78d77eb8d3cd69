import { type Address, zeroAddress } from "viem";
import type { NektarReadClient, WithContracts } from "../client.ts";
import { RESTAKING_VAULT, restakingVault } from "../internal/contracts.ts";
import { type ReadErrorType, read } from "../internal/read.ts";

export type GetRestakingRewardsParameters = WithContracts<"restakingVault"> & {
  account: Address;
  /** Operators the account delegates to (delegator rewards). */
  operators: readonly Address[];
  /** Tokens to report; default: every token credited to those operators (and ether). */
  tokens?: readonly Address[] | undefined;
};

export type RestakingReward = { operator: Address; token: Address; amount: bigint; asOperator: boolean };

export type GetRestakingRewardsReturnType = RestakingReward[];

export type GetRestakingRewardsErrorType = ReadErrorType;

/**
 * Claimable restaking rewards: as a delegator of each of `operators` (an operator listing itself sees its self-stake
 * rewards), and the account's own operator commission. Each (role, operator, token) appears once; zero amounts are left
 * out.
 */
export async function getRestakingRewards(
  client: NektarReadClient,
  p: GetRestakingRewardsParameters,
): Promise<GetRestakingRewardsReturnType> {
  const vault = restakingVault(p.contracts);
  const tokensOf = async (operator: Address): Promise<readonly Address[]> =>
    p.tokens ??
    [
      zeroAddress,
      ...(await read(client, RESTAKING_VAULT, { ...vault, functionName: "rewardTokensOf", args: [operator] })),
    ].filter((t, i, all) => all.indexOf(t) === i);
  const out: RestakingReward[] = [];
  const operators = p.operators.filter((o, i, all) => all.indexOf(o) === i);
  for (const operator of operators) {
    for (const token of await tokensOf(operator)) {
      const amount = await read(client, RESTAKING_VAULT, {
        ...vault,
        functionName: "rewardsOf",
        args: [p.account, operator, token],
      });
      if (amount > 0n) out.push({ operator, token, amount, asOperator: false });
    }
  }
  for (const token of await tokensOf(p.account)) {
    const amount = await read(client, RESTAKING_VAULT, {
      ...vault,
      functionName: "operatorRewardsOf",
      args: [p.account, token],
    });
    if (amount > 0n) out.push({ operator: p.account, token, amount, asOperator: true });
  }
  return out;
}
