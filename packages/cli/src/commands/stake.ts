import { parseAddress, parseAmount, stake } from "@nektar/sdk";
import { Command } from "commander";
import { commandContext, type GlobalFlags } from "../context.ts";
import type { CliIo } from "../io.ts";
import { emit, ether } from "../output.ts";

export function stakeCommand(io: CliIo): Command {
  return new Command("stake")
    .description("Stake ETH in the pool and receive divETH")
    .argument("<amount>", "ETH to stake, e.g. 1.5")
    .option("--referral <address>", "referral recorded with the stake")
    .action(async (amountText: string, opts: { referral?: string }, cmd: Command) => {
      const amount = parseAmount(amountText);
      const referral = opts.referral === undefined ? undefined : parseAddress(opts.referral, "referral address");
      const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
      const wallet = ctx.wallet();
      const result = await stake(wallet, { contracts: ctx.contracts, amount, referral });
      emit(ctx, { account: wallet.account.address, ...result }, () => [
        `staked ${ether(result.amount)} from ${wallet.account.address}: ${result.shares} divETH shares minted`,
        `tx ${result.hash} (block ${result.blockNumber})`,
      ]);
    });
}
