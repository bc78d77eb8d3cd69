import {
  claimRestakeWithdrawal,
  claimRestakingRewards,
  depositRestake,
  type RestakeWithdrawal,
  type RestakingReward,
  undelegateRestake,
} from "@nektar/sdk/browser";
import { useId, useState } from "react";
import type { Address } from "viem";
import { AmountForm } from "../components/AmountForm.tsx";
import { ErrorNotice } from "../components/ErrorNotice.tsx";
import { PageTitle } from "../components/PageTitle.tsx";
import { TransactionStatus, useTransaction } from "../components/Transaction.tsx";
import { useMarketplace } from "../context.tsx";
import { useRestakeAccount, useRestaking } from "../data/hooks.ts";
import { formatBps, sharesToEther } from "../data/restaking.ts";
import type { RestakeAccount, RestakingOperatorView } from "../data/restakingLoaders.ts";
import { formatCount, formatDuration, formatEth, shortHex } from "../format.ts";
import { useSigner } from "../wallet/signer.tsx";

export function RestakePage() {
  const restaking = useRestaking();
  const signer = useSigner();
  const account = useRestakeAccount(signer.address);
  const data = restaking.data;
  return (
    <>
      <PageTitle>Restake</PageTitle>
      <p>
        Deposit divETH into the restaking vault, delegated to an operator: it secures the Networks that operator serves
        and earns their rewards, and it can be slashed by them. Check each operator's Networks and slashing record
        first. Withdrawals wait in the vault's queue (still slashable) until their claim epoch.
      </p>
      {restaking.error && <ErrorNotice error={restaking.error} title="Reading the restaking vault failed" />}
      {restaking.isPending && <p role="status">Loading restaking…</p>}
      {data && (
        <>
          <dl className="stats">
            <dt>Restaked</dt>
            <dd data-testid="restaked">{formatEth(data.restakedEther)} ETH</dd>
            <dt>Epoch</dt>
            <dd>
              {formatCount(data.epoch)} (each {formatDuration(Number(data.epochDuration))})
            </dd>
            <dt>Operators</dt>
            <dd>{formatCount(data.operators.length)}</dd>
          </dl>
          <OperatorsRisk operators={data.operators} />
        </>
      )}
      <section aria-labelledby="restake-position-heading">
        <h2 id="restake-position-heading">Your restaking</h2>
        {signer.address === undefined && <p className="muted">Connect a wallet or pick a devnet account to act.</p>}
        {account.error && <ErrorNotice error={account.error} title="Reading your restaking failed" />}
        {data && <Delegate operators={data.operators} account={account.data} />}
        {account.data && data && <Position account={account.data} shareRate={data.shareRate} />}
      </section>
    </>
  );
}

