import { configureCliProgram } from "@nektar/stinger/cli";
import { Command, Option } from "commander";
import { balanceCommand } from "./commands/balance.ts";
import { devnetCommand } from "./commands/devnet.ts";
import { distributorCommand } from "./commands/distributor.ts";
import { nativeCommand } from "./commands/native.ts";
import { networkCommand } from "./commands/network.ts";
import { operatorCommand } from "./commands/operator.ts";
import { oracleCommand } from "./commands/oracle.ts";
import { restakeCommand } from "./commands/restake.ts";
import { stakeCommand } from "./commands/stake.ts";
import { validatorCommand } from "./commands/validator.ts";
import { withdrawCommand } from "./commands/withdraw.ts";
import { unwrapCommand, wrapCommand } from "./commands/wrap.ts";
import type { CliIo } from "./io.ts";

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The `nektar` command tree; errors are thrown (exitOverride) so `runCli` decides how to print them. */
export function buildProgram(io: CliIo): Command {
  const program = new Command("nektar")
    .description("Nektar: stake ETH for divETH, run operators, inspect validators, and run the local devnet")
    .option("--manifest <file>", "deployment manifest [env NEKTAR_MANIFEST] (default .nektar/devnet/manifest.json)")
    .option("--rpc <url>", "JSON-RPC URL (default: the manifest's)")
    .addOption(
      new Option("--address <name=0x…>", "contract address override, repeatable (e.g. stakingPool=0x…)").argParser(
        collect,
      ),
    )
    .option("--account <index>", "devnet only: Hardhat development account index (default 1)")
    .option("--private-key-file <file>", "file holding the signing key (or set NEKTAR_PRIVATE_KEY)")
    .option("--json", "machine-readable output")
    .option("--verbose", "on failure, also print the error's context and cause chain");
  for (const command of [
    stakeCommand(io),
    wrapCommand(io),
    unwrapCommand(io),
    withdrawCommand(io),
    operatorCommand(io),
    restakeCommand(io),
    nativeCommand(io),
    distributorCommand(io),
    networkCommand(io),
    validatorCommand(io),
    oracleCommand(io),
    balanceCommand(io),
    devnetCommand(io),
  ]) {
    program.addCommand(command);
  }
  return configureCliProgram(program, io);
}
