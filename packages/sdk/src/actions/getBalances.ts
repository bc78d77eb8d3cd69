import type { Address } from "viem";
import { getBalance } from "viem/actions";
import type { NektarReadClient, WithContracts } from "../client.ts";
import { RpcError } from "../errors/contract.ts";
import { stakingPoolAbi, wrappedDivETHAbi } from "../generated/abis.ts";
import { read } from "../internal/read.ts";

export type GetBalancesParameters = WithContracts & { account: Address };

export type GetBalancesReturnType = {
  /** Native ether, in wei. */
  ether: bigint;
  /** divETH balance (rebasing), in wei of ether. */
  divETH: bigint;
  /** divETH shares behind that balance. */
  shares: bigint;
  /** wdivETH balance (one wdivETH per divETH share). */
  wdivETH: bigint;
};

/** The ether, divETH (and its shares) and wdivETH balances of an account. */
export async function getBalances(client: NektarReadClient, p: GetBalancesParameters): Promise<GetBalancesReturnType> {
  const { stakingPool, wrappedDivETH } = p.contracts;
  const pool = { contract: "StakingPool", address: stakingPool, abi: stakingPoolAbi } as const;
  const [ether, divETH, shares, wdivETH] = await Promise.all([
    getBalance(client, { address: p.account }).catch((e: unknown) => {
      throw new RpcError("eth_getBalance", e);
    }),
    read<bigint>(client, { ...pool, functionName: "balanceOf", args: [p.account] }),
    read<bigint>(client, { ...pool, functionName: "sharesOf", args: [p.account] }),
    read<bigint>(client, {
      contract: "WrappedDivETH",
      address: wrappedDivETH,
      abi: wrappedDivETHAbi,
      functionName: "balanceOf",
      args: [p.account],
    }),
  ]);
  return { ether, divETH, shares, wdivETH };
}
