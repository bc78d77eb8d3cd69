import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const fixture = fileURLToPath(new URL("./fixtures/moduleNode.ts", import.meta.url));

type Report = {
  status: { name: string; state: string; failures: number; lastError?: string }[];
  dutyTicks: number;
  lastEpoch: string;
  healthyLastEpoch?: string;
  faultyStopped: boolean;
  faultyEventsAfterFault: number;
  failuresMetric: { value: number; labels: Record<string, string> }[];
};

/** Runs the Stinger-like child process (a duty timer, a healthy and a faulty module) and collects how it ended. */
function runNode(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [fixture, ...args], { timeout: 19_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : null;
      resolve({ code, stdout, stderr });
    });
  });
}

async function runIsolated(scenario: string, kind: string, message: string): Promise<void> {
  const { code, stdout, stderr } = await runNode([scenario]);
  assert.equal(code, 0, `the process must survive the module's fault; stderr:\n${stderr}`);
  const report = JSON.parse(stdout) as Report;
  const faulty = report.status.find((m) => m.name === "faulty");
  const healthy = report.status.find((m) => m.name === "healthy");
  // Attributed: logged under the module's name with the error and its stack, counted, and the module disabled.
  const line = stderr.split("\n").find((l) => l.includes(message));
  assert.ok(line, `the module's error is logged:\n${stderr}`);
  const logged = JSON.parse(line) as { module?: string; kind?: string; err?: { stack?: string } };
  assert.equal(logged.module, "faulty");
  assert.equal(logged.kind, kind);
  assert.match(logged.err?.stack ?? "", /moduleNode\.ts/);
  assert.equal(faulty?.state, "disabled");
  assert.equal(faulty?.failures, 1);
  assert.equal(faulty?.lastError, message);
  assert.deepEqual(report.failuresMetric, [{ value: 1, labels: { module: "faulty", kind } }]);
  // Disabled: its stop hook ran and it received no event after the fault.
  assert.equal(report.faultyStopped, true);
  assert.equal(report.faultyEventsAfterFault, 0);
  // The rest carried on: the duties kept ticking and the other module saw every epoch up to the last.
  assert.ok(report.dutyTicks > 10, `duty ticks: ${report.dutyTicks}`);
  assert.equal(healthy?.state, "running");
  assert.equal(report.healthyLastEpoch, report.lastEpoch);
}

describe("Network module isolation: errors escaping a module's own timers and promises", { concurrency: 2 }, () => {
  it("without the fault handlers, a module's timer that throws ends the whole process (the bug)", async () => {
    const { code, stdout, stderr } = await runNode(["timer-throw", "--no-isolation"]);
    assert.notEqual(code, 0);
    assert.equal(stdout, "", "the process died before it could report");
    assert.match(stderr, /module fault: timer/);
  });

  it("a timer that throws is attributed; the module is disabled, the duties and the other module carry on", () =>
    runIsolated("timer-throw", "uncaught_exception", "module fault: timer"));

  it("a timer that leaves a rejection unhandled is attributed", () =>
    runIsolated("timer-reject", "unhandled_rejection", "module fault: timer rejection"));

  it("an async function a handler started and forgot, throwing later, is attributed", () =>
    runIsolated("async-throw", "unhandled_rejection", "module fault: async function"));

  it("a throw in a callback scheduled from a topic-message handler is attributed", () =>
    runIsolated("message-callback", "uncaught_exception", "module fault: topic message callback"));

  it("a throw in a callback scheduled from a log-feed handler is attributed", () =>
    runIsolated("logs-callback", "uncaught_exception", "module fault: log feed callback"));

  it("an error outside any module still ends the process with a non-zero code", async () => {
    const { code, stdout, stderr } = await runNode(["unattributed"]);
    assert.equal(code, 1);
    assert.equal(stdout, "");
    assert.match(stderr, /Uncaught error outside any Network module; exiting/);
    assert.match(stderr, /duty pipeline fault/);
  });
});
