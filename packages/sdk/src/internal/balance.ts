import { type Address, formatEther } from "viem";
import { InsufficientBalanceError } from "../errors/input.ts";

/** Throws InsufficientBalanceError when `balance < needed` (amounts in wei, shown in ether). */
export function requireBalance(account: Address, asset: string, balance: bigint, needed: bigint): void {
  if (balance < needed) {
    throw new InsufficientBalanceError({
      account,
      asset,
      balance: formatEther(balance),
      needed: formatEther(needed),
    });
  }
}
