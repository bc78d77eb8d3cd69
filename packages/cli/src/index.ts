export type { DevnetStatus } from "./devnet/status.ts";
export { type DevnetOptions, DevnetRunningError, devnetUp, type RunningDevnet } from "./devnet/up.ts";
export { runCli } from "./main.ts";
