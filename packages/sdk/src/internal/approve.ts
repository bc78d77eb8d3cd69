import type { Address } from "viem";
import type { NektarWriteClient } from "../client.ts";
import { stakingPoolAbi } from "../generated/abis.ts";
import { read } from "./read.ts";
import { sendContractTransaction } from "./send.ts";

/** Approves `spender` on an ERC-20 (divETH or wdivETH, same `approve`/`allowance` ABI) when the allowance is short. */
export async function ensureAllowance(
  client: NektarWriteClient,
  p: { contract: string; token: Address; spender: Address; amount: bigint },
): Promise<void> {
  const base = { contract: p.contract, address: p.token, abi: stakingPoolAbi } as const;
  const allowance = await read<bigint>(client, {
    ...base,
    functionName: "allowance",
    args: [client.account.address, p.spender],
  });
  if (allowance >= p.amount) return;
  await sendContractTransaction(client, { ...base, functionName: "approve", args: [p.spender, p.amount] });
}
