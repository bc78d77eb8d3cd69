import { type ApiClient, getClient } from "@lodestar/api";
import { type BeaconConfig, chainConfigFromJson, createBeaconConfig } from "@lodestar/config";
import { ACTIVE_PRESET } from "@lodestar/params";
import { PipelineError } from "../core/pipelineError.ts";
import { SlotClock } from "../core/scheduler/slotClock.ts";
import type { Logger } from "../logger/logger.ts";
import { BeaconNodePool } from "./beaconPool.ts";

/** What a node learns from its beacon node once at start: chain identity, timing and a configured API client. */
export type BeaconConnection = {
  /** The beacon node URLs, comma-joined (for logs). */
  url: string;
  /** Every call goes to the healthiest of the configured beacon nodes and falls back at once (see {@link pool}). */
  api: ApiClient;
  pool: BeaconNodePool;
  /** The beacon node's chain config (spec) bound to its genesis validators root: fork schedule and signing domains. */
  config: BeaconConfig;
  clock: SlotClock;
  genesisValidatorsRoot: Uint8Array;
  /** 0x-prefixed hex of the genesis fork version (the deposit signature domain). */
  genesisForkVersion: `0x${string}`;
};

/**
 * Reads genesis and spec from the first of `urls` that answers (standard Beacon API) and puts every URL behind one
 * health-checked {@link BeaconNodePool} (call `pool.start()` to probe them; `pool.stop()` when done). Refuses a beacon
 * node whose preset differs from this process's (SSZ types would not match) with a message that says how to fix it.
 */
export async function connectBeaconNode(
  urls: string | readonly string[],
  opts: { logger?: Logger } = {},
): Promise<BeaconConnection> {
  const list = typeof urls === "string" ? urls.split(",").filter((u) => u !== "") : urls;
  let firstError: unknown;
  for (const url of list) {
    try {
      return await connectVia(url, list, opts.logger);
    } catch (e) {
      firstError ??= e;
    }
  }
  throw firstError ?? new PipelineError({ code: "ERR_BEACON_NODE", call: "getGenesis", reason: "no beacon node URL" });
}

async function connectVia(url: string, urls: readonly string[], logger: Logger | undefined): Promise<BeaconConnection> {
  const bootstrap = getClient(
    { baseUrl: url, globalInit: { timeoutMs: 4000 } },
    { config: createBeaconConfig(chainConfigFromJson({}), new Uint8Array(32)) },
  );
  const fail = (call: string, reason: string) =>
    new PipelineError({ code: "ERR_BEACON_NODE", call, reason: `${reason}; is ${url} a synced beacon node?` });
  let genesis: { genesisTime: number; genesisValidatorsRoot: Uint8Array; genesisForkVersion: Uint8Array };
  let spec: Record<string, string>;
  try {
    genesis = (await bootstrap.beacon.getGenesis()).value();
    spec = (await bootstrap.config.getSpec()).value() as Record<string, string>;
  } catch (e) {
    throw fail("getGenesis/getSpec", (e as Error).message);
  }
  if (spec.PRESET_BASE !== undefined && spec.PRESET_BASE !== ACTIVE_PRESET) {
    throw fail(
      "getSpec",
      `beacon node runs preset ${spec.PRESET_BASE}, this process ${ACTIVE_PRESET} (set LODESTAR_PRESET=${spec.PRESET_BASE})`,
    );
  }
  const config = createBeaconConfig(chainConfigFromJson(spec), genesis.genesisValidatorsRoot);
  const pool = new BeaconNodePool({ urls, config, ...(logger !== undefined ? { logger } : {}) });
  return {
    url: urls.join(","),
    api: pool.api,
    pool,
    config,
    clock: new SlotClock({
      genesisTime: Number(genesis.genesisTime),
      secondsPerSlot: config.SECONDS_PER_SLOT,
      slotsPerEpoch: Number(spec.SLOTS_PER_EPOCH),
    }),
    genesisValidatorsRoot: genesis.genesisValidatorsRoot,
    genesisForkVersion: `0x${Buffer.from(genesis.genesisForkVersion).toString("hex")}`,
  };
}
