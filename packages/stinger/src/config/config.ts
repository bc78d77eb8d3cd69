import { readFileSync } from "node:fs";
import { LodestarError } from "@lodestar/utils";
import { multiaddr } from "@multiformats/multiaddr";
import type { KeystoreKdf } from "@nektar/crypto";
import type { LogLevel } from "../logger/logger.ts";

export type ConfigErrorType = { code: "ERR_CONFIG_INVALID"; source: string; key: string; reason: string };
export class ConfigError extends LodestarError<ConfigErrorType> {}

/** Node configuration. Precedence: defaults < config file < environment (`STINGER_*`) < command-line flags. */
export type StingerConfig = {
  /** Holds the identity keystore, operator record and ceremony outputs. */
  dataDir: string;
  /** libp2p listen multiaddrs. */
  listen: string[];
  /** Extra peers to dial (multiaddrs ending in /p2p/<peerId>) besides those of a cluster definition. */
  bootnodes: string[];
  metrics: { enabled: boolean; host: string; port: number };
  logLevel: LogLevel;
  dkg: {
    /** How long round 1 waits for every operator to show up and deal (operators start at different times). */
    joinTimeoutMs: number;
    /** Deadline of every later round once all operators are present. */
    roundTimeoutMs: number;
  };
  keystoreKdf: KeystoreKdf;
};

export const DEFAULT_CONFIG: StingerConfig = {
  dataDir: "./stinger-data",
  listen: ["/ip4/0.0.0.0/tcp/9000"],
  bootnodes: [],
  metrics: { enabled: true, host: "127.0.0.1", port: 8008 },
  logLevel: "info",
  dkg: { joinTimeoutMs: 300_000, roundTimeoutMs: 15_000 },
  keystoreKdf: "pbkdf2",
};

/** Flat keys accepted in files, env (`STINGER_` + upper snake case) and flags; values are strings from env/flags. */
const KEYS = {
  dataDir: "STINGER_DATA_DIR",
  listen: "STINGER_LISTEN",
  bootnodes: "STINGER_BOOTNODES",
  metricsEnabled: "STINGER_METRICS_ENABLED",
  metricsHost: "STINGER_METRICS_HOST",
  metricsPort: "STINGER_METRICS_PORT",
  logLevel: "STINGER_LOG_LEVEL",
  dkgJoinTimeoutMs: "STINGER_DKG_JOIN_TIMEOUT_MS",
  dkgRoundTimeoutMs: "STINGER_DKG_ROUND_TIMEOUT_MS",
  keystoreKdf: "STINGER_KEYSTORE_KDF",
} as const;
export type FlatConfigKey = keyof typeof KEYS;
export type FlatConfig = Partial<Record<FlatConfigKey, unknown>>;

/** Resolve the configuration from an optional JSON file, the environment and flags (already parsed by the CLI). */
export function resolveConfig(opts: {
  file?: string | undefined;
  env?: NodeJS.ProcessEnv;
  flags?: FlatConfig;
}): StingerConfig {
  let cfg = structuredClone(DEFAULT_CONFIG);
  if (opts.file !== undefined) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(opts.file, "utf8"));
    } catch (e) {
      throw new ConfigError({ code: "ERR_CONFIG_INVALID", source: opts.file, key: "-", reason: (e as Error).message });
    }
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      throw new ConfigError({
        code: "ERR_CONFIG_INVALID",
        source: opts.file,
        key: "-",
        reason: "must be a JSON object",
      });
    }
    for (const k of Object.keys(raw)) {
      if (!(k in KEYS)) {
        throw new ConfigError({ code: "ERR_CONFIG_INVALID", source: opts.file, key: k, reason: "unknown key" });
      }
    }
    cfg = apply(cfg, raw as FlatConfig, opts.file);
  }
  const env = opts.env ?? process.env;
  const fromEnv: FlatConfig = {};
  for (const [k, envName] of Object.entries(KEYS)) {
    if (env[envName] !== undefined) fromEnv[k as FlatConfigKey] = env[envName];
  }
  cfg = apply(cfg, fromEnv, "environment");
  return apply(cfg, opts.flags ?? {}, "flags");
}

function apply(cfg: StingerConfig, flat: FlatConfig, source: string): StingerConfig {
  const fail = (key: string, reason: string): never => {
    throw new ConfigError({ code: "ERR_CONFIG_INVALID", source, key, reason });
  };
  const out = structuredClone(cfg);
  for (const [key, value] of Object.entries(flat)) {
    if (value === undefined) continue;
    switch (key as FlatConfigKey) {
      case "dataDir":
        out.dataDir = typeof value === "string" && value !== "" ? value : fail(key, "must be a path");
        break;
      case "listen":
      case "bootnodes":
        out[key as "listen" | "bootnodes"] = addrList(value, key, fail);
        break;
      case "metricsEnabled":
        out.metrics.enabled = bool(value, key, fail);
        break;
      case "metricsHost":
        out.metrics.host = typeof value === "string" && value !== "" ? value : fail(key, "must be a host");
        break;
      case "metricsPort":
        out.metrics.port = int(value, key, 0, 65535, fail);
        break;
      case "logLevel":
        out.logLevel = ["fatal", "error", "warn", "info", "debug", "trace"].includes(value as string)
          ? (value as LogLevel)
          : fail(key, "must be one of fatal, error, warn, info, debug, trace");
        break;
      case "dkgJoinTimeoutMs":
        out.dkg.joinTimeoutMs = int(value, key, 100, 86_400_000, fail);
        break;
      case "dkgRoundTimeoutMs":
        out.dkg.roundTimeoutMs = int(value, key, 100, 3_600_000, fail);
        break;
      case "keystoreKdf":
        out.keystoreKdf = value === "pbkdf2" || value === "scrypt" ? value : fail(key, "must be pbkdf2 or scrypt");
        break;
      default:
        fail(key, "unknown key");
    }
  }
  return out;
}

function addrList(value: unknown, key: string, fail: (k: string, r: string) => never): string[] {
  const list =
    typeof value === "string"
      ? value
          .split(",")
          .map((s) => s.trim())
          .filter((s) => s !== "")
      : value;
  if (!Array.isArray(list) || list.some((a) => typeof a !== "string")) return fail(key, "must be a list of multiaddrs");
  for (const a of list as string[]) {
    try {
      multiaddr(a);
    } catch {
      fail(key, `invalid multiaddr: ${a}`);
    }
  }
  return list as string[];
}

function bool(value: unknown, key: string, fail: (k: string, r: string) => never): boolean {
  if (typeof value === "boolean") return value;
  if (value === "true" || value === "1") return true;
  if (value === "false" || value === "0") return false;
  return fail(key, "must be true or false");
}

function int(value: unknown, key: string, min: number, max: number, fail: (k: string, r: string) => never): number {
  const n = typeof value === "string" && /^[0-9]+$/.test(value) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > max)
    return fail(key, `must be an integer in [${min}, ${max}]`);
  return n;
}
