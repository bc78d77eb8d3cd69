import { existsSync } from "node:fs";
import { join } from "node:path";
import { MARKETPLACE_DIST, type MarketplaceServer, serveMarketplace } from "@nektar/marketplace/serve";
import { type NektarManifest, serializeManifest } from "@nektar/sdk";
import {
  DEPLOYER_ACCOUNT,
  DEVNET_MNEMONIC,
  DISTRIBUTOR_HOLDER_ACCOUNT,
  FIRST_OPERATOR_ACCOUNT,
  FIRST_STAKER_ACCOUNT,
} from "./accounts.ts";
import { portOrFree } from "./processes.ts";

export type StartMarketplaceOptions = {
  /** Port on 127.0.0.1 (0: any free port). */
  port: number;
  stakers: number;
  operators: number;
  /** Where a skipped start is reported. */
  onEvent?: (message: string) => void;
  /** The static build (default: the marketplace package's dist/). */
  dist?: string;
};

/** The devnet accounts the marketplace's development mode offers, labelled by their role on the devnet. */
export function marketplaceAccounts(stakers: number, operators: number): { index: number; label: string }[] {
  return [
    { index: DEPLOYER_ACCOUNT, label: "deployer, Distributor curator" },
    ...Array.from({ length: stakers }, (_, i) => ({ index: FIRST_STAKER_ACCOUNT + i, label: `staker ${i + 1}` })),
    { index: DISTRIBUTOR_HOLDER_ACCOUNT, label: "Distributor holder" },
    ...Array.from({ length: operators }, (_, i) => ({
      index: FIRST_OPERATOR_ACCOUNT + i,
      label: `operator #${i + 1} owner`,
    })),
  ];
}

/**
 * Serves the marketplace web app against this devnet, in development mode with the devnet's accounts (their keys are
 * public) and the chain's JSON-RPC proxied at `/rpc`. Skipped, with a note, when the static build is missing.
 */
export async function startMarketplace(
  manifest: NektarManifest,
  opts: StartMarketplaceOptions,
): Promise<MarketplaceServer | undefined> {
  const dist = opts.dist ?? MARKETPLACE_DIST;
  if (!existsSync(join(dist, "index.html"))) {
    opts.onEvent?.("marketplace not served: its build is missing (npm run build -w apps/marketplace)");
    return undefined;
  }
  return serveMarketplace({
    port: await portOrFree(opts.port),
    dist,
    rpc: manifest.rpcUrl,
    config: {
      manifest: JSON.parse(serializeManifest(manifest)),
      devnet: { mnemonic: DEVNET_MNEMONIC, accounts: marketplaceAccounts(opts.stakers, opts.operators) },
    },
  });
}
