import { renameSync, writeFileSync } from "node:fs";

/** Prints a gas table and replaces the snapshot file atomically (a failed run never leaves half a table behind). */
export function writeSnapshot(path: string, table: string): void {
  console.log(table);
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, table);
  renameSync(tmp, path);
}

/** A benchmarked operation: its snapshot row name and the target (gas used), if any. */
export type GasOperation = { name: string; target: bigint | undefined };

/**
 * What is wrong with a committed snapshot against a fresh measurement: rows missing or stale, figures more than
 * `toleranceBp` above the committed ones, missed targets. Empty when the snapshot holds. Used by every gas snapshot test.
 */
export function gasSnapshotProblems(
  operations: readonly GasOperation[],
  committed: ReadonlyMap<string, bigint>,
  measured: ReadonlyMap<string, bigint>,
  toleranceBp = 200n,
): string[] {
  const problems: string[] = [];
  const names = new Set(operations.map((o) => o.name));
  for (const name of committed.keys()) if (!names.has(name)) problems.push(`stale row "${name}"`);
  for (const { name, target } of operations) {
    const gas = measured.get(name);
    const snapshot = committed.get(name);
    if (snapshot === undefined) problems.push(`missing row for "${name}"`);
    if (gas === undefined) problems.push(`"${name}" not measured`);
    if (gas === undefined || snapshot === undefined) continue;
    const limit = snapshot + (snapshot * toleranceBp) / 10_000n;
    if (gas > limit) problems.push(`"${name}" now uses ${gas} gas, committed ${snapshot} (+2% allowed: ${limit})`);
    if (target !== undefined && gas > target) problems.push(`"${name}" uses ${gas} gas, target ${target}`);
  }
  return problems;
}
