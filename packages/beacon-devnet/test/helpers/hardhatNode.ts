import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const CONTRACTS = fileURLToPath(new URL("../../../../contracts/", import.meta.url));
const HARDHAT_CLI = fileURLToPath(new URL("../../../../node_modules/hardhat/dist/src/cli.js", import.meta.url));
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, "close");
  return port;
}

/** A Hardhat 3 (EDR) JSON-RPC node in a child process on 127.0.0.1, stopped by PID. */
export type HardhatNode = { url: string; child: ChildProcess; stop(): Promise<void> };

export async function startHardhatNode(): Promise<HardhatNode> {
  const port = await freePort();
  const child = spawn(process.execPath, [HARDHAT_CLI, "node", "--hostname", "127.0.0.1", "--port", String(port)], {
    cwd: CONTRACTS,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hardhat node did not start: ${output}`)), 60_000);
    const onData = (d: Buffer) => {
      output += String(d);
      if (output.includes("Started HTTP")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`hardhat node exited with ${code}: ${output}`));
    });
  });
  child.stdout?.resume();
  child.stderr?.resume();
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    async stop() {
      if (child.exitCode !== null || child.pid === undefined) return;
      process.kill(child.pid, "SIGTERM");
      await once(child, "exit");
    },
  };
}
