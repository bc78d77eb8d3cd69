import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { AtomicWriteError, writeFileAtomic } from "../../../src/storage/atomicFile.ts";

const dir = mkdtempSync(join(tmpdir(), "stinger-atomic-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("writeFileAtomic", () => {
  it("writes the content with the requested mode and leaves no temporary file", () => {
    const path = join(dir, "a.json");
    writeFileAtomic(path, "hello", { mode: 0o600 });
    assert.equal(readFileSync(path, "utf8"), "hello");
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.endsWith(".tmp")),
      [],
    );
  });

  it("refuses to replace an existing file in exclusive mode and keeps the old content", () => {
    const path = join(dir, "key.json");
    writeFileSync(path, "old");
    assert.throws(() => writeFileAtomic(path, "new", { exclusive: true }), AtomicWriteError);
    assert.equal(readFileSync(path, "utf8"), "old");
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.endsWith(".tmp")),
      [],
    );
  });

  it("fails with a typed error when the directory does not exist", () => {
    assert.throws(() => writeFileAtomic(join(dir, "missing", "x"), "x"), AtomicWriteError);
  });

  it("never leaves a half-written file when the writer is killed with SIGKILL", async () => {
    const path = join(dir, "big.bin");
    const size = 4 * 1024 * 1024;
    const script = `
      import { writeFileAtomic } from ${JSON.stringify(new URL("../../../src/storage/atomicFile.ts", import.meta.url).href)};
      let i = 0;
      for (;;) { writeFileAtomic(${JSON.stringify(path)}, Buffer.alloc(${size}, i % 251)); i++; process.stdout.write("w"); }
    `;
    for (let round = 0; round < 5; round++) {
      const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
        stdio: ["ignore", "pipe", "inherit"],
      });
      await new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
      await new Promise((r) => setTimeout(r, 20 + round * 17));
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r));
      const content = readFileSync(path);
      assert.equal(content.length, size, "file is complete");
      const first = content[0];
      assert.ok(
        content.every((b) => b === first),
        "file holds one write, not a mix",
      );
    }
  });
});
