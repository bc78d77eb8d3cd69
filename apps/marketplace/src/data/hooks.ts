import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { useMarketplace } from "../context.tsx";
import { loadDistributors } from "./distributors.ts";
import { loadAccount, loadOperators, loadPool, loadValidators } from "./loaders.ts";
import { loadRestakeAccount, loadRestaking } from "./restakingLoaders.ts";

// React Query caches of the loaders; one key per read so a transaction invalidates exactly what it changed
// (see `invalidateAfterTransaction`).

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
    queryFn: () => loadOperators(client, deployment),
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
    queryFn: () => loadRestaking(client, deployment),
    refetchInterval: REFRESH_MS,
  });
}

export function useRestakeAccount(account: Address | undefined) {
  const { client, deployment } = useMarketplace();
  return useQuery({
    queryKey: ["restake-account", account],
    queryFn: () => loadRestakeAccount(client, deployment, account as Address),
    enabled: account !== undefined,
    refetchInterval: REFRESH_MS,
  });
}

export function useDistributors(account: Address | undefined) {
  const { client, deployment } = useMarketplace();
  return useQuery({
    queryKey: ["distributors", account],
    queryFn: () => loadDistributors(client, deployment, account),
    refetchInterval: REFRESH_MS,
  });
}
