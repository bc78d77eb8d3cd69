import { nonNegativeInt } from "@nektar/command-line";
import { CliUsageError } from "@nektar/sdk";
import { Command } from "commander";
import { runDkgCeremony, TOTAL_ROUNDS } from "../dkg/ceremony.ts";
import type { ProgressEvent } from "../dkg/ceremonyContext.ts";
import { readClusterDefinition } from "../dkg/definition.ts";
import { type AgreementSettings, agreementSettingsProblem, DEFAULT_AGREEMENT } from "../dkg/lock.ts";
import { loadIdentity } from "../identity/identity.ts";
import { resolvePassword } from "../identity/password.ts";
import { createLogger, type LogLevel } from "../logger/logger.ts";
import { startOperatorRuntime } from "../node/runtime.ts";
import { addCommonOptions, type CommonFlags, configFrom, identityPassword } from "./options.ts";
import { verifyCommand } from "./verify.ts";

type DkgFlags = CommonFlags & {
  definition?: string;
  listen?: string;
  bootnodes?: string;
  metrics?: boolean;
  metricsHost?: string;
  metricsPort?: string;
  joinTimeoutMs?: string;
  roundTimeoutMs?: string;
  keystorePasswordFile?: string;
  agreement: string;
  agreementTimeoutMs: number;
};

export function dkgCommand(): Command {
  const cmd = addCommonOptions(
    new Command("dkg")
      .description("Run a DKG ceremony from a cluster definition file; `stinger dkg verify <lock>` checks a result")
      .option("--definition <file>", "cluster definition JSON (nektar-cluster-definition/v1)")
      .option("--listen <multiaddrs>", "comma-separated libp2p listen addresses [env STINGER_LISTEN]")
      .option("--bootnodes <multiaddrs>", "comma-separated extra peers, each ending in /p2p/<peerId>")
      .option("--no-metrics", "do not serve /metrics")
      .option("--metrics-host <host>", "metrics HTTP host [env STINGER_METRICS_HOST]")
      .option("--metrics-port <port>", "metrics HTTP port, 0 = any [env STINGER_METRICS_PORT]")
      .option(
        "--join-timeout-ms <ms>",
        "how long the dealing round waits for every operator [env STINGER_DKG_JOIN_TIMEOUT_MS]",
      )
      .option("--round-timeout-ms <ms>", "deadline of each later round [env STINGER_DKG_ROUND_TIMEOUT_MS]")
      .option(
        "--agreement <protocol>",
        "duty agreement the lock binds: one-round or qbft (every operator must pass the same)",
        DEFAULT_AGREEMENT.protocol,
      )
      .option(
        "--agreement-timeout-ms <ms>",
        "agreement round timeout the lock binds, 0 = a sixth of a slot",
        nonNegativeInt,
        DEFAULT_AGREEMENT.roundTimeoutMs,
      )
      .option(
        "--keystore-password-file <file>",
        "password for the share keystore written at the end (default: identity password)",
      ),
  );
  cmd.addCommand(verifyCommand());
  cmd.action(async (flags: DkgFlags) => {
    if (flags.definition === undefined) {
      cmd.help({ error: true });
      return;
    }
    const agreement = {
      ...DEFAULT_AGREEMENT,
      protocol: flags.agreement,
      roundTimeoutMs: flags.agreementTimeoutMs,
    } as AgreementSettings;
    const problem = agreementSettingsProblem(agreement);
    if (problem !== null) throw new CliUsageError(problem.replace("agreement.protocol", "--agreement"));
    const config = configFrom(flags, {
      listen: flags.listen,
      bootnodes: flags.bootnodes,
      metricsEnabled: flags.metrics === false ? false : undefined,
      metricsHost: flags.metricsHost,
      metricsPort: flags.metricsPort,
      dkgJoinTimeoutMs: flags.joinTimeoutMs,
      dkgRoundTimeoutMs: flags.roundTimeoutMs,
    });
    const logger = createLogger({ level: config.logLevel as LogLevel, context: { module: "stinger" } });
    const definition = readClusterDefinition(flags.definition);
    const password = await identityPassword(flags);
    const identity = await loadIdentity(config.dataDir, password);
    const keystorePassword =
      flags.keystorePasswordFile !== undefined ? await resolvePassword({ file: flags.keystorePasswordFile }) : password;
    const runtime = await startOperatorRuntime(config, identity, logger);
    const cpuBefore = process.cpuUsage();
    try {
      const outcome = await runDkgCeremony(definition, {
        identity,
        node: runtime.node,
        allowlist: runtime.allowlist,
        dataDir: config.dataDir,
        keystorePassword,
        kdf: config.keystoreKdf,
        timeouts: config.dkg,
        logger,
        p2pMetrics: runtime.p2pMetrics,
        dkgMetrics: runtime.dkgMetrics,
        onProgress: printProgress,
        agreement,
      });
      console.log(`Lock:         ${outcome.lock}`);
      console.log(`Deposit data: ${outcome.depositData}`);
      console.log(`Key share:    ${outcome.keystore}`);
      const cpu = process.cpuUsage(cpuBefore);
      const sent = await runtime.registry.getSingleMetric("stinger_p2p_sent_bytes_total")?.get();
      const sentBytes = sent?.values.reduce((n, v) => n + v.value, 0) ?? 0;
      console.log(
        `Stats: ceremony_seconds=${outcome.seconds.toFixed(3)} ceremony_cpu_seconds=${((cpu.user + cpu.system) / 1e6).toFixed(3)} ` +
          `process_cpu_seconds=${(process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6).toFixed(3)} sent_envelope_bytes=${sentBytes}`,
      );
    } finally {
      await runtime.stop();
    }
  });
  return cmd;
}

function printProgress(e: ProgressEvent): void {
  const at = new Date().toISOString().slice(11, 23);
  switch (e.type) {
    case "joined":
      console.log(`${at} joined ceremony ${e.sessionId.slice(0, 18)}… as operator ${e.operator} of ${e.operators}`);
      break;
    case "round-started":
      console.log(`${at} round ${e.round}/${TOTAL_ROUNDS} ${e.name}: started`);
      break;
    case "round-closed":
      console.log(
        `${at} round ${e.round}/${TOTAL_ROUNDS} ${e.name}: closed in ${e.seconds.toFixed(2)} s` +
          (e.missing.length > 0 ? ` (deadline; nothing from operators ${e.missing.join(",")})` : ""),
      );
      break;
    case "disqualified":
      console.log(`${at} dealers disqualified: ${e.dealers.join(",")} (the key is built from the others)`);
      break;
    case "completed":
      console.log(`${at} ceremony complete in ${e.seconds.toFixed(2)} s, lock hash ${e.lockHash}`);
      break;
    case "aborted":
      console.log(`${at} ceremony aborted: ${e.reason}`);
      break;
  }
}
