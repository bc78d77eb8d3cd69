import { getBalances, getPoolState, parseAddress } from "@nektar/sdk";
import { Command } from "commander";
import { formatEther } from "viem";
import { commandContext, type GlobalFlags } from "../context.ts";
import type { CliIo } from "../io.ts";
import { emit, ether } from "../output.ts";

export function balanceCommand(io: CliIo): Command {
  return new Command("balance")
    .description("ETH, divETH and wdivETH balances of an account, and the pool's share rate")
    .argument("[address]", "account (default: the signing account)")
    .action(async (addressText: string | undefined, _opts: unknown, cmd: Command) => {
      const explicit = addressText === undefined ? undefined : parseAddress(addressText);
      const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
      const account = explicit ?? ctx.wallet().account.address;
      const [balances, pool] = await Promise.all([
        getBalances(ctx.publicClient, { contracts: ctx.contracts, account }),
        getPoolState(ctx.publicClient, { contracts: ctx.contracts }),
      ]);
      emit(ctx, { account, ...balances, shareRate: pool.shareRate }, () => [
        `${account}`,
        `  ETH      ${ether(balances.ether)}`,
        `  divETH   ${ether(balances.divETH, "divETH")} (${balances.shares} shares)`,
        `  wdivETH  ${ether(balances.wdivETH, "wdivETH")}`,
        `  rate     1 divETH share = ${formatEther(pool.shareRate)} ETH`,
      ]);
    });
}
