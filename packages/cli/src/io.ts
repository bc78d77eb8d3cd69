// Where a command writes (the process streams, or buffers in tests): the same shape as Stinger's, which `nektar
// operator` runs in-process.
export { type CliIo, processIo } from "@nektar/stinger/cli";

/** JSON with bigints as decimal strings. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_, v) => (typeof v === "bigint" ? v.toString() : v), 2);
}
