import { type Chain, defineChain } from "viem";

/** A viem chain for a chain id and RPC URL (the SDK needs no registry of known chains). */
export function nektarChain(chainId: number, rpcUrl: string, name = `chain ${chainId}`): Chain {
  return defineChain({
    id: chainId,
    name,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
}
