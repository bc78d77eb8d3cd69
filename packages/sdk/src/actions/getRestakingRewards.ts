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

/** Claimable restaking rewards: as a delegator of each operator, and as an operator its own commission. */
export async function getRestakingRewards(
  client: NektarReadClient,
  p: GetRestakingRewardsParameters,
): Promise<GetRestakingRewardsReturnType> {
  const vault = restakingVault(p.contracts);
  const out: RestakingReward[] = [];
  for (const operator of [...p.operators, p.account]) {
    const asOperator = operator === p.account && !p.operators.includes(p.account);
    const tokens =
      p.tokens ??
      [
        zeroAddress,
        ...(await read(client, RESTAKING_VAULT, { ...vault, functionName: "rewardTokensOf", args: [operator] })),
      ].filter((t, i, all) => all.indexOf(t) === i);
    for (const token of tokens) {
      const amount = asOperator
        ? await read(client, RESTAKING_VAULT, { ...vault, functionName: "operatorRewardsOf", args: [operator, token] })
        : await read(client, RESTAKING_VAULT, {
            ...vault,
            functionName: "rewardsOf",
            args: [p.account, operator, token],
          });
      if (amount > 0n) out.push({ operator, token, amount, asOperator });
    }
  }
  return out;
}
