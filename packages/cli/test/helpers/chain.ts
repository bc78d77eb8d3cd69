import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runDeploy } from "@nektar/deploy";
import { loadManifest, type NektarManifest } from "@nektar/sdk";
import { CONTRACTS_DIR, HARDHAT_CLI } from "../../src/devnet/paths.ts";
import { answersJsonRpc, freePorts, startProcess, stopProcess } from "../../src/devnet/processes.ts";
import { runCli } from "../../src/main.ts";

/** A Hardhat node child on a free 127.0.0.1 port with the contracts deployed by the deployment command line. */
export async function startChain(opts: { native?: boolean } = {}): Promise<{
  dir: string;
  manifestPath: string;
  manifest: NektarManifest;
  stop(): Promise<void>;
}> {
  const dir = mkdtempSync(join(tmpdir(), "nektar-cli-"));
  const logsDir = join(dir, "logs");
  const [rpcPort] = await freePorts(1);
  const rpcUrl = `http://127.0.0.1:${rpcPort}`;
  const node = await startProcess({
    role: "hardhat-node",
    args: [HARDHAT_CLI, "node", "--hostname", "127.0.0.1", "--port", String(rpcPort)],
    cwd: CONTRACTS_DIR,
    logsDir,
    ready: answersJsonRpc(rpcUrl),
  });
  try {
    const manifestPath = join(dir, "manifest.json");
    const err: string[] = [];
    const args = ["--rpc", rpcUrl, "--manifest", manifestPath, ...(opts.native ? ["--with-native"] : [])];
    const code = await runDeploy(args, {
      out: () => {},
      err: (l) => err.push(l),
    });
    if (code !== 0) throw new Error(`nektar-deploy exited with ${code}: ${err.join("\n")}`);
    return {
      dir,
      manifestPath,
      manifest: loadManifest(manifestPath),
      async stop() {
        await stopProcess(node.child);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await stopProcess(node.child);
    throw e;
  }
}

export type CliRun = { code: number; out: string; err: string };

/** Runs the CLI in-process with captured output. */
export async function cli(...argv: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join("\n"), err: err.join("\n") };
}
