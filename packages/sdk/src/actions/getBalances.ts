import type { Address } from "viem";
import { getBalance } from "viem/actions";
import type { NektarReadClient, WithContracts } from "../client.ts";
import { RpcError } from "../errors/contract.ts";
import { STAKING_POOL, stakingPool, WRAPPED_DIVETH, wrappedDivETH } from "../internal/contracts.ts";
import { type ReadErrorType, read } from "../internal/read.ts";

export type GetBalancesParameters = WithContracts<"stakingPool" | "wrappedDivETH"> & { account: Address };

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

export type GetBalancesErrorType = ReadErrorType;

/** The ether, divETH (and its shares) and wdivETH balances of an account. */
export async function getBalances(client: NektarReadClient, p: GetBalancesParameters): Promise<GetBalancesReturnType> {
  const pool = stakingPool(p.contracts);
  const [ether, divETH, shares, wdivETH] = await Promise.all([
    getBalance(client, { address: p.account }).catch((e: unknown) => {
      throw new RpcError("eth_getBalance", e);
    }),
    read(client, STAKING_POOL, { ...pool, functionName: "balanceOf", args: [p.account] }),
    read(client, STAKING_POOL, { ...pool, functionName: "sharesOf", args: [p.account] }),
    read(client, WRAPPED_DIVETH, { ...wrappedDivETH(p.contracts), functionName: "balanceOf", args: [p.account] }),
  ]);
  return { ether, divETH, shares, wdivETH };
}
