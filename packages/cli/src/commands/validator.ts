import { getValidator, listValidators, parseId } from "@nektar/sdk";
import { Command } from "commander";
import { commandContext, type GlobalFlags } from "../context.ts";
import type { CliIo } from "../io.ts";
import { emit } from "../output.ts";

export function validatorCommand(io: CliIo): Command {
  const validator = new Command("validator").description("Distributed validators: list, show");
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
  return validator;
}
