import { type NektarReadClient, nektarChain } from "@nektar/sdk/browser";
import { createContext, type ReactNode, useContext, useMemo } from "react";
import { type Chain, createPublicClient, http } from "viem";
import type { MarketplaceConfig } from "./config.ts";
import type { Deployment } from "./data/loaders.ts";

/** What every page reads from: the deployment, its chain and one read client over the configured RPC. */
export type Marketplace = {
  config: MarketplaceConfig;
  chain: Chain;
  client: NektarReadClient;
  deployment: Deployment;
};

const MarketplaceContext = createContext<Marketplace | undefined>(undefined);

export function createMarketplace(config: MarketplaceConfig): Marketplace {
  const chain = nektarChain(config.manifest.chainId, config.rpcUrl, config.manifest.network);
  // JSON-RPC batching: the operators page makes one call per operator; they travel in a few HTTP requests.
  const client = createPublicClient({ chain, transport: http(config.rpcUrl, { batch: { batchSize: 200 } }) });
  return {
    config,
    chain,
    client,
    deployment: { contracts: config.manifest.contracts, deploymentBlock: config.manifest.deploymentBlock },
  };
}

export function MarketplaceProvider({ value, children }: { value: Marketplace; children: ReactNode }) {
  const memo = useMemo(() => value, [value]);
  return <MarketplaceContext.Provider value={memo}>{children}</MarketplaceContext.Provider>;
}

export function useMarketplace(): Marketplace {
  const m = useContext(MarketplaceContext);
  if (m === undefined) throw new Error("useMarketplace outside MarketplaceProvider");
  return m;
}
