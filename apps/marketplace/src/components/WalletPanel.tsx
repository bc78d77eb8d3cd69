import { useId } from "react";
import { useConnect, useConnection, useConnectors, useDisconnect } from "wagmi";
import { useMarketplace } from "../context.tsx";
import { shortHex } from "../format.ts";
import { useSigner } from "../wallet/signer.tsx";
import { ErrorNotice } from "./ErrorNotice.tsx";

/** Connect an injected wallet (every EIP-6963 wallet by name) or, on a devnet, pick one of its accounts. */
export function WalletPanel() {
  const { config } = useMarketplace();
  const signer = useSigner();
  const connection = useConnection();
  // The generic injected connector only when a page-level `window.ethereum` exists and no wallet announced itself by
  // name (EIP-6963): never a button that cannot connect.
  const all = useConnectors();
  const named = all.filter((c) => c.id !== "injected");
  const hasEthereum = typeof window !== "undefined" && "ethereum" in window && window.ethereum !== undefined;
  const connectors = named.length > 0 || !hasEthereum ? named : all;
  const { connect, error, isPending } = useConnect();
  const { disconnect } = useDisconnect();
  const selectId = useId();
  return (
    <section className="wallet" aria-label="Account">
      {connection.status === "connected" ? (
        <p>
          Wallet <code title={connection.address}>{shortHex(connection.address)}</code>{" "}
          <button type="button" onClick={() => disconnect()}>
            Disconnect
          </button>
        </p>
      ) : (
        <div className="row">
          {connectors.length === 0 && <span className="muted">No browser wallet found.</span>}
          {connectors.map((c) => (
            <button key={c.uid} type="button" disabled={isPending} onClick={() => connect({ connector: c })}>
              Connect {c.name}
            </button>
          ))}
        </div>
      )}
      {error && <ErrorNotice error={error} title="Wallet connection failed" />}
      {config.devnet && connection.status !== "connected" && (
        <div className="devmode">
          <label htmlFor={selectId}>
            <strong>Development mode</strong> — devnet account (keys are public; devnet only)
          </label>
          <select
            id={selectId}
            value={signer.devnetIndex ?? ""}
            onChange={(e) => signer.selectDevnetAccount(e.target.value === "" ? undefined : Number(e.target.value))}
          >
            <option value="">none</option>
            {config.devnet.accounts.map((a) => (
              <option key={a.index} value={a.index}>
                #{a.index} {a.label}
              </option>
            ))}
          </select>
          {signer.source === "devnet" && signer.address && (
            <span>
              {" "}
              signing as <code data-testid="signer-address">{signer.address}</code>
            </span>
          )}
        </div>
      )}
    </section>
  );
}
