import {
  type BondAsset,
  bondOperator,
  getOperator,
  getOperatorIdByOwner,
  parseAddress,
  parseAmount,
  parseId,
  registerOperator,
  unbondOperator,
} from "@nektar/sdk";
import { Command, Option } from "commander";
import type { Hex } from "viem";
import { type CommandContext, commandContext, type GlobalFlags } from "../context.ts";
import { CliUsageError } from "../errors.ts";
import type { CliIo } from "../io.ts";
import { emit, ether } from "../output.ts";

const NODE_IDENTITY = /^0x[0-9a-fA-F]{64}$/;

export function operatorCommand(io: CliIo): Command {
  const operator = new Command("operator").description("Operators: register, bond, unbond, status");
  operator
    .command("register")
    .description("Register the sender as the owner of a new operator")
    .requiredOption(
      "--node-identity <hex>",
      "the Stinger node's Ed25519 public key (32 bytes hex, `stinger init` prints it)",
    )
    .option("--signer <address>", "DKG result signer (default: the sender)")
    .option("--metadata <uri>", "operator metadata URI (at most 512 bytes)", "")
    .action(async (opts: { nodeIdentity: string; signer?: string; metadata: string }, cmd: Command) => {
      if (!NODE_IDENTITY.test(opts.nodeIdentity)) {
        throw new CliUsageError(`invalid --node-identity "${opts.nodeIdentity}": expected 32 bytes of 0x-hex`);
      }
      if (Buffer.byteLength(opts.metadata) > 512) throw new CliUsageError("--metadata is longer than 512 bytes");
      const signer = opts.signer === undefined ? undefined : parseAddress(opts.signer, "signer address");
      const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
      const wallet = ctx.wallet();
      const r = await registerOperator(wallet, {
        contracts: ctx.contracts,
        signer: signer ?? wallet.account.address,
        nodeIdentity: opts.nodeIdentity as Hex,
        metadataURI: opts.metadata,
      });
      emit(ctx, r, () => [
        `operator ${r.operatorId} registered (owner ${wallet.account.address})`,
        `bond it: nektar operator bond 2`,
      ]);
    });
  operator
    .command("bond")
    .description("Add bond to your operator (ETH is staked first; divETH/wdivETH are approved and pulled)")
    .argument("<amount>", "amount of the asset")
    .addOption(new Option("--asset <asset>", "what to bond").choices(["ETH", "divETH", "wdivETH"]).default("ETH"))
    .option("--operator <id>", "operator id (default: the one the sender owns)")
    .action(async (amountText: string, opts: { asset: BondAsset; operator?: string }, cmd: Command) => {
      const amount = parseAmount(amountText);
      const explicit = opts.operator === undefined ? undefined : parseId(opts.operator, "operator id");
      const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
      const operatorId = explicit ?? (await ownOperator(ctx));
      const r = await bondOperator(ctx.wallet(), { contracts: ctx.contracts, operatorId, amount, asset: opts.asset });
      emit(ctx, { operatorId, ...r }, () => [
        `bonded ${ether(amount, opts.asset)} to operator ${operatorId}: +${r.units} bond units`,
      ]);
    });
  operator
    .command("unbond")
    .description("Withdraw free bond of your operator as divETH")
    .option("--units <n>", "bond units to withdraw")
    .option("--all", "withdraw every free unit")
    .option("--operator <id>", "operator id (default: the one the sender owns)")
    .option("--to <address>", "receiver of the divETH (default: the sender)")
    .action(async (opts: { units?: string; all?: boolean; operator?: string; to?: string }, cmd: Command) => {
      if ((opts.units === undefined) === (opts.all === undefined))
        throw new CliUsageError("give exactly one of --units <n> or --all");
      const units = opts.units === undefined ? undefined : parseId(opts.units, "number of bond units");
      const explicit = opts.operator === undefined ? undefined : parseId(opts.operator, "operator id");
      const recipient = opts.to === undefined ? undefined : parseAddress(opts.to, "receiver address");
      const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
      const operatorId = explicit ?? (await ownOperator(ctx));
      const free = (await getOperator(ctx.publicClient, { contracts: ctx.contracts, operatorId })).freeUnits;
      const amount = units ?? free;
      if (amount === 0n) throw new CliUsageError(`operator ${operatorId} has no free bond to withdraw`);
      if (amount > free) {
        throw new CliUsageError(
          `operator ${operatorId} has ${free} free bond units, cannot unbond ${amount}`,
          "The rest is locked by its validators.",
        );
      }
      const r = await unbondOperator(ctx.wallet(), { contracts: ctx.contracts, operatorId, units: amount, recipient });
      emit(ctx, { operatorId, units: amount, ...r }, () => [
        `unbonded ${amount} bond units of operator ${operatorId}`,
        `tx ${r.hash}`,
      ]);
    });
  operator
    .command("status")
    .description("An operator's record, bond and validator count")
    .argument("[operatorId]", "operator id (default: the one the sender owns)")
    .action(async (idText: string | undefined, _opts: unknown, cmd: Command) => {
      const explicit = idText === undefined ? undefined : parseId(idText, "operator id");
      const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
      const operatorId = explicit ?? (await ownOperator(ctx));
      const op = await getOperator(ctx.publicClient, { contracts: ctx.contracts, operatorId });
      const state = op.ejected ? "ejected" : op.paused ? "paused" : "active";
      emit(ctx, op, () => [
        `operator ${op.operatorId} (${state})`,
        `  owner          ${op.owner}`,
        `  signer         ${op.signer}`,
        `  node identity  ${op.nodeIdentity}`,
        `  bond           ${op.bondUnits} units (${op.freeUnits} free, ${op.bondUnits - op.freeUnits} locked)`,
        `  validators     ${op.validatorCount}`,
        ...(op.metadataURI ? [`  metadata       ${op.metadataURI}`] : []),
      ]);
    });
  return operator;
}

async function ownOperator(ctx: CommandContext): Promise<bigint> {
  const owner = ctx.wallet().account.address;
  const id = await getOperatorIdByOwner(ctx.publicClient, { contracts: ctx.contracts, owner });
  if (id === 0n)
    throw new CliUsageError(
      `${owner} owns no operator`,
      "Register one (nektar operator register) or pass --operator <id>.",
    );
  return id;
}
