import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../bin/beacon-devnet.js", import.meta.url));

/** The devnet CLI running in a child process (stopped by PID). */
export type DevnetProcess = { url: string; child: ChildProcess; output: () => string; stop(): Promise<void> };

export async function spawnDevnet(args: string[]): Promise<DevnetProcess> {
  const child = spawn(process.execPath, [BIN, "--port", "0", "--log-level", "warn", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stderr?.on("data", (d) => {
    output += String(d);
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`devnet did not start: ${output}`)), 30_000);
    child.stdout?.on("data", (d) => {
      output += String(d);
      const m = /listening on (http:\/\/\S+)/.exec(output);
      if (m?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`devnet exited with ${code}: ${output}`));
    });
  });
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
