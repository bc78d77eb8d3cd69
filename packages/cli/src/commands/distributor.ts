import {
  addDistributorOperator,
  claimDistributor,
  collectDistributorRebalance,
  depositDistributor,
  getDistributorInfo,
  parseAddress,
  parseAmount,
  parseEpoch,
  parseId,
  rebalanceDistributor,
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
    "Distributors: deposit wdivETH, withdraw (idle at once, the rest through the restaking queue), rebalance, show info",
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
  distributor.addCommand(
    new Command("rebalance")
      .description(
        "Move <distributor>'s delegations towards its strategy's weights (anyone); bounded per call, the next call continues",
      )
      .argument("<distributor>", "Distributor address")
      .option("--max-operators <n>", "operators to visit in this call (default 16, the maximum a Distributor has)")
      .action(async (addressText: string, opts: { maxOperators?: string }, cmd: Command) => {
        const address = parseAddress(addressText, "distributor");
        const maxOperators = opts.maxOperators === undefined ? undefined : parseId(opts.maxOperators, "operator count");
        const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
        const result = await rebalanceDistributor(ctx.wallet(), { distributor: address, maxOperators });
        emit(ctx, result, () => [
          `visited ${result.touched} operator(s), moved ${result.moves.length}`,
          ...result.moves.map((m) =>
            m.delegated !== 0n
              ? `${m.operator}: delegated ${ether(m.delegated, "wdivETH")}`
              : `${m.operator}: undelegated ${ether(m.undelegated, "wdivETH")}, collect from epoch ${m.claimEpoch} ` +
                `with \`nektar distributor collect ${address} ${m.claimEpoch}\``,
          ),
          `tx ${result.hash}`,
        ]);
      }),
  );
  distributor.addCommand(
    new Command("collect")
      .description(
        "Bring a rebalance's undelegated stake back into <distributor>'s idle assets once claimable (anyone)",
      )
      .argument("<distributor>", "Distributor address")
      .argument("<epoch>", "the restaking epoch the rebalance named")
      .action(async (addressText: string, epochText: string, _opts: unknown, cmd: Command) => {
        const address = parseAddress(addressText, "distributor");
        const claimEpoch = parseId(epochText, "epoch");
        const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
        const result = await collectDistributorRebalance(ctx.wallet(), { distributor: address, claimEpoch });
        emit(ctx, result, () => [`collected ${ether(result.assets, "wdivETH")} into idle assets`, `tx ${result.hash}`]);
      }),
  );
  distributor.addCommand(
    new Command("add-operator")
      .description("Add a registered restaking operator to <distributor> (its curator only; at most 16)")
      .argument("<distributor>", "Distributor address")
      .argument("<operator>", "restaking operator address")
      .action(async (addressText: string, operatorText: string, _opts: unknown, cmd: Command) => {
        const address = parseAddress(addressText, "distributor");
        const operator = parseAddress(operatorText, "operator");
        const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
        const result = await addDistributorOperator(ctx.wallet(), { distributor: address, operator });
        emit(ctx, result, () => [`added operator ${operator}`, `tx ${result.hash}`]);
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
