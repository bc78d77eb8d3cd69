import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { lazy, Suspense, useEffect, useMemo } from "react";
import { WagmiProvider } from "wagmi";
import { Layout } from "./components/Layout.tsx";
import { PageTitle } from "./components/PageTitle.tsx";
import type { MarketplaceConfig } from "./config.ts";
import { createMarketplace, MarketplaceProvider } from "./context.tsx";
import { StakePage } from "./pages/StakePage.tsx";
import { type Route, useRoute } from "./router.ts";
import { SignerProvider } from "./wallet/signer.tsx";
import { createWagmiConfig } from "./wallet/wagmi.ts";

// The first page (stake) ships in the entry chunk; the others load when visited.
const OperatorsPage = lazy(() => import("./pages/OperatorsPage.tsx").then((m) => ({ default: m.OperatorsPage })));
const OperatorPage = lazy(() => import("./pages/OperatorPage.tsx").then((m) => ({ default: m.OperatorPage })));
const ValidatorsPage = lazy(() => import("./pages/ValidatorsPage.tsx").then((m) => ({ default: m.ValidatorsPage })));
const RestakePage = lazy(() => import("./pages/RestakePage.tsx").then((m) => ({ default: m.RestakePage })));
const NetworksPage = lazy(() => import("./pages/NetworksPage.tsx").then((m) => ({ default: m.NetworksPage })));
const DistributorsPage = lazy(() =>
  import("./pages/DistributorsPage.tsx").then((m) => ({ default: m.DistributorsPage })),
);

export function App({ config }: { config: MarketplaceConfig }) {
  const marketplace = useMemo(() => createMarketplace(config), [config]);
  const wagmi = useMemo(() => createWagmiConfig(marketplace.chain, config.rpcUrl), [marketplace, config.rpcUrl]);
  const queries = useMemo(() => new QueryClient({ defaultOptions: { queries: { retry: 1 } } }), []);
  return (
    <WagmiProvider config={wagmi}>
      <QueryClientProvider client={queries}>
        <MarketplaceProvider value={marketplace}>
          <SignerProvider>
            <Pages />
          </SignerProvider>
        </MarketplaceProvider>
      </QueryClientProvider>
    </WagmiProvider>
  );
}

function Pages() {
  const route = useRoute();
  useEffect(() => {
    document.title = `${title(route)} · Nektar marketplace`;
  }, [route]);
  return (
    <Layout route={route}>
      <Suspense fallback={<p role="status">Loading…</p>}>
        <Page route={route} />
      </Suspense>
    </Layout>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case "stake":
      return <StakePage />;
    case "operators":
      return <OperatorsPage />;
    case "operator":
      return <OperatorPage operatorId={route.operatorId} />;
    case "validators":
      return <ValidatorsPage />;
    case "restake":
      return <RestakePage />;
    case "networks":
      return <NetworksPage />;
    case "distributors":
      return <DistributorsPage />;
    case "not-found":
      return (
        <>
          <PageTitle>Not found</PageTitle>
          <p>
            No page at <code>{route.path}</code>. <a href="#/stake">Go to Stake</a>.
          </p>
        </>
      );
  }
}

function title(route: Route): string {
  return route.page === "operator"
    ? `Operator #${route.operatorId}`
    : route.page === "not-found"
      ? "Not found"
      : route.page[0]?.toUpperCase() + route.page.slice(1);
}
