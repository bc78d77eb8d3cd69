import { CliUsageError, completeDeposit, getValidator, listValidators, parseId } from "@nektar/sdk";
import { connectBeaconNode, fetchWithdrawalCredentialsProof } from "@nektar/stinger";
import { Command } from "commander";
import { commandContext, type GlobalFlags } from "../context.ts";
import { NotPredepositedError } from "../errors.ts";
import type { CliIo } from "../io.ts";
import { emit } from "../output.ts";

export function validatorCommand(io: CliIo): Command {
  const validator = new Command("validator").description("Distributed validators: list, show, complete-deposit");
  validator
    .command("list")
    .description("Validator requests and validators, oldest first")
    .option("--from <id>", "first id", "1")
    .option("--limit <n>", "at most this many", "100")
    .action(async (opts: { from: string; limit: string }, cmd: Command) => {
      const from = parseId(opts.from, "first validator id");
      const limit = parseId(opts.limit, "limit");
      const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
      const { total, validators } = await listValidators(ctx.publicClient, { contracts: ctx.contracts, from, limit });
      emit(ctx, { total, validators }, () => [
        `${total} validator request(s)`,
        ...validators.map(
          (v) => `  ${String(v.validatorId).padStart(4)}  ${v.status.padEnd(10)} ${v.pubkey ?? "(no key yet)"}`,
        ),
      ]);
    });
  validator
    .command("show")
    .description("One validator: status, key and its 16 operators")
    .argument("<id>", "validator (request) id")
    .action(async (idText: string, _opts: unknown, cmd: Command) => {
      const validatorId = parseId(idText, "validator id");
      const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
      const v = await getValidator(ctx.publicClient, { contracts: ctx.contracts, validatorId });
      emit(ctx, v, () => [
        `validator ${v.validatorId}: ${v.status}`,
        `  pubkey     ${v.pubkey ?? "(no key yet: DKG pending)"}`,
        `  operators  ${v.operatorIds.join(", ")}`,
        `  requested  ${new Date(Number(v.requestedAt) * 1000).toISOString()}`,
      ]);
    });
  validator
    .command("complete-deposit")
    .description(
      "Prove a predeposited validator's withdrawal credentials from a beacon node's state and have the pool send its " +
        "remaining 31 ETH (or write it off if its key was front-run). Anyone may call; the caller pays the gas.",
    )
    .argument("<id>", "validator id")
    .option("--beacon-node <url>", "Beacon API URL (default: the manifest's beaconUrl)")
    .action(async (idText: string, opts: { beaconNode?: string }, cmd: Command) => {
      const validatorId = parseId(idText, "validator id");
      const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
      const beaconUrl = opts.beaconNode ?? ctx.manifest?.beaconUrl;
      if (beaconUrl === undefined) {
        throw new CliUsageError("no beacon node", "Pass --beacon-node <url>, or use a manifest with a beaconUrl.");
      }
      const v = await getValidator(ctx.publicClient, { contracts: ctx.contracts, validatorId });
      if (v.status !== "predeposited" || v.pubkey === undefined) throw new NotPredepositedError(validatorId, v.status);
      const beacon = await connectBeaconNode(beaconUrl);
      const proof = await fetchWithdrawalCredentialsProof(beacon.api, beacon.config, v.pubkey);
      if (proof === undefined) {
        throw new CliUsageError(
          `validator ${validatorId} is not in the beacon state yet`,
          "Its 1 ETH deposit is processed a few epochs after it was made: try again later.",
        );
      }
      const done = await completeDeposit(ctx.wallet(), { contracts: ctx.contracts, ...proof });
      emit(ctx, { validatorId, ...done, beaconIndex: proof.beaconIndex }, () => [
        done.deposited
          ? `validator ${validatorId} (beacon index ${proof.beaconIndex}): 31 ETH deposited, tx ${done.hash}`
          : `validator ${validatorId} was front-run with foreign credentials: written off, cluster bond slashed, tx ${done.hash}`,
      ]);
    });
  return validator;
}