/** Every restaking operator with the risk a delegator takes on. */
function OperatorsRisk({ operators }: { operators: RestakingOperatorView[] }) {
  return (
    <section aria-labelledby="restake-operators-heading">
      <h2 id="restake-operators-heading">Operators and their risk</h2>
      {operators.length === 0 ? (
        <p className="muted">No operator has registered for restaking yet.</p>
      ) : (
        <div className="scroll">
          <table data-testid="restake-operators">
            <caption>Networks an operator serves can slash the stake delegated to it.</caption>
            <thead>
              <tr>
                <th scope="col">Operator</th>
                <th scope="col" className="num">
                  Commission
                </th>
                <th scope="col" className="num">
                  Stake (ETH)
                </th>
                <th scope="col">Networks served</th>
                <th scope="col">Slashing history</th>
              </tr>
            </thead>
            <tbody>
              {operators.map((o) => (
                <tr key={o.operator} data-operator={o.operator}>
                  <td>
                    <code title={o.operator}>{shortHex(o.operator)}</code>
                  </td>
                  <td className="num">{formatBps(o.commissionBps)}</td>
                  <td className="num">{formatEth(o.stakeEther)}</td>
                  <td className="networks wrap">
                    {o.networks.length === 0 ? "none" : o.networks.map((n) => `#${n.networkId} (${n.kind})`).join(", ")}
                  </td>
                  <td className="slashing wrap">
                    {o.slashing.slashes.length === 0
                      ? "never slashed"
                      : `${o.slashing.slashes.length} slash${o.slashing.slashes.length === 1 ? "" : "es"}, ${formatEth(o.slashing.totalShares)} divETH shares (by ${[...new Set(o.slashing.slashes.map((s) => `#${s.networkId}`))].join(", ")})`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** Delegate and undelegate: one operator picker for both forms. */
function Delegate({ operators, account }: { operators: RestakingOperatorView[]; account: RestakeAccount | undefined }) {
  const { deployment } = useMarketplace();
  const contracts = deployment.contracts;
  const signer = useSigner();
  const id = useId();
  const [picked, setPicked] = useState<Address | "">("");
  const operator = picked === "" ? undefined : picked;
  const disabled =
    signer.address === undefined
      ? "Connect a wallet or pick a devnet account to act."
      : operator === undefined
        ? "Pick an operator first."
        : undefined;
  return (
    <>
      {account && (
        <p>
          divETH available: <span data-testid="restake-diveth">{formatEth(account.divETH)}</span>
        </p>
      )}
      <div className="action">
        <label htmlFor={id}>Operator</label>
        <select id={id} value={picked} onChange={(e) => setPicked(e.target.value as Address | "")}>
          <option value="">Choose an operator…</option>
          {operators.map((o) => (
            <option key={o.operator} value={o.operator}>
              {shortHex(o.operator)} · {formatBps(o.commissionBps)} commission · networks{" "}
              {o.networks.map((n) => `#${n.networkId}`).join(", ") || "none"} ·{" "}
              {o.slashing.slashes.length === 0 ? "never slashed" : `${o.slashing.slashes.length} slashes`}
            </option>
          ))}
        </select>
      </div>
      <div className="actions">
        <AmountForm
          testId="delegate-form"
          label="Delegate"
          unit="divETH"
          submit="Delegate"
          disabled={disabled}
          action={(client, amount) => depositRestake(client, { contracts, operator: operator as Address, amount })}
        />
        <AmountForm
          testId="undelegate-form"
          label="Undelegate"
          unit="divETH"
          submit="Undelegate"
          disabled={disabled}
          action={(client, amount) => undelegateRestake(client, { contracts, operator: operator as Address, amount })}
        />
      </div>
    </>
  );
}

function Position({ account, shareRate }: { account: RestakeAccount; shareRate: bigint }) {
  return (
    <>
      <h3>Delegations</h3>
      {account.positions.length === 0 ? (
        <p className="muted">No delegation yet.</p>
      ) : (
        <table data-testid="restake-positions">
          <caption className="sr-only">Your delegations</caption>
          <thead>
            <tr>
              <th scope="col">Operator</th>
              <th scope="col" className="num">
                Active (ETH)
              </th>
              <th scope="col" className="num">
                Pending (ETH)
              </th>
              <th scope="col">Active from epoch</th>
            </tr>
          </thead>
          <tbody>
            {account.positions.map((p) => (
              <tr key={p.operator} data-operator={p.operator}>
                <td>
                  <code title={p.operator}>{shortHex(p.operator)}</code>
                </td>
                <td className="num active">{formatEth(p.activeEther)}</td>
                <td className="num pending-stake">{formatEth(sharesToEther(p.pendingShares, shareRate))}</td>
                <td>{p.pendingShares === 0n ? "—" : formatCount(p.activationEpoch)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Withdrawals withdrawals={account.withdrawals} currentEpoch={account.currentEpoch} shareRate={shareRate} />
      <Rewards rewards={account.rewards} />
      <h3>Native restaking</h3>
      {account.native === undefined ? (
        <p className="muted" data-testid="native-position">
          This deployment has no native restaking: it is deployed only on request (`withNative`), because until the Diva
          registry and the oracle drive the native vault a trusted key stands in for them.
        </p>
      ) : (
        <dl className="stats" data-testid="native-position">
          <dt>Native shares</dt>
          <dd>
            {formatCount(account.native.shares)} ({formatEth(account.native.ether)} ETH)
          </dd>
          <dt>Delegations</dt>
          <dd>
            {account.native.delegations.length === 0
              ? "none"
              : account.native.delegations
                  .map((d) => `${shortHex(d.operator)}: ${formatEth(d.activeEther)} ETH`)
                  .join(", ")}
          </dd>
        </dl>
      )}
    </>
  );
}

function Withdrawals({
  withdrawals,
  currentEpoch,
  shareRate,
}: {
  withdrawals: RestakeWithdrawal[];
  currentEpoch: bigint;
  shareRate: bigint;
}) {
  const { deployment } = useMarketplace();
  const claim = useTransaction((client, w: RestakeWithdrawal) =>
    claimRestakeWithdrawal(client, { contracts: deployment.contracts, operator: w.operator, claimEpoch: w.claimEpoch }),
  );
  return (
    <>
      <h3>Withdrawals in the queue</h3>
      {withdrawals.length === 0 ? (
        <p className="muted">No queued withdrawal.</p>
      ) : (
        <table data-testid="restake-withdrawals">
          <caption className="sr-only">Your queued restaking withdrawals</caption>
          <thead>
            <tr>
              <th scope="col">Operator</th>
              <th scope="col" className="num">
                Amount (ETH)
              </th>
              <th scope="col">Claimable from epoch</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {withdrawals.map((w) => (
              <tr key={`${w.operator}:${w.claimEpoch}`}>
                <td>
                  <code title={w.operator}>{shortHex(w.operator)}</code>
                </td>
                <td className="num">{formatEth(sharesToEther(w.shares, shareRate))}</td>
                <td>
                  {formatCount(w.claimEpoch)} (now {formatCount(currentEpoch)})
                </td>
                <td>
                  {w.claimable ? (
                    <button type="button" disabled={claim.isPending} onClick={() => claim.mutate(w)}>
                      Claim
                    </button>
                  ) : (
                    <span className="muted">waiting (still slashable)</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <TransactionStatus mutation={claim} describe="Claim withdrawal" />
    </>
  );
}

function Rewards({ rewards }: { rewards: RestakingReward[] }) {
  const { deployment } = useMarketplace();
  const contracts = deployment.contracts;
  const claim = useTransaction((client, r: RestakingReward) =>
    claimRestakingRewards(client, { contracts, token: r.token, ...(r.asOperator ? {} : { operator: r.operator }) }),
  );
  const token = (t: Address) =>
    /^0x0{40}$/.test(t) ? "ETH" : t.toLowerCase() === contracts.stakingPool.toLowerCase() ? "divETH" : shortHex(t);
  return (
    <>
      <h3>Rewards</h3>
      {rewards.length === 0 ? (
        <p className="muted" data-testid="restake-rewards">
          No claimable rewards.
        </p>
      ) : (
        <table data-testid="restake-rewards">
          <caption className="sr-only">Your claimable restaking rewards</caption>
          <thead>
            <tr>
              <th scope="col">Earned with</th>
              <th scope="col" className="num">
                Amount
              </th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {rewards.map((r) => (
              <tr key={`${r.asOperator}:${r.operator}:${r.token}`}>
                <td>{r.asOperator ? "your commission" : <code title={r.operator}>{shortHex(r.operator)}</code>}</td>
                <td className="num">
                  {formatEth(r.amount)} {token(r.token)}
                </td>
                <td>
                  <button type="button" disabled={claim.isPending} onClick={() => claim.mutate(r)}>
                    Claim
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <TransactionStatus mutation={claim} describe="Claim rewards" />
    </>
  );
}
