import { readFileSync } from "node:fs";
import { type Address, getAddress, isAddress } from "viem";
import { NetworkModuleError } from "./errors.ts";

/** One enabled Network module in the operator's `networks.json`. */
export type NetworkModuleEntry = {
  /** Module package or file to import (its default export is a `NetworkModuleDefinition`). */
  module: string;
  /** Name override (metrics, logs, data folder); default: the module's own name. */
  name?: string | undefined;
  /** The Network's contract. */
  contract: Address;
  networkId: bigint;
  /** Off: configured but not started. */
  enabled: boolean;
  options: Record<string, unknown>;
};

/**
 * Reads `networks.json`: `{ "networks": [{ "module": "@nektar/finality-network/module", "contract": "0x…",
 * "networkId": "1", "enabled": true, "options": {…} }] }`. Every entry is checked; the first bad one is reported
 * with its position and what to fix.
 */
export function readNetworksConfig(path: string): NetworkModuleEntry[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw invalid(path, `cannot read: ${(e as Error).message}`);
  }
  return parseNetworksConfig(raw, path);
}

export function parseNetworksConfig(raw: unknown, source = "networks config"): NetworkModuleEntry[] {
  const list = (raw as { networks?: unknown })?.networks;
  if (!Array.isArray(list)) throw invalid(source, 'expected { "networks": [ … ] }');
  return list.map((e: unknown, i) => {
    const at = `${source} networks[${i}]`;
    const entry = e as Record<string, unknown>;
    if (typeof entry?.module !== "string" || entry.module === "")
      throw invalid(at, '"module" must name a package or file');
    if (typeof entry.contract !== "string" || !isAddress(entry.contract, { strict: false })) {
      throw invalid(at, '"contract" must be the Network contract address');
    }
    const id = entry.networkId;
    if (!(typeof id === "string" || typeof id === "number") || !/^[1-9][0-9]*$/.test(String(id))) {
      throw invalid(at, '"networkId" must be a positive integer (as a string)');
    }
    if (entry.name !== undefined && typeof entry.name !== "string") throw invalid(at, '"name" must be a string');
    if (entry.enabled !== undefined && typeof entry.enabled !== "boolean")
      throw invalid(at, '"enabled" must be true or false');
    if (entry.options !== undefined && (typeof entry.options !== "object" || entry.options === null)) {
      throw invalid(at, '"options" must be an object');
    }
    return {
      module: entry.module,
      name: entry.name as string | undefined,
      contract: getAddress(entry.contract),
      networkId: BigInt(String(id)),
      enabled: entry.enabled !== false,
      options: (entry.options as Record<string, unknown> | undefined) ?? {},
    };
  });
}

function invalid(module: string, reason: string): NetworkModuleError {
  return new NetworkModuleError({ code: "ERR_NETWORK_MODULE_INVALID", module, reason });
}
