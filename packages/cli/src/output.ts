import { formatEther } from "viem";
import type { CommandContext } from "./context.ts";
import { toJson } from "./io.ts";

/** Prints `value` as JSON with --json, otherwise the human lines. */
export function emit(ctx: Pick<CommandContext, "io" | "json">, value: unknown, human: () => string[]): void {
  if (ctx.json) ctx.io.out(toJson(value));
  else for (const line of human()) ctx.io.out(line);
}

/** "1.5 ETH" style, trimming nothing: ether has 18 decimals and users compare exact values. */
export function ether(wei: bigint, unit = "ETH"): string {
  return `${formatEther(wei)} ${unit}`;
}
