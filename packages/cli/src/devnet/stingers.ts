import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { toHex } from "viem";
import { FIRST_OPERATOR_ACCOUNT, mnemonicAccount } from "./accounts.ts";
import type { OperatorIdentity } from "./operators.ts";
import { answersHttp, DevnetProcessError, freePorts, type ManagedProcess, startProcess } from "./processes.ts";

/**
 * What makes one `stinger run` a lying reporter: the variable and the test marker it requires (see
 * `packages/stinger/src/cli/run.ts` `testOnlyLyingReporter`).
 */
const LYING_REPORTER_ENV = {
  STINGER_TEST_ONLY_LYING_REPORTER: "1",
  NEKTAR_TEST_MARKER: "this-node-lies-on-purpose",
};

/** A running Stinger operator node of the devnet. */
export type DevnetStinger = { index: number; process: ManagedProcess; multiaddr: string; statusUrl: string };

/**
 * Writes operator `index`'s DKG-result signer key (its devnet account, which it registered as signer) to a file only
 * its owner can read, as `stinger run --signer-key-file` requires.
 */
export function writeSignerKeyFile(dir: string, index: number): string {
  const key = mnemonicAccount(FIRST_OPERATOR_ACCOUNT + index).getHdKey().privateKey;
  if (key === null) throw new DevnetProcessError(`stinger-${index + 1}`, dir, "has no signer private key");
  const path = join(dir, "operators", `op-${index + 1}.signer.key`);
  writeFileSync(path, `${toHex(key)}\n`, { mode: 0o600 });
  return path;
}

/**
 * Starts one `stinger run` per operator, each following the registry (DKG on request) and performing the duties of
 * the validators it holds shares of: own listen port on 127.0.0.1, the other operators as bootnodes, /health and
 * /metrics on a free port, the minimal preset of the devnet. Each is passed to `track` as soon as it is spawned (so
 * a failed start still stops every process); resolves when every node printed that it runs.
 */
export async function startStingers(p: {
  identities: readonly OperatorIdentity[];
  dir: string;
  manifestPath: string;
  beaconUrl: string;
  slotSeconds: number;
  stingerCli: string;
  cwd: string;
  logsDir: string;
  track(process: ManagedProcess): void;
  /** `networks.json` of operator `index` (`stinger run --networks`), if it runs Network modules. */
  networksFile?(index: number): string | undefined;
  /** Operator number (1-based) whose node posts wrong oracle reports (demo/test only). */
  lyingReporter?: number;
  /** Propose builder blocks through the beacon node's builder flow (`stinger run --builder`). */
  builder?: boolean;
}): Promise<DevnetStinger[]> {
  const n = p.identities.length;
  const allPorts = await freePorts(2 * n);
  const ports = allPorts.slice(0, n);
  const statusPorts = allPorts.slice(n);
  const addrs = p.identities.map((id, i) => `/ip4/127.0.0.1/tcp/${ports[i]}/p2p/${id.peerId}`);
  return Promise.all(
    p.identities.map(async (id, i) => {
      const signerKeyFile = writeSignerKeyFile(p.dir, id.index);
      const statusUrl = `http://127.0.0.1:${statusPorts[i]}`;
      const networks = p.networksFile?.(id.index);
      const process = await startProcess({
        role: `stinger-${id.index + 1}`,
        args: [
          p.stingerCli,
          "run",
          "--data-dir",
          id.dataDir,
          "--password-file",
          id.passwordFile,
          "--listen",
          `/ip4/127.0.0.1/tcp/${ports[i]}`,
          "--bootnodes",
          addrs.filter((_, j) => j !== i).join(","),
          "--beacon-node",
          p.beaconUrl,
          "--metrics-host",
          "127.0.0.1",
          "--metrics-port",
          String(statusPorts[i]),
          "--manifest",
          p.manifestPath,
          "--signer-key-file",
          signerKeyFile,
          "--poll-interval-ms",
          String(Math.min(1_000, p.slotSeconds * 500)),
          "--submit-fallback-ms",
          "10000",
          "--log-level",
          "info",
          ...(networks === undefined ? [] : ["--networks", networks]),
          ...(p.builder === true ? ["--builder"] : []),
        ],
        cwd: p.cwd,
        logsDir: p.logsDir,
        env: {
          LODESTAR_PRESET: "minimal",
          ...(p.lyingReporter === id.index + 1 ? LYING_REPORTER_ENV : {}),
        },
        // /health answers (200, or 503 until the node is healthy) once the node runs its duties.
        ready: answersHttp(`${statusUrl}/health`),
        timeoutMs: 180_000,
        onSpawn: p.track,
      });
      return { index: id.index, process, multiaddr: addrs[i] as string, statusUrl };
    }),
  );
}

/** Operators whose node answers /health (online), and those reporting healthy (beacon synced, clusters quorate). */
export async function stingerHealth(stingers: readonly DevnetStinger[]): Promise<{ online: number; healthy: number }> {
  const answers = await Promise.all(
    stingers.map(async (s) => {
      try {
        const res = await fetch(`${s.statusUrl}/health`, { signal: AbortSignal.timeout(3_000) });
        return res.status === 200 ? "healthy" : "online";
      } catch {
        return "offline";
      }
    }),
  );
  return {
    online: answers.filter((a) => a !== "offline").length,
    healthy: answers.filter((a) => a === "healthy").length,
  };
}
