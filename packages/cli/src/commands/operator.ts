import { configureCliProgram, loadOperatorCommand } from "@nektar/stinger/cli";
import { Command } from "commander";
import type { GlobalFlags } from "../context.ts";
import { CliUsageError } from "../errors.ts";
import type { CliIo } from "../io.ts";

/**
 * `nektar operator …` is `stinger operator …`: the very same commands, flags and output (Stinger owns the node
 * identity that registration publishes). The arguments are handed over untouched; the root flags `nektar` parsed
 * itself (--manifest, --rpc, --json) are handed back, and its signing-account flags are refused because the operator
 * commands sign with the owner's key file (--owner-key-file), as Stinger does.
 */
export function operatorCommand(io: CliIo): Command {
  return new Command("operator")
    .summary(
      "register, bond, unbond, pause, unpause, status, strikes, eject, rewards, claim, follow (runs `stinger operator`)",
    )
    .description(
      "The operator's life in the registry: the same command as `stinger operator` (see `nektar operator <command> --help`)",
    )
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument(
      "[command...]",
      "register | bond | unbond | pause | unpause | status | strikes | eject | rewards | claim | follow, and its flags",
    )
    .action(async (args: string[], _opts: unknown, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalFlags>();
      const refused = [
        globals.account !== undefined && "--account",
        globals.privateKeyFile !== undefined && "--private-key-file",
        globals.address !== undefined && "--address",
      ].filter((flag) => flag !== false);
      if (refused.length > 0) {
        throw new CliUsageError(
          `nektar operator does not take ${refused.join(", ")}`,
          "The operator commands sign with the owner's key file: pass --owner-key-file <file> (chmod 600).",
        );
      }
      const forwarded = [
        ...args,
        ...(globals.manifest === undefined ? [] : ["--manifest", globals.manifest]),
        ...(globals.rpc === undefined ? [] : ["--rpc", globals.rpc]),
        ...(globals.json === true ? ["--json"] : []),
      ];
      const program = new Command("nektar").addCommand(await loadOperatorCommand(io));
      await configureCliProgram(program, io).parseAsync(["operator", ...forwarded], { from: "user" });
    });
}
