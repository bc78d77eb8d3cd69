import type { ReactNode } from "react";
import { useMarketplace } from "../context.tsx";
import { href, type Route } from "../router.ts";
import { WalletPanel } from "./WalletPanel.tsx";

const NAV = [
  { page: "stake", label: "Stake" },
  { page: "operators", label: "Operators" },
  { page: "validators", label: "Validators" },
  { page: "restake", label: "Restake" },
  { page: "networks", label: "Networks" },
  { page: "distributors", label: "Distributors" },
] as const;

export function Layout({ route, children }: { route: Route; children: ReactNode }) {
  const { config } = useMarketplace();
  const current = route.page === "operator" ? "operators" : route.page;
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header>
        <div className="brand">
          Nektar{" "}
          <span className="muted">
            marketplace · {config.manifest.network} (chain {config.manifest.chainId})
          </span>
        </div>
        {config.devnet && (
          <p className="devbanner" role="note">
            Development mode: this is a local devnet. Its accounts' keys are public.
          </p>
        )}
        <nav aria-label="Pages">
          <ul>
            {NAV.map((n) => (
              <li key={n.page}>
                <a href={href({ page: n.page })} aria-current={current === n.page ? "page" : undefined}>
                  {n.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <WalletPanel />
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
