import { resolve } from "node:path";
import { integerFlag } from "@nektar/command-line";
import { getPoolState, loadManifest } from "@nektar/sdk";
import { Command } from "commander";
import { createPublicClient, http } from "viem";
import { beaconHead } from "../devnet/beacon.ts";
import { DEFAULT_DEVNET_DIR } from "../devnet/paths.ts";
import { renderStatus, statusLine } from "../devnet/render.ts";
import { isAlive, readState, writeState } from "../devnet/state.ts";
import { DEFAULT_SLOT_SECONDS, devnetUp } from "../devnet/up.ts";
import { CliUsageError } from "../errors.ts";
import { type CliIo, toJson } from "../io.ts";
import { ether } from "../output.ts";

type UpFlags = {
  dir: string;
  operators: number;
  stakers: number;
  slotSeconds: number;
  validators: number;
  resume?: boolean;
  headless?: boolean;
  rpcPort: number;
  beaconPort: number;
  marketplacePort: number;
  demoSlash?: boolean;
  demoLyingReporter?: number;
  builder?: boolean;
};

export function devnetCommand(io: CliIo): Command {
  const devnet = new Command("devnet").description("The local devnet: up, down, status");
  devnet
    .command("up")
    .description("Start EVM node, contracts, beacon devnet, operators and stakers on 127.0.0.1 (Ctrl-C stops all)")
    .option("--dir <dir>", "devnet directory (manifest, logs, operator identities)", DEFAULT_DEVNET_DIR)
    .option("--operators <n>", "operators to create (≥ 16)", integerFlag(16, 200), 20)
    .option("--stakers <n>", "staker accounts", integerFlag(1, 9), 4)
    .option("--slot-seconds <s>", "seconds per slot", integerFlag(1, 60), DEFAULT_SLOT_SECONDS)
    .option("--validators <n>", "distributed validators to create", integerFlag(0, 50), 2)
    .option("--resume", "keep the operators' identities of the previous run (chains restart from genesis)")
    .option("--headless", "print events as lines instead of the live status screen")
    .option("--rpc-port <port>", "EVM JSON-RPC port (0: any free port)", integerFlag(0, 65535), 8545)
    .option("--beacon-port <port>", "Beacon API port (0: any free port)", integerFlag(0, 65535), 5052)
    .option("--marketplace-port <port>", "marketplace web app port (0: any free port)", integerFlag(0, 65535), 5173)
    .option(
      "--builder",
      "builder (MEV-boost) blocks: start the beacon devnet's local builder and run every Stinger with --builder",
    )
    .option(
      "--demo-slash",
      "DEMO ONLY: one finality-relay operator's node equivocates once it signed a certificate, and is slashed",
    )
    .option(
      "--demo-lying-reporter <n>",
      "demo/test only: operator n's Stinger posts wrong oracle reports (the others dispute them)",
      integerFlag(1, 200),
    )
    .action(async (flags: UpFlags) => {
      const dir = resolve(flags.dir);
      const live = !flags.headless && process.stdout.isTTY === true;
      const events: string[] = [];
      let lastEpoch = -1;
      const running = await devnetUp({
        dir,
        operators: flags.operators,
        stakers: flags.stakers,
        slotSeconds: flags.slotSeconds,
        validators: flags.validators,
        resume: flags.resume === true,
        rpcPort: flags.rpcPort,
        beaconPort: flags.beaconPort,
        marketplacePort: flags.marketplacePort,
        interopValidators: 64,
        demoSlash: flags.demoSlash === true,
        builder: flags.builder === true,
        ...(flags.demoLyingReporter !== undefined ? { demoLyingReporter: flags.demoLyingReporter } : {}),
        onPhase: (m) => io.out(`» ${m}`),
        onEvent: (m) => {
          if (live) events.push(m);
          else io.out(`  ${m}`);
          events.splice(0, Math.max(0, events.length - 6));
        },
        onStatus: (s) => {
          if (!live) {
            if (s.epoch !== lastEpoch) io.out(`  ${statusLine(s)}`);
            lastEpoch = s.epoch;
            return;
          }
          const urls = {
            rpcUrl: running.rpcUrl,
            beaconUrl: running.beaconUrl,
            manifest: running.manifestPath,
            marketplaceUrl: running.marketplaceUrl,
          };
          const lines = renderStatus(s, urls);
          process.stdout.write(
            `\x1b[2J\x1b[H${[...lines, "", "  Recent:", ...events.map((e) => `    ${e}`)].join("\n")}\n`,
          );
        },
      });
      io.out(`devnet up: EVM ${running.rpcUrl}, beacon ${running.beaconUrl}, manifest ${running.manifestPath}`);
      io.out(`marketplace: ${running.marketplaceUrl ?? "not served (npm run build -w apps/marketplace)"}`);
      // The first signal stops cleanly; a repeated one (more than a second later: wrappers may relay the same Ctrl-C)
      // exits at once, leaving `nektar devnet down` to clean up by the recorded PIDs.
      let firstSignalAt = 0;
      const onSignal = () => {
        if (firstSignalAt === 0) {
          firstSignalAt = Date.now();
          io.out("stopping the devnet…");
          void running.stop();
        } else if (Date.now() - firstSignalAt > 1_000) {
          process.exit(130);
        }
      };
      process.on("SIGINT", onSignal);
      process.on("SIGTERM", onSignal);
      await running.stopped;
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      io.out("devnet stopped: every process it started has exited");
    });
  devnet
    .command("down")
    .description("Stop a devnet started from another terminal")
    .option("--dir <dir>", "devnet directory", DEFAULT_DEVNET_DIR)
    .action(async (flags: { dir: string }) => {
      const dir = resolve(flags.dir);
      const state = readState(dir);
      if (!state) throw new CliUsageError(`no devnet state in ${dir}`, "Nothing to stop.");
      const pids = [state.orchestratorPid, ...state.processes.map((p) => p.pid)].filter(isAlive);
      if (pids.length === 0) {
        io.out("no devnet process is running");
        return;
      }
      if (isAlive(state.orchestratorPid)) process.kill(state.orchestratorPid, "SIGTERM");
      const deadline = Date.now() + 20_000;
      while (Date.now() < deadline && pids.some(isAlive)) await new Promise((r) => setTimeout(r, 200));
      for (const pid of pids.filter(isAlive)) process.kill(pid, "SIGKILL");
      writeState(dir, { ...state, processes: [] });
      io.out(`devnet stopped (${pids.length} process(es))`);
    });
  devnet
    .command("status")
    .description("Whether the devnet runs, its endpoints, head and pool")
    .option("--dir <dir>", "devnet directory", DEFAULT_DEVNET_DIR)
    .action(async (flags: { dir: string }, cmd: Command) => {
      const json = cmd.optsWithGlobals<{ json?: boolean }>().json === true;
      const dir = resolve(flags.dir);
      const state = readState(dir);
      const running = state !== undefined && isAlive(state.orchestratorPid);
      if (!state || !running) {
        if (json) io.out(toJson({ running: false, dir }));
        else io.out(`devnet: not running (${dir}) — start it with \`npm start\` or \`nektar devnet up\``);
        return;
      }
      const manifest = loadManifest(state.manifest);
      const client = createPublicClient({ transport: http(state.rpcUrl) });
      const [pool, head] = await Promise.all([
        getPoolState(client, { contracts: manifest.contracts }),
        state.beaconUrl ? beaconHead(state.beaconUrl).catch(() => undefined) : undefined,
      ]);
      const processes = state.processes.map((p) => ({ ...p, alive: isAlive(p.pid) }));
      if (json) {
        io.out(toJson({ running, dir, rpcUrl: state.rpcUrl, beaconUrl: state.beaconUrl, processes, head, pool }));
        return;
      }
      io.out(`devnet: running since ${state.startedAt} (pid ${state.orchestratorPid})`);
      io.out(`  EVM ${state.rpcUrl}   beacon ${state.beaconUrl ?? "-"}   manifest ${state.manifest}`);
      if (head) io.out(`  slot ${head.slot}   justified ${head.justifiedEpoch}   finalized ${head.finalizedEpoch}`);
      io.out(
        `  pool ${ether(pool.totalPooledEther)}   buffer ${ether(pool.bufferedEther)}   validators deposited ${pool.depositedValidators}`,
      );
      io.out(`  processes ${processes.filter((p) => p.alive).length}/${processes.length} alive`);
    });
  return devnet;
}
