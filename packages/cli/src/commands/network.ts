import {
  distributeNetworkRewards,
  parseAddress,
  parseAmount,
  parseEpoch,
  parseId,
  registerNetwork,
  resolveSlashRequest,
  slashOperator,
} from "@nektar/sdk";
import { Command, Option } from "commander";
import { type Hex, isHex, zeroAddress } from "viem";
import { commandContext, type GlobalFlags } from "../context.ts";
import { CliUsageError } from "../errors.ts";
import type { CliIo } from "../io.ts";
import { emit } from "../output.ts";

const collect = (value: string, previous: string[] = []) => [...previous, value];

type RegisterFlags = {
  kind: "objective" | "veto";
  slasher: string;
  vetoWindow?: string;
  receiver?: string;
  maxStakePerOperator: string;
  maxTotalStake?: string;
  rewardToken?: string[];
  metadataUri: string;
  middleware?: string;
};

/** `nektar network …`: a Network's side of restaking (registration, rewards, slashing, veto). */
export function networkCommand(io: CliIo): Command {
  const network = new Command("network").description(
    "Restaking networks: register, pay rewards, slash operators, veto or execute slash requests",
  );
  network.addCommand(
    new Command("register")
      .description("Register a network (you become its admin)")
      .addOption(new Option("--kind <kind>", "slashing kind").choices(["objective", "veto"]).makeOptionMandatory())
      .requiredOption("--slasher <address>", "ISlashVerifier (objective) or veto resolver (veto)")
      .option("--veto-window <seconds>", "veto networks: seconds the resolver may veto (< one epoch)")
      .option("--receiver <address>", "receiver of slashed divETH (default: burnt)")
      .requiredOption(
        "--max-stake-per-operator <divETH>",
        "most stake counted per operator (divETH shares, in ether units)",
      )
      .option("--max-total-stake <divETH>", "most stake wanted in total (advisory)")
      .option("--reward-token <address>", "reward token (repeatable; default: ether)", collect)
      .option("--middleware <address>", "pays rewards and requests slashes (default: you)")
      .requiredOption("--metadata-uri <uri>", "description of the network (≤ 512 bytes)")
      .action(async (opts: RegisterFlags, cmd: Command) => {
        const vetoWindow = opts.vetoWindow === undefined ? undefined : Number(parseId(opts.vetoWindow, "veto window"));
        const params = {
          kind: opts.kind,
          slasher: parseAddress(opts.slasher, "slasher"),
          vetoWindow,
          slashReceiver: opts.receiver === undefined ? undefined : parseAddress(opts.receiver, "receiver"),
          maxStakePerOperator: parseAmount(opts.maxStakePerOperator),
          maxTotalStake: opts.maxTotalStake === undefined ? undefined : parseAmount(opts.maxTotalStake),
          rewardTokens: (opts.rewardToken ?? [zeroAddress]).map((t) => parseAddress(t, "reward token")),
          middleware: opts.middleware === undefined ? undefined : parseAddress(opts.middleware, "middleware"),
          metadataURI: opts.metadataUri,
        };
        const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
        const result = await registerNetwork(ctx.wallet(), { contracts: ctx.contracts, ...params });
        emit(ctx, result, () => [`registered network ${result.networkId}`, `tx ${result.hash}`]);
      }),
  );
  network.addCommand(
    new Command("rewards")
      .description("Pay rewards for a finished <epoch> to operators (middleware only)")
      .argument("<networkId>", "network id")
      .argument("<epoch>", "a finished epoch")
      .requiredOption("--operator <address>", "operator paid (repeatable)", collect)
      .option("--amount <amount>", "amount per operator, in the order of --operator (repeatable)", collect)
      .option("--total <amount>", "total, weighted by the stake the network saw")
      .option("--token <address>", "reward token (default: ether)")
      .action(
        async (
          networkText: string,
          epochText: string,
          opts: { operator: string[]; amount?: string[]; total?: string; token?: string },
          cmd: Command,
        ) => {
          const networkId = parseId(networkText, "network id");
          const epoch = parseEpoch(epochText);
          const operators = opts.operator.map((o) => parseAddress(o, "operator"));
          const amounts = opts.amount?.map((a) => parseAmount(a));
          const total = opts.total === undefined ? undefined : parseAmount(opts.total);
          if ((amounts === undefined) === (total === undefined)) {
            throw new CliUsageError("give either --amount per operator or --total", "e.g. --total 1.5");
          }
          const token = opts.token === undefined ? zeroAddress : parseAddress(opts.token, "token");
          const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
          const result = await distributeNetworkRewards(ctx.wallet(), {
            contracts: ctx.contracts,
            networkId,
            epoch,
            operators,
            amounts,
            total,
            token,
          });
          emit(ctx, result, () => [`paid ${result.total} wei of ${token} for epoch ${epoch}`, `tx ${result.hash}`]);
        },
      ),
  );
  network.addCommand(
    new Command("slash")
      .description("Slash <operator>: with --evidence (objective networks) or request --amount (veto networks)")
      .argument("<networkId>", "network id")
      .argument("<operator>", "operator address")
      .requiredOption("--capture <timestamp>", "unix seconds of the stake captured (within the last epoch)")
      .option("--evidence <hex>", "evidence for the network's verifier")
      .option("--amount <divETH>", "divETH shares to slash, in ether units (veto networks)")
      .action(
        async (
          networkText: string,
          operatorText: string,
          opts: { capture: string; evidence?: string; amount?: string },
          cmd: Command,
        ) => {
          const networkId = parseId(networkText, "network id");
          const operator = parseAddress(operatorText, "operator");
          const captureTimestamp = Number(parseId(opts.capture, "capture timestamp"));
          if ((opts.evidence === undefined) === (opts.amount === undefined)) {
            throw new CliUsageError(
              "give either --evidence or --amount",
              "Objective networks: --evidence; veto: --amount.",
            );
          }
          if (opts.evidence !== undefined && !isHex(opts.evidence)) {
            throw new CliUsageError(`evidence "${opts.evidence}" is not 0x-prefixed hex`, "Give --evidence 0x….");
          }
          const kind =
            opts.evidence !== undefined
              ? { evidence: opts.evidence as Hex }
              : { amount: parseAmount(opts.amount ?? "") };
          const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
          const result = await slashOperator(ctx.wallet(), {
            contracts: ctx.contracts,
            networkId,
            operator,
            captureTimestamp,
            ...kind,
          });
          emit(ctx, result, () => [
            result.kind === "executed"
              ? `slashed ${result.slashed} divETH shares of ${operator}`
              : `slash request ${result.requestId}; veto window until ${result.vetoDeadline}`,
            `tx ${result.hash}`,
          ]);
        },
      ),
  );
  for (const action of ["veto", "execute"] as const) {
    network.addCommand(
      new Command(action)
        .description(
          action === "veto"
            ? "Veto a slash request within its window (the network's resolver only)"
            : "Execute a slash request after its veto window (anyone)",
        )
        .argument("<requestId>", "slash request id")
        .action(async (idText: string, _opts: unknown, cmd: Command) => {
          const requestId = parseId(idText, "slash request id");
          const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
          const result = await resolveSlashRequest(ctx.wallet(), { contracts: ctx.contracts, requestId, action });
          emit(ctx, result, () => [
            action === "veto" ? `vetoed slash request ${requestId}` : `slashed ${result.slashed} divETH shares`,
            `tx ${result.hash}`,
          ]);
        }),
    );
  }
  return network;
}
