import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { ManifestError } from "./errors.ts";
import { parseManifest, serializeManifest } from "./manifest.ts";
import type { NektarManifest } from "./types.ts";

// The manifest on disk (Node only); parsing and serializing are in manifest.ts, which browsers import too.

/** Reads and validates a manifest file. */
export function loadManifest(path: string): NektarManifest {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ManifestError(path, code === "ENOENT" ? "not found" : `cannot read (${code ?? String(e)})`, e);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ManifestError(path, "not valid JSON", e);
  }
  return parseManifest(json, path);
}

/** Writes a manifest atomically: a temporary file in the same directory, fsync, rename. */
export function writeManifest(path: string, manifest: NektarManifest): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  const fd = openSync(tmp, "w", 0o644);
  try {
    writeSync(fd, serializeManifest(manifest));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  const dir = openSync(dirname(path), "r");
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}
