import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import {
  answersHttp,
  DevnetProcessError,
  freePorts,
  type ManagedProcess,
  startProcess,
  stopProcess,
} from "../../src/devnet/processes.ts";

const dir = mkdtempSync(join(tmpdir(), "nektar-processes-"));
const started: ManagedProcess[] = [];
after(async () => {
  for (const p of started) await stopProcess(p.child);
  rmSync(dir, { recursive: true, force: true });
});

/** A child that prints nothing and, after `delayMs`, serves HTTP on `port` (answering 503, like an unhealthy node). */
function server(port: number, delayMs: number): string[] {
  const code = `setTimeout(() => require("node:http").createServer((q, r) => { r.statusCode = 503; r.end(); }).listen(${port}, "127.0.0.1"), ${delayMs});`;
  return ["-e", code];
}

describe("startProcess", () => {
  it("is ready once the child's API answers, whatever it logs", async () => {
    const [port] = await freePorts(1);
    const url = `http://127.0.0.1:${port}/health`;
    assert.equal(await answersHttp(url)(), false);
    const p = await startProcess({
      role: "api",
      args: server(port as number, 300),
      cwd: dir,
      logsDir: dir,
      ready: answersHttp(url),
    });
    started.push(p);
    assert.equal(p.output(), "");
    assert.equal(await answersHttp(url)(), true);
  });

  it("fails with the log's path when the child exits before it is ready", async () => {
    await assert.rejects(
      startProcess({ role: "dies", args: ["-e", "process.exit(3)"], cwd: dir, logsDir: dir, ready: async () => false }),
      (e) =>
        e instanceof DevnetProcessError && /exited with code 3/.test(e.message) && e.type.log === join(dir, "dies.log"),
    );
  });

  it("fails when the child never becomes ready in time", async () => {
    await assert.rejects(
      startProcess({
        role: "silent",
        args: ["-e", "setTimeout(() => {}, 60_000)"],
        cwd: dir,
        logsDir: dir,
        ready: async () => false,
        timeoutMs: 500,
        onSpawn: (p) => started.push(p),
      }),
      (e) => e instanceof DevnetProcessError && /did not become ready within 0.5 s/.test(e.message),
    );
  });
});
