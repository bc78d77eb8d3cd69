import { parseAmount, unwrap, wrap } from "@nektar/sdk";
import { Command } from "commander";
import { commandContext, type GlobalFlags } from "../context.ts";
import type { CliIo } from "../io.ts";
import { emit, ether } from "../output.ts";

export function wrapCommand(io: CliIo): Command {
  return new Command("wrap")
    .description("Wrap divETH into wdivETH (non-rebasing, one wdivETH per divETH share)")
    .argument("<amount>", "divETH to wrap")
    .action(async (amountText: string, _opts: unknown, cmd: Command) => {
      const amount = parseAmount(amountText);
      const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
      const result = await wrap(ctx.wallet(), { contracts: ctx.contracts, amount });
      emit(ctx, result, () => [
        `wrapped ${ether(amount, "divETH")} into ${ether(result.wdivETH, "wdivETH")}`,
        `tx ${result.hash}`,
      ]);
    });
}

export function unwrapCommand(io: CliIo): Command {
  return new Command("unwrap")
    .description("Unwrap wdivETH back into divETH")
    .argument("<amount>", "wdivETH to unwrap")
    .action(async (amountText: string, _opts: unknown, cmd: Command) => {
      const amount = parseAmount(amountText);
      const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
      const result = await unwrap(ctx.wallet(), { contracts: ctx.contracts, amount });
      emit(ctx, result, () => [
        `unwrapped ${ether(amount, "wdivETH")} into ${ether(result.divETH, "divETH")}`,
        `tx ${result.hash}`,
      ]);
    });
}
