import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { useMarketplace } from "../context.tsx";
import { loadAccount, loadPool, loadValidators } from "./loaders.ts";

// React Query caches of the loaders; one key per read so a transaction invalidates exactly what it changed
// (see `invalidateAfterTransaction`). The loaders of the lazily loaded pages are imported when first used, so the
// first page's bundle carries neither them nor the restaking ABIs they read with.

/** How often the pages re-read the chain (the devnet makes a block every slot). */
export const REFRESH_MS = 4_000;

export function usePool() {
  const { client, deployment } = useMarketplace();
  return useQuery({ queryKey: ["pool"], queryFn: () => loadPool(client, deployment), refetchInterval: REFRESH_MS });
}

export function useAccountPosition(account: Address | undefined) {
  const { client, deployment } = useMarketplace();
  return useQuery({
    queryKey: ["account", account],
    queryFn: () => loadAccount(client, deployment, account as Address),
    enabled: account !== undefined,
    refetchInterval: REFRESH_MS,
  });
}

export function useOperators() {
  const { client, deployment } = useMarketplace();
  return useQuery({
    queryKey: ["operators"],
    queryFn: async () => (await import("./operatorsLoader.ts")).loadOperators(client, deployment),
    refetchInterval: REFRESH_MS,
  });
}

export function useValidators() {
  const { client, deployment } = useMarketplace();
  return useQuery({
    queryKey: ["validators"],
    queryFn: () => loadValidators(client, deployment),
    refetchInterval: REFRESH_MS,
  });
}

export function useRestaking() {
  const { client, deployment } = useMarketplace();
  return useQuery({
    queryKey: ["restaking"],
    queryFn: async () => (await import("./restakingLoaders.ts")).loadRestaking(client, deployment),
    refetchInterval: REFRESH_MS,
  });
}

export function useRestakeAccount(account: Address | undefined) {
  const { client, deployment } = useMarketplace();
  return useQuery({
    queryKey: ["restake-account", account],
    queryFn: async () =>
      (await import("./restakingLoaders.ts")).loadRestakeAccount(client, deployment, account as Address),
    enabled: account !== undefined,
    refetchInterval: REFRESH_MS,
  });
}

export function useDistributors(account: Address | undefined) {
  const { client, deployment } = useMarketplace();
  return useQuery({
    queryKey: ["distributors", account],
    queryFn: async () => (await import("./distributors.ts")).loadDistributors(client, deployment, account),
    refetchInterval: REFRESH_MS,
  });
}
