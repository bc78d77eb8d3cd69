import { depositNative, getNativePosition, parseAddress, parseAmount, withdrawNative } from "@nektar/sdk";
import { Command } from "commander";
import type { Address } from "viem";
import { commandContext, type GlobalFlags } from "../context.ts";
import type { CliIo } from "../io.ts";
import { emit, ether } from "../output.ts";

/**
 * `nektar native …`: native restaking — ether in, validators with the native vault's 0x02 credentials, native shares
 * delegated and slashable like restaked divETH, ether out through the payout queue.
 */
export function nativeCommand(io: CliIo): Command {
  const native = new Command("native").description(
    "Native restaking: deposit ether (optionally delegated to an operator), show your position, withdraw",
  );
  native.addCommand(
    new Command("deposit")
      .description("Deposit ether for native shares; with --operator, delegate them at once (active from epoch + 2)")
      .argument("<amount>", "ether to deposit (any amount; 32-ETH batches become validators)")
      .option("--operator <address>", "restaking operator of the native restaking vault to delegate to")
      .action(async (amountText: string, opts: { operator?: string }, cmd: Command) => {
        const amount = parseAmount(amountText);
        const operator = opts.operator === undefined ? undefined : parseAddress(opts.operator, "operator");
        const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
        const result = await depositNative(ctx.wallet(), { contracts: ctx.contracts, amount, operator });
        emit(ctx, result, () => [
          `deposited ${ether(amount, "ETH")} for ${result.shares} native shares` +
            (operator === undefined ? "" : `, delegated to ${operator} from epoch ${result.activationEpoch}`),
          `tx ${result.hash}`,
        ]);
      }),
  );
  native.addCommand(
    new Command("position")
      .description("Show native shares, their ether, delegations and the vault (payout queue, validators)")
      .argument("[address]", "restaker (default: yours)")
      .option("--operator <address...>", "operators whose delegations to show")
      .action(async (addressText: string | undefined, opts: { operator?: string[] }, cmd: Command) => {
        const operators = (opts.operator ?? []).map((o) => parseAddress(o, "operator"));
        const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
        const account: Address =
          addressText === undefined ? ctx.wallet().account.address : parseAddress(addressText, "address");
        const p = await getNativePosition(ctx.publicClient, { contracts: ctx.contracts, account, operators });
        emit(ctx, p, () => [
          `undelegated: ${p.shares} native shares (${ether(p.ether, "ETH")})`,
          ...p.delegations.map(
            (d) =>
              `${d.operator}: ${d.active} active (${ether(d.activeEther, "ETH")})` +
              (d.pending > 0n ? `, ${d.pending} pending until epoch ${d.pendingEpoch}` : ""),
          ),
          `vault: ${ether(p.vault.totalPooledEther, "ETH")} pooled, ${ether(p.vault.owedEther, "ETH")} owed to payouts ` +
            `(shortfall ${ether(p.vault.shortfall, "ETH")}), validators ${p.vault.depositedValidators} deposited / ` +
            `${p.vault.reportedValidators} reported, payouts ${p.vault.payoutQueueNext}/${p.vault.payoutQueueLength} settled`,
        ]);
      }),
  );
  native.addCommand(
    new Command("withdraw")
      .description(
        "Withdraw native shares (or `all`) as an ether payout queued behind earlier payouts; with --operator, undelegate first (claim later with `restake withdraw` on the native vault)",
      )
      .argument("<shares>", "native shares in ether units (1:1 at launch), or `all`")
      .option("--operator <address>", "undelegate from this operator instead (enters the restaking withdrawal queue)")
      .option("--recipient <address>", "receiver of the ether (default: you)")
      .action(async (sharesText: string, opts: { operator?: string; recipient?: string }, cmd: Command) => {
        const shares = sharesText === "all" ? "all" : parseAmount(sharesText);
        const operator = opts.operator === undefined ? undefined : parseAddress(opts.operator, "operator");
        const recipient = opts.recipient === undefined ? undefined : parseAddress(opts.recipient, "recipient");
        const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
        const result = await withdrawNative(ctx.wallet(), { contracts: ctx.contracts, shares, operator, recipient });
        emit(ctx, result, () => [
          result.claimEpoch !== undefined
            ? `undelegated ${result.shares} native shares from ${operator}; claimable from epoch ${result.claimEpoch} (slashable until then)`
            : `queued payout #${result.payoutId} of ${ether(result.amount ?? 0n, "ETH")} for ${result.shares} native shares`,
          `tx ${result.hash}`,
        ]);
      }),
  );
  return native;
}
