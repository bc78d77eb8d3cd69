import type { Address } from "viem";
import type { NektarWriteClient } from "../client.ts";
import { stakingPoolAbi } from "../generated/abis.ts";
import { read } from "./read.ts";
import { send } from "./send.ts";

/** Approves `spender` on an ERC-20 (divETH or wdivETH, same `approve`/`allowance` ABI) when the allowance is short. */
export async function ensureAllowance(
  client: NektarWriteClient,
  p: { contract: string; token: Address; spender: Address; amount: bigint },
): Promise<void> {
  const allowance = await read(client, p.contract, {
    address: p.token,
    abi: stakingPoolAbi,
    functionName: "allowance",
    args: [client.account.address, p.spender],
  });
  if (allowance >= p.amount) return;
  await send(client, p.contract, {
    address: p.token,
    abi: stakingPoolAbi,
    functionName: "approve",
    args: [p.spender, p.amount],
  });
}
