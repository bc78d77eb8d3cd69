import { renameSync, writeFileSync } from "node:fs";

/** Prints a gas table and replaces the snapshot file atomically (a failed run never leaves half a table behind). */
export function writeSnapshot(path: string, table: string): void {
  console.log(table);
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, table);
  renameSync(tmp, path);
}
