import {
  claimRestakeWithdrawal,
  claimRestakingRewards,
  depositRestake,
  getRestakePositions,
  getRestakingRewards,
  parseAddress,
  parseAmount,
  parseEpoch,
  undelegateRestake,
} from "@nektar/sdk";
import { Command } from "commander";
import { type Address, formatEther, zeroAddress } from "viem";
import { commandContext, type GlobalFlags } from "../context.ts";
import { CliUsageError } from "../errors.ts";
import type { CliIo } from "../io.ts";
import { emit, ether } from "../output.ts";

type TokenFlag = { token?: string };

/** `nektar restake …`: the restaker's side of Nektar restaking (divETH deposited and delegated to operators). */
export function restakeCommand(io: CliIo): Command {
  const restake = new Command("restake").description(
    "Restake divETH: deposit and delegate to operators, undelegate, withdraw, claim rewards, list positions",
  );
  restake.addCommand(
    new Command("deposit")
      .alias("delegate")
      .description("Deposit divETH (or wdivETH with --wrapped) delegated to <operator>; active from epoch + 2")
      .argument("<operator>", "restaking operator address")
      .argument("<amount>", "divETH (or wdivETH) to deposit")
      .option("--wrapped", "deposit wdivETH (unwrapped 1:1 into divETH shares)")
      .action(async (operatorText: string, amountText: string, opts: { wrapped?: boolean }, cmd: Command) => {
        const operator = parseAddress(operatorText, "operator");
        const amount = parseAmount(amountText);
        const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
        const asset = opts.wrapped === true ? "wdivETH" : "divETH";
        const result = await depositRestake(ctx.wallet(), { contracts: ctx.contracts, operator, amount, asset });
        emit(ctx, result, () => [
          `deposited ${ether(amount, asset)} (${result.shares} shares) with ${operator}, active from epoch ${result.activationEpoch}`,
          `tx ${result.hash}`,
        ]);
      }),
  );
  restake.addCommand(
    new Command("undelegate")
      .description("Move divETH (or `all`) of your active stake with <operator> to the withdrawal queue")
      .argument("<operator>", "restaking operator address")
      .argument("<amount>", "divETH to undelegate, or `all`")
      .action(async (operatorText: string, amountText: string, _opts: unknown, cmd: Command) => {
        const operator = parseAddress(operatorText, "operator");
        const amount = amountText === "all" ? "all" : parseAmount(amountText);
        const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
        const result = await undelegateRestake(ctx.wallet(), { contracts: ctx.contracts, operator, amount });
        emit(ctx, result, () => [
          `undelegated ${result.shares} shares from ${operator}; claimable from epoch ${result.claimEpoch} (slashable until then)`,
          `tx ${result.hash}`,
        ]);
      }),
  );
  restake.addCommand(
    new Command("withdraw")
      .description("Claim an undelegated withdrawal from <operator> whose epoch has started")
      .argument("<operator>", "restaking operator address")
      .argument("<epoch>", "the claim epoch `undelegate` printed")
      .option("--recipient <address>", "receiver of the divETH (default: you)")
      .action(async (operatorText: string, epochText: string, opts: { recipient?: string }, cmd: Command) => {
        const operator = parseAddress(operatorText, "operator");
        const claimEpoch = parseEpoch(epochText);
        const recipient = opts.recipient === undefined ? undefined : parseAddress(opts.recipient, "recipient");
        const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
        const result = await claimRestakeWithdrawal(ctx.wallet(), {
          contracts: ctx.contracts,
          operator,
          claimEpoch,
          recipient,
        });
        emit(ctx, result, () => [`withdrew ${result.shares} divETH shares`, `tx ${result.hash}`]);
      }),
  );
  restake.addCommand(
    new Command("claim")
      .description("Claim rewards earned with <operator> (or, with --commission, your operator commission)")
      .argument("[operator]", "restaking operator address")
      .option("--token <address>", "reward token (default: ether)")
      .option("--commission", "claim your own operator commission instead")
      .action(async (operatorText: string | undefined, opts: TokenFlag & { commission?: boolean }, cmd: Command) => {
        const token = opts.token === undefined ? zeroAddress : parseAddress(opts.token, "token");
        const operator =
          opts.commission === true || operatorText === undefined ? undefined : parseAddress(operatorText, "operator");
        if (operator === undefined && opts.commission !== true) {
          throw new CliUsageError(
            "give the operator whose rewards to claim, or --commission",
            "e.g. `nektar restake claim 0x… --token 0x…`",
          );
        }
        const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
        const result = await claimRestakingRewards(ctx.wallet(), { contracts: ctx.contracts, operator, token });
        emit(ctx, result, () => [`claimed ${formatEther(result.amount)} of ${token}`, `tx ${result.hash}`]);
      }),
  );
  restake.addCommand(
    new Command("rewards")
      .description("List claimable restaking rewards (per operator and token, and your commission)")
      .argument("[address]", "account (default: yours)")
      .action(async (addressText: string | undefined, _opts: unknown, cmd: Command) => {
        const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
        const account = accountOf(ctx, addressText);
        const { positions } = await getRestakePositions(ctx.publicClient, {
          contracts: ctx.contracts,
          restaker: account,
          fromBlock: ctx.manifest?.deploymentBlock,
        });
        const rewards = await getRestakingRewards(ctx.publicClient, {
          contracts: ctx.contracts,
          account,
          operators: positions.map((p) => p.operator),
        });
        emit(ctx, rewards, () =>
          rewards.length === 0
            ? ["no claimable restaking rewards"]
            : rewards.map(
                (r) =>
                  `${r.asOperator ? "commission" : `with ${r.operator}`}: ${formatEther(r.amount)} of ${r.token === zeroAddress ? "ETH" : r.token}`,
              ),
        );
      }),
  );
  restake.addCommand(
    new Command("positions")
      .description("List restaked divETH per operator and unclaimed withdrawals")
      .argument("[address]", "restaker (default: yours)")
      .action(async (addressText: string | undefined, _opts: unknown, cmd: Command) => {
        const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
        const restaker = accountOf(ctx, addressText);
        const result = await getRestakePositions(ctx.publicClient, {
          contracts: ctx.contracts,
          restaker,
          fromBlock: ctx.manifest?.deploymentBlock,
        });
        emit(ctx, result, () => [
          `epoch ${result.currentEpoch}`,
          ...result.positions.map(
            (p) =>
              `${p.operator}: ${ether(p.activeEther, "divETH")} active (${p.activeShares} shares)` +
              (p.pendingShares > 0n ? `, ${p.pendingShares} shares pending until epoch ${p.activationEpoch}` : ""),
          ),
          ...result.withdrawals.map(
            (w) =>
              `withdrawal from ${w.operator}: ${w.shares} shares, epoch ${w.claimEpoch} (${w.claimable ? "claimable" : "waiting, slashable"})`,
          ),
        ]);
      }),
  );
  return restake;
}

function accountOf(ctx: Awaited<ReturnType<typeof commandContext>>, text: string | undefined): Address {
  return text === undefined ? ctx.wallet().account.address : parseAddress(text, "address");
}
