import {
  claimDistributor,
  depositDistributor,
  getDistributorInfo,
  parseAddress,
  parseAmount,
  parseEpoch,
  withdrawDistributor,
} from "@nektar/sdk";
import { Command } from "commander";
import { commandContext, type GlobalFlags } from "../context.ts";
import { CliUsageError } from "../errors.ts";
import type { CliIo } from "../io.ts";
import { emit, ether } from "../output.ts";

/** `nektar distributor …`: liquid restaking vaults (ERC-4626 over wdivETH) delegating by a strategy. */
export function distributorCommand(io: CliIo): Command {
  const distributor = new Command("distributor").description(
    "Distributors: deposit wdivETH, withdraw (idle at once, the rest through the restaking queue), show info",
  );
  distributor.addCommand(
    new Command("deposit")
      .description("Deposit wdivETH into <distributor> for its shares")
      .argument("<distributor>", "Distributor address")
      .argument("<amount>", "wdivETH to deposit")
      .action(async (addressText: string, amountText: string, _opts: unknown, cmd: Command) => {
        const address = parseAddress(addressText, "distributor");
        const amount = parseAmount(amountText);
        const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
        const result = await depositDistributor(ctx.wallet(), {
          contracts: ctx.contracts,
          distributor: address,
          amount,
        });
        emit(ctx, result, () => [
          `deposited ${ether(amount, "wdivETH")} for ${result.shares} shares`,
          `tx ${result.hash}`,
        ]);
      }),
  );
  distributor.addCommand(
    new Command("withdraw")
      .description(
        "Redeem <shares> (or `all`): idle assets pay at once, the rest leaves through the restaking queue; --claim <epoch> claims a queued redemption",
      )
      .argument("<distributor>", "Distributor address")
      .argument("[shares]", "Distributor shares (an integer, as `info` prints them) or `all`")
      .option("--claim <epoch>", "claim the redemption queued for this restaking epoch instead")
      .action(async (addressText: string, sharesText: string | undefined, opts: { claim?: string }, cmd: Command) => {
        const address = parseAddress(addressText, "distributor");
        if (opts.claim !== undefined) {
          const claimEpoch = parseEpoch(opts.claim);
          const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
          const result = await claimDistributor(ctx.wallet(), { distributor: address, claimEpoch });
          emit(ctx, result, () => [`claimed ${result.divETHShares} divETH shares`, `tx ${result.hash}`]);
          return;
        }
        const shares = parseShares(sharesText);
        const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
        const result = await withdrawDistributor(ctx.wallet(), { distributor: address, shares });
        emit(ctx, result, () => [
          `redeemed ${result.shares} shares: ${ether(result.paidNow, "wdivETH")} paid now` +
            (result.claimEpoch === undefined
              ? ""
              : `, ${result.queued} divETH shares queued, claim from epoch ${result.claimEpoch} with --claim ${result.claimEpoch}`),
          `tx ${result.hash}`,
        ]);
      }),
  );
  distributor.addCommand(
    new Command("info")
      .description("Show a Distributor: curator, strategy, assets, share price, delegations (and your shares)")
      .argument("<distributor>", "Distributor address")
      .option("--holder <address>", "holder whose shares to show (default: none)")
      .action(async (addressText: string, opts: { holder?: string }, cmd: Command) => {
        const address = parseAddress(addressText, "distributor");
        const account = opts.holder === undefined ? undefined : parseAddress(opts.holder, "holder");
        const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
        const info = await getDistributorInfo(ctx.publicClient, { distributor: address, account });
        emit(ctx, info, () => [
          `${info.name} (${info.symbol}) at ${info.address}, curator ${info.curator}, strategy ${info.strategy}`,
          `assets ${ether(info.totalAssets, "wdivETH")} (${ether(info.rebalancingInFlight, "wdivETH")} in flight), ` +
            `supply ${info.totalSupply}, one share = ${info.assetsPerShare} wei of wdivETH`,
          ...info.operators.map((o) => `${o.operator}: ${ether(o.delegated, "wdivETH")} delegated`),
          ...(info.holder === undefined
            ? []
            : [
                `${info.holder.account}: ${info.holder.shares} shares = ${ether(info.holder.assets, "wdivETH")} ` +
                  `(${info.holder.maxRedeemNow} redeemable at once)`,
              ]),
        ]);
      }),
  );
  return distributor;
}

function parseShares(text: string | undefined): bigint | "all" {
  if (text === "all") return "all";
  if (text === undefined || !/^[1-9]\d*$/.test(text)) {
    throw new CliUsageError(
      `invalid shares ${JSON.stringify(text ?? "")}`,
      "Give a positive integer share count or `all`.",
    );
  }
  return BigInt(text);
}
