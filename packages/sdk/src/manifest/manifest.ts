import { type Address, getAddress, isAddress } from "viem";
import { ManifestError } from "./errors.ts";
import {
  CONTRACT_NAMES,
  DISTRIBUTOR_CONTRACT_NAMES,
  NATIVE_CONTRACT_NAMES,
  type NektarContracts,
  type NektarManifest,
} from "./types.ts";

/** Where the devnet writes its manifest, relative to the repository root. */
export const DEFAULT_DEVNET_MANIFEST = ".nektar/devnet/manifest.json";

/** Validates a parsed JSON value as a manifest; `path` only names the source in errors. */
export function parseManifest(json: unknown, path = "<manifest>"): NektarManifest {
  if (typeof json !== "object" || json === null) throw new ManifestError(path, "not a JSON object");
  const m = json as Record<string, unknown>;
  if (m.version !== 1) throw new ManifestError(path, `unsupported version ${String(m.version)} (expected 1)`);
  if (typeof m.network !== "string" || m.network === "")
    throw new ManifestError(path, "network must be a non-empty string");
  if (typeof m.chainId !== "number" || !Number.isSafeInteger(m.chainId) || m.chainId <= 0) {
    throw new ManifestError(path, "chainId must be a positive integer");
  }
  const rpcUrl = url(m.rpcUrl, "rpcUrl", path);
  const beaconUrl = m.beaconUrl === undefined ? undefined : url(m.beaconUrl, "beaconUrl", path);
  if (typeof m.deploymentBlock !== "string" || !/^\d+$/.test(m.deploymentBlock)) {
    throw new ManifestError(path, "deploymentBlock must be a decimal string");
  }
  const contracts = object(m.contracts, "contracts", path);
  const parsed = {} as NektarContracts;
  for (const name of CONTRACT_NAMES) parsed[name] = address(contracts[name], `contracts.${name}`, path);
  // Native restaking: all or none; Distributors: both or neither (older deployments have none).
  const distributors: readonly string[] = DISTRIBUTOR_CONTRACT_NAMES;
  for (const group of [NATIVE_CONTRACT_NAMES.filter((n) => !distributors.includes(n)), DISTRIBUTOR_CONTRACT_NAMES]) {
    if (group.some((name) => contracts[name] !== undefined)) {
      for (const name of group) parsed[name] = address(contracts[name], `contracts.${name}`, path);
    }
  }
  return {
    version: 1,
    network: m.network,
    chainId: m.chainId,
    rpcUrl,
    beaconUrl,
    deploymentBlock: BigInt(m.deploymentBlock),
    deployer: address(m.deployer, "deployer", path),
    contracts: parsed,
  };
}

/** The JSON text of a manifest (stable key order, trailing newline). */
export function serializeManifest(manifest: NektarManifest): string {
  const { beaconUrl, ...rest } = manifest;
  const out = {
    ...rest,
    ...(beaconUrl === undefined ? {} : { beaconUrl }),
    deploymentBlock: manifest.deploymentBlock.toString(),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

function object(value: unknown, field: string, path: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null) throw new ManifestError(path, `${field} must be an object`);
  return value as Record<string, unknown>;
}

function address(value: unknown, field: string, path: string): Address {
  if (typeof value !== "string" || !isAddress(value, { strict: false })) {
    throw new ManifestError(path, `${field} must be an address`);
  }
  return getAddress(value);
}

function url(value: unknown, field: string, path: string): string {
  if (typeof value !== "string" || !URL.canParse(value)) throw new ManifestError(path, `${field} must be a URL`);
  return value;
}
