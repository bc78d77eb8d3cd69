import {
  createDistributor,
  depositDistributor,
  type GetDistributorInfoReturnType,
  withdrawDistributor,
} from "@nektar/sdk/browser";
import { type FormEvent, useId, useState } from "react";
import { type Address, isAddress } from "viem";
import { AmountForm } from "../components/AmountForm.tsx";
import { DistributorActions } from "../components/DistributorActions.tsx";
import { ErrorNotice } from "../components/ErrorNotice.tsx";
import { FormFooter, TextField } from "../components/FormParts.tsx";
import { PageTitle } from "../components/PageTitle.tsx";
import { useTransaction } from "../components/Transaction.tsx";
import { useMarketplace } from "../context.tsx";
import { allocation, sharesFromParsed } from "../data/distributors.ts";
import { useDistributors } from "../data/hooks.ts";
import { formatBps } from "../data/restaking.ts";
import { formatEth, formatRate, formatToken, shortHex } from "../format.ts";
import { useSigner } from "../wallet/signer.tsx";

export function DistributorsPage() {
  const signer = useSigner();
  const distributors = useDistributors(signer.address);
  const data = distributors.data;
  return (
    <>
      <PageTitle>Distributors</PageTitle>
      <p>
        A Distributor takes wdivETH and restakes it across operators by a strategy (the reference strategy weighs
        on-chain signals: bond, slashing history, Network exposure), in exchange for its own ERC-4626 shares. Its
        curator chooses the operators; the share price follows rewards and slashes.
      </p>
      {distributors.error && <ErrorNotice error={distributors.error} title="Reading the Distributors failed" />}
      {distributors.isPending && <p role="status">Loading Distributors…</p>}
      {data && !data.deployed && (
        <p className="notice" role="note">
          This deployment has no Distributor factory: it predates the Distributor contracts. Redeploy with a current{" "}
          <code>deployNektar</code> (it deploys the factory by default) to use Distributors.
        </p>
      )}
      {data?.deployed && (
        <>
          {data.distributors.length === 0 ? (
            <p className="muted" data-testid="no-distributors">
              No Distributor exists yet: a curator creates one below.
            </p>
          ) : (
            data.distributors.map((d) => <Distributor key={d.address} info={d} />)
          )}
          <CreateForm />
        </>
      )}
    </>
  );
}

function Distributor({ info }: { info: GetDistributorInfoReturnType }) {
  const { deployment } = useMarketplace();
  const signer = useSigner();
  const noAccount = signer.address === undefined ? "Connect a wallet or pick a devnet account to act." : undefined;
  const headingId = useId();
  const reference = info.strategy.toLowerCase() === deployment.contracts.signalStrategy?.toLowerCase();
  const split = allocation(info.operators);
  const delegated = split.reduce((sum, a) => sum + a.delegated, 0n);
  return (
    <section aria-labelledby={headingId} className="distributor" data-distributor={info.address}>
      <h2 id={headingId}>
        {info.name} <span className="muted">({info.symbol})</span>
      </h2>
      <dl className="stats">
        <dt>Address</dt>
        <dd>
          <code title={info.address}>{shortHex(info.address)}</code>
        </dd>
        <dt>Curator</dt>
        <dd>
          <code title={info.curator}>{shortHex(info.curator)}</code>
        </dd>
        <dt>Strategy</dt>
        <dd>
          {reference ? "reference SignalStrategy" : "custom"}{" "}
          <code title={info.strategy}>{shortHex(info.strategy)}</code>
        </dd>
        <dt>Share price</dt>
        <dd data-testid="share-price">{formatRate(info.assetsPerShare)} wdivETH</dd>
        <dt>Total assets</dt>
        <dd>{formatEth(info.totalAssets)} wdivETH</dd>
        <dt>Delegated / idle</dt>
        <dd>
          {formatEth(delegated)} / {formatEth(info.totalAssets - delegated - info.rebalancingInFlight)} wdivETH (a
          rebalance, anyone's call, delegates idle assets)
        </dd>
        <dt>Rebalancing in flight</dt>
        <dd>{formatEth(info.rebalancingInFlight)} wdivETH</dd>
        {info.holder && (
          <>
            <dt>Your shares</dt>
            <dd data-testid="distributor-holding">
              {formatToken(info.holder.shares, info.decimals)} ({formatEth(info.holder.assets)} wdivETH)
            </dd>
          </>
        )}
      </dl>
      {split.length === 0 ? (
        <p className="muted">No operator yet.</p>
      ) : (
        <table>
          <caption>Allocation across operators</caption>
          <thead>
            <tr>
              <th scope="col">Operator</th>
              <th scope="col" className="num">
                Delegated (wdivETH)
              </th>
              <th scope="col" className="num">
                Share
              </th>
            </tr>
          </thead>
          <tbody>
            {split.map((a) => (
              <tr key={a.operator}>
                <td>
                  <code title={a.operator}>{shortHex(a.operator)}</code>
                </td>
                <td className="num">{formatEth(a.delegated)}</td>
                <td className="num">{formatBps(a.basisPoints)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="actions">
        <AmountForm
          testId={`deposit-${info.address}`}
          label={`Deposit into ${info.symbol}`}
          unit="wdivETH"
          submit="Deposit"
          disabled={noAccount}
          action={(client, amount) =>
            depositDistributor(client, { contracts: deployment.contracts, distributor: info.address, amount })
          }
        />
        <AmountForm
          testId={`withdraw-${info.address}`}
          label={`Withdraw from ${info.symbol}`}
          unit={`${info.symbol} shares`}
          submit="Withdraw"
          disabled={noAccount}
          action={(client, amount) =>
            withdrawDistributor(client, { distributor: info.address, shares: sharesFromParsed(amount, info.decimals) })
          }
        />
      </div>
      <DistributorActions info={info} />
    </section>
  );
}

function CreateForm() {
  const { deployment } = useMarketplace();
  const signer = useSigner();
  const id = useId();
  const [name, setName] = useState("");
  const [symbol, setSymbol] = useState("");
  const [operators, setOperators] = useState("");
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const tx = useTransaction((client, input: { name: string; symbol: string; operators: Address[] }) =>
    createDistributor(client, { contracts: deployment.contracts, ...input }),
  );
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim() === "" || symbol.trim() === "") return setProblem("Give a name and a symbol.");
    const list = operators.split(/[\s,]+/).filter((a) => a !== "");
    const bad = list.find((a) => !isAddress(a));
    if (bad !== undefined) return setProblem(`Not an address: ${bad}`);
    if (list.length > 16) return setProblem("At most 16 operators.");
    setProblem(undefined);
    tx.mutate({ name: name.trim(), symbol: symbol.trim(), operators: list as Address[] });
  };
  const disabled = signer.address === undefined ? "Connect a wallet or pick a devnet account to act." : undefined;
  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Create a Distributor</h2>
      <form className="action" onSubmit={onSubmit} data-testid="create-distributor-form">
        <TextField id={`${id}-name`} label="Name" value={name} onChange={setName} />
        <TextField id={`${id}-symbol`} label="Symbol" value={symbol} onChange={setSymbol} />
        <TextField
          id={`${id}-operators`}
          label="Restaking operators (addresses, comma separated, at most 16)"
          placeholder="0x…, 0x…"
          value={operators}
          onChange={setOperators}
        />
        <p className="muted">With the deployment's reference strategy; you become its curator.</p>
        <FormFooter submit="Create" disabled={disabled} problem={problem} mutation={tx} />
      </form>
    </section>
  );
}
