import { BaseError, type NektarManifest, parseManifest } from "@nektar/sdk/browser";

/** One devnet account the development mode offers (index of the devnet's public mnemonic, and its role). */
export type DevnetAccount = { index: number; label: string };

/** What the app is pointed at: served as `config.json` next to `index.html` (by `npm start`, or by whoever hosts it). */
export type MarketplaceConfig = {
  manifest: NektarManifest;
  /** JSON-RPC URL the browser reads from (the manifest's own `rpcUrl` when not given). */
  rpcUrl: string;
  /** Development mode: sign with the local devnet's well-known accounts. Only ever set by a devnet. */
  devnet: { mnemonic: string; accounts: DevnetAccount[] } | undefined;
};

/** The app's `config.json` is missing or malformed. */
export class ConfigError extends BaseError<{ code: "ERR_MARKETPLACE_CONFIG"; source: string }> {
  override name = "ConfigError";
  constructor(source: string, problem: string, cause?: unknown) {
    super({ code: "ERR_MARKETPLACE_CONFIG", source }, `${source}: ${problem}`, { cause });
  }
}

/** Validates a parsed `config.json`; the manifest is checked by the SDK's own parser. */
export function parseConfig(json: unknown, source = "config.json"): MarketplaceConfig {
  if (typeof json !== "object" || json === null) throw new ConfigError(source, "not a JSON object");
  const c = json as Record<string, unknown>;
  let manifest: NektarManifest;
  try {
    manifest = parseManifest(c.manifest, `${source} manifest`);
  } catch (e) {
    throw new ConfigError(source, e instanceof BaseError ? e.shortMessage : "manifest is invalid", e);
  }
  const rpcUrl = c.rpcUrl === undefined ? manifest.rpcUrl : c.rpcUrl;
  if (typeof rpcUrl !== "string" || !/^https?:\/\//.test(rpcUrl) || !URL.canParse(rpcUrl)) {
    throw new ConfigError(source, "rpcUrl must be an http(s) URL");
  }
  return { manifest, rpcUrl, devnet: c.devnet === undefined ? undefined : devnet(c.devnet, source) };
}

function devnet(value: unknown, source: string): NonNullable<MarketplaceConfig["devnet"]> {
  const d = value as { mnemonic?: unknown; accounts?: unknown };
  if (typeof d !== "object" || d === null || typeof d.mnemonic !== "string" || d.mnemonic.split(" ").length < 12) {
    throw new ConfigError(source, "devnet.mnemonic must be a 12+ word mnemonic");
  }
  if (!Array.isArray(d.accounts) || d.accounts.length === 0) {
    throw new ConfigError(source, "devnet.accounts must be a non-empty list");
  }
  const accounts = d.accounts.map((a: unknown, i) => {
    const { index, label } = (a ?? {}) as { index?: unknown; label?: unknown };
    if (typeof index !== "number" || !Number.isSafeInteger(index) || index < 0 || typeof label !== "string") {
      throw new ConfigError(source, `devnet.accounts[${i}] must be {index: non-negative integer, label: string}`);
    }
    return { index, label };
  });
  return { mnemonic: d.mnemonic, accounts };
}

/** Fetches and validates the config the app was deployed with. */
export async function loadConfig(url = "./config.json"): Promise<MarketplaceConfig> {
  let response: Response;
  try {
    response = await fetch(url, { cache: "no-store" });
  } catch (e) {
    throw new ConfigError(url, "cannot be fetched", e);
  }
  if (!response.ok) throw new ConfigError(url, `answered HTTP ${response.status}`);
  let json: unknown;
  try {
    json = await response.json();
  } catch (e) {
    throw new ConfigError(url, "is not valid JSON", e);
  }
  return parseConfig(json, url);
}
