import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../bin/beacon-devnet.js", import.meta.url));

/** The devnet CLI running in a child process (stopped by PID). */
export type DevnetProcess = { url: string; child: ChildProcess; output: () => string; stop(): Promise<void> };

export async function spawnDevnet(args: string[]): Promise<DevnetProcess> {
  // The helper picks the port, so it knows the URL; readiness is the Beacon API answering, not a log line.
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [BIN, "--port", String(port), "--log-level", "warn", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (d: Buffer) => {
    output += String(d);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`devnet exited with ${child.exitCode}: ${output}`);
    const res = await fetch(`${url}/eth/v1/node/health`).catch(() => undefined);
    await res?.body?.cancel();
    if (res?.ok) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`devnet did not start: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.pid === undefined) return;
      process.kill(child.pid, "SIGTERM");
      await once(child, "exit");
    },
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}
