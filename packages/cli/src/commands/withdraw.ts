import {
  claimWithdrawal,
  getWithdrawalStatus,
  parseAddress,
  parseAmount,
  parseId,
  requestWithdrawal,
} from "@nektar/sdk";
import { Command } from "commander";
import { commandContext, type GlobalFlags } from "../context.ts";
import type { CliIo } from "../io.ts";
import { emit, ether } from "../output.ts";

export function withdrawCommand(io: CliIo): Command {
  const withdraw = new Command("withdraw").description("Withdrawal requests: request, claim, status");
  withdraw
    .command("request")
    .description("Lock divETH (or wdivETH) in the withdrawal queue; claim the ETH once finalized")
    .argument("<amount>", "amount of divETH (or wdivETH with --wdiveth)")
    .option("--wdiveth", "withdraw wdivETH instead of divETH")
    .option("--owner <address>", "owner of the withdrawal receipt (default: the sender)")
    .action(async (amountText: string, opts: { wdiveth?: boolean; owner?: string }, cmd: Command) => {
      const amount = parseAmount(amountText);
      const owner = opts.owner === undefined ? undefined : parseAddress(opts.owner, "owner address");
      const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
      const token = opts.wdiveth ? "wdivETH" : "divETH";
      const r = await requestWithdrawal(ctx.wallet(), { contracts: ctx.contracts, amount, token, owner });
      emit(ctx, r, () => [
        `withdrawal request ${r.requestId}: ${ether(r.amountOfEther)} (${r.amountOfShares} shares) locked`,
        `claim it after finalization: nektar withdraw claim ${r.requestId}`,
      ]);
    });
  withdraw
    .command("claim")
    .description("Claim the ETH of a finalized withdrawal request")
    .argument("<requestId>", "withdrawal request id")
    .option("--to <address>", "receiver of the ETH (default: the sender)")
    .action(async (idText: string, opts: { to?: string }, cmd: Command) => {
      const requestId = parseId(idText, "withdrawal request id");
      const recipient = opts.to === undefined ? undefined : parseAddress(opts.to, "receiver address");
      const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
      const r = await claimWithdrawal(ctx.wallet(), { contracts: ctx.contracts, requestId, recipient });
      emit(ctx, r, () => [`claimed ${ether(r.amountOfEther)} of request ${requestId}`, `tx ${r.hash}`]);
    });
  withdraw
    .command("status")
    .description("Status of withdrawal requests")
    .argument("<requestIds...>", "withdrawal request ids")
    .action(async (idTexts: string[], _opts: unknown, cmd: Command) => {
      const requestIds = idTexts.map((t) => parseId(t, "withdrawal request id"));
      const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
      const statuses = await getWithdrawalStatus(ctx.publicClient, { contracts: ctx.contracts, requestIds });
      emit(ctx, statuses, () =>
        statuses.map((s) => {
          const state = s.isClaimed
            ? "claimed"
            : s.isFinalized
              ? `finalized, ${ether(s.claimableEther)} claimable`
              : "pending";
          return `request ${s.requestId}: ${ether(s.amountOfEther)} owner ${s.owner} — ${state}`;
        }),
      );
    });
  return withdraw;
}
