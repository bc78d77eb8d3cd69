import type { Chain } from "viem";
import { createConfig, http } from "wagmi";
import { injected } from "wagmi/connectors/injected";

/**
 * Wallet connection: any injected wallet (EIP-1193), each one that announces itself over EIP-6963 listed by name
 * (`multiInjectedProviderDiscovery`). Reads never go through the wallet; they use the configured RPC.
 */
export function createWagmiConfig(chain: Chain, rpcUrl: string) {
  return createConfig({
    chains: [chain],
    connectors: [injected()],
    multiInjectedProviderDiscovery: true,
    transports: { [chain.id]: http(rpcUrl) },
  });
}
