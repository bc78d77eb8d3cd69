import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { registerNetwork, serializeManifest } from "@nektar/sdk";
import { startNetwork } from "@nektar/sdk/testing";
import { type Browser, chromium, type Page } from "playwright-core";
import { parseEther, zeroAddress } from "viem";
import { type MarketplaceServer, serveMarketplace } from "../../server/serve.ts";

const APP = fileURLToPath(new URL("../../", import.meta.url));
/** Failure screenshots land here (ignored by git). */
export const RESULTS = `${APP}test-results/`;
/** Hardhat's development mnemonic: the in-process network's accounts are its first 20 addresses. */
export const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Builds the static app (Vite), as `npm run build -w apps/marketplace` does. */
export function buildApp(): void {
  const vite = join(dirname(createRequire(import.meta.url).resolve("vite/package.json")), "bin", "vite.js");
  const built = spawnSync(process.execPath, [vite, "build", "--logLevel", "error"], { cwd: APP, encoding: "utf8" });
  if (built.status !== 0) throw new Error(`vite build failed:\n${built.stdout}\n${built.stderr}`);
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;

/**
 * A devnet for the browser: an in-process Hardhat network with every contract deployed (`deployNektar`), its JSON-RPC
 * served on 127.0.0.1, the static app served with a `config.json` in development mode, and headless Chromium.
 */
export async function startHarness(
  devnetAccounts: { index: number; label: string }[],
  /** Answers some JSON-RPC calls itself (benchmark fixtures); `undefined` passes the call to the chain. */
  override?: (call: { method: string; params: unknown[] }) => unknown,
) {
  const net = await startNetwork();
  // The raw EIP-1193 provider of the in-process node (a custom transport's config carries it unwrapped, so errors keep
  // their JSON-RPC code and revert data).
  const provider = net.client(0).transport as unknown as {
    request(a: { method: string; params: unknown[] }): Promise<unknown>;
  };
  // JSON-RPC of the in-process node, one call or a batch (viem batches the browser's reads).
  const call = async (c: { id?: unknown; method: string; params?: unknown[] }) => {
    try {
      const params = c.params ?? [];
      const result = override?.({ method: c.method, params }) ?? (await provider.request({ method: c.method, params }));
      return { jsonrpc: "2.0", id: c.id ?? null, result };
    } catch (e) {
      const { code, message, data } = e as { code?: number; message?: string; data?: unknown };
      return { jsonrpc: "2.0", id: c.id ?? null, error: { code: code ?? -32603, message: message ?? "error", data } };
    }
  };
  const app: MarketplaceServer = await serveMarketplace({
    port: 0,
    rpc: (body) => (Array.isArray(body) ? Promise.all(body.map(call)) : call(body as Parameters<typeof call>[0])),
    config: {
      manifest: JSON.parse(serializeManifest(net.manifest)),
      devnet: { mnemonic: HARDHAT_MNEMONIC, accounts: devnetAccounts },
    },
  });
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));
  return {
    net,
    appUrl: app.url,
    browser,
    page,
    pageErrors,
    async close() {
      await browser.close().catch(() => {});
      await app.close();
      await net.close();
    },
  };
}

/** Runs a browser step; on failure saves a full-page screenshot named after it, then rethrows. */
export async function step<T>(page: Page, name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    mkdirSync(RESULTS, { recursive: true });
    const file = `${RESULTS}${name.replace(/[^a-z0-9]+/gi, "-")}.png`;
    await page.screenshot({ path: file, fullPage: true }).catch(() => {});
    throw new Error(`${name} failed: ${e instanceof Error ? e.message : String(e)} (screenshot: ${file})`, {
      cause: e,
    });
  }
}

/** Picks a devnet account in the development-mode selector. */
export async function pickDevnetAccount(page: Page, index: number): Promise<void> {
  await page.getByLabel(/devnet account/).selectOption(String(index));
  await page.getByTestId("signer-address").waitFor();
}

/** Registers the devnet's veto Network (paid in ether) with `owner` as its admin, middleware and veto resolver. */
export async function registerDevnetNetwork(h: Harness, owner: number): Promise<bigint> {
  const network = h.net.client(owner);
  const { networkId } = await registerNetwork(network, {
    contracts: h.net.contracts,
    kind: "veto",
    slasher: network.account.address,
    vetoWindow: 600,
    maxStakePerOperator: parseEther("1000"),
    rewardTokens: [zeroAddress],
    metadataURI: "devnet://finality-relay",
  });
  return networkId;
}
