import type { Command } from "commander";
import { type FlatConfig, resolveConfig, type StingerConfig } from "../config/config.ts";
import { resolvePassword } from "../identity/password.ts";
import { promptPassword } from "./prompt.ts";

/** Options every command shares; flag values override env (`STINGER_*`) and the config file. */
export function addCommonOptions(cmd: Command): Command {
  return cmd
    .option("--config <file>", "JSON config file (keys: dataDir, listen, bootnodes, metricsEnabled, …)")
    .option("--data-dir <dir>", "directory of the identity and ceremony outputs [env STINGER_DATA_DIR]")
    .option("--log-level <level>", "fatal|error|warn|info|debug|trace [env STINGER_LOG_LEVEL]")
    .option(
      "--password-file <file>",
      "file holding the identity keystore password (else STINGER_PASSWORD, else prompt)",
    );
}

export type CommonFlags = {
  config?: string;
  dataDir?: string;
  logLevel?: string;
  passwordFile?: string;
};

export function configFrom(flags: CommonFlags, extra: FlatConfig = {}): StingerConfig {
  return resolveConfig({
    file: flags.config,
    flags: { dataDir: flags.dataDir, logLevel: flags.logLevel, ...extra },
  });
}

export function identityPassword(flags: CommonFlags): Promise<string> {
  return resolvePassword({ file: flags.passwordFile, prompt: () => promptPassword("Identity keystore password: ") });
}
