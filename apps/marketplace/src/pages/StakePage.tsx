import { claimWithdrawal, requestWithdrawal, stake, unwrap, wrap } from "@nektar/sdk/browser";
import { AmountForm } from "../components/AmountForm.tsx";
import { ErrorNotice } from "../components/ErrorNotice.tsx";
import { LineChart } from "../components/LineChart.tsx";
import { PageTitle } from "../components/PageTitle.tsx";
import { TransactionStatus, useTransaction } from "../components/Transaction.tsx";
import { useMarketplace } from "../context.tsx";
import { useAccountPosition, usePool } from "../data/hooks.ts";
import type { WithdrawalView } from "../data/withdrawals.ts";
import { formatCount, formatEth, formatRate, formatTimestamp } from "../format.ts";
import { useSigner } from "../wallet/signer.tsx";

export function StakePage() {
  const { deployment } = useMarketplace();
  const contracts = deployment.contracts;
  const signer = useSigner();
  const pool = usePool();
  const position = useAccountPosition(signer.address);
  const noAccount = signer.address === undefined ? "Connect a wallet or pick a devnet account to act." : undefined;
  const history = pool.data?.history ?? [];
  return (
    <>
      <PageTitle>Stake</PageTitle>
      <p>Stake ETH for divETH (rebasing), wrap it into wdivETH (ERC-4626) and withdraw through the queue.</p>
      <section aria-labelledby="pool-heading">
        <h2 id="pool-heading">Pool</h2>
        {pool.error && <ErrorNotice error={pool.error} title="Reading the pool failed" />}
        {pool.data && (
          <dl className="stats">
            <dt>Total pooled</dt>
            <dd>{formatEth(pool.data.pool.totalPooledEther)} ETH</dd>
            <dt>Share rate</dt>
            <dd data-testid="share-rate">{formatRate(pool.data.pool.shareRate)} ETH per share</dd>
            <dt>Buffered</dt>
            <dd>{formatEth(pool.data.pool.bufferedEther)} ETH</dd>
            <dt>Validators deposited</dt>
            <dd>{formatCount(pool.data.pool.depositedValidators)}</dd>
            <dt>Withdrawals waiting</dt>
            <dd>{formatEth(pool.data.queue.unfinalizedEther)} ETH</dd>
            <dt>Oracle reports</dt>
            <dd>{history.length}</dd>
          </dl>
        )}
        <LineChart
          title="Share rate after each oracle report"
          points={history.map((h) => ({ x: Number(h.refTimestamp), y: Number(h.shareRate) / 1e18 }))}
          format={(y) => y.toFixed(6)}
        />
      </section>
      <section aria-labelledby="position-heading">
        <h2 id="position-heading">Your position</h2>
        {noAccount && <p className="muted">{noAccount}</p>}
        {position.error && <ErrorNotice error={position.error} title="Reading your balances failed" />}
        {position.data && (
          <dl className="stats">
            <dt>ETH</dt>
            <dd data-testid="eth-balance">{formatEth(position.data.ether)}</dd>
            <dt>divETH</dt>
            <dd data-testid="diveth-balance">{formatEth(position.data.divETH)}</dd>
            <dt>wdivETH</dt>
            <dd data-testid="wdiveth-balance">{formatEth(position.data.wdivETH)}</dd>
          </dl>
        )}
        <div className="actions">
          <AmountForm
            testId="stake-form"
            label="Stake"
            unit="ETH"
            submit="Stake"
            disabled={noAccount}
            action={(client, amount) => stake(client, { contracts, amount })}
          />
          <AmountForm
            testId="wrap-form"
            label="Wrap"
            unit="divETH"
            submit="Wrap"
            disabled={noAccount}
            action={(client, amount) => wrap(client, { contracts, amount })}
          />
          <AmountForm
            testId="unwrap-form"
            label="Unwrap"
            unit="wdivETH"
            submit="Unwrap"
            disabled={noAccount}
            action={(client, amount) => unwrap(client, { contracts, amount })}
          />
          <AmountForm
            testId="withdraw-form"
            label="Request withdrawal"
            unit="divETH"
            submit="Request withdrawal"
            disabled={noAccount}
            action={(client, amount) => requestWithdrawal(client, { contracts, amount })}
          />
        </div>
      </section>
      {position.data && <Withdrawals withdrawals={position.data.withdrawals} />}
    </>
  );
}

function Withdrawals({ withdrawals }: { withdrawals: WithdrawalView[] }) {
  const { deployment } = useMarketplace();
  const claim = useTransaction((client, requestId: bigint) =>
    claimWithdrawal(client, { contracts: deployment.contracts, requestId }),
  );
  return (
    <section aria-labelledby="withdrawals-heading">
      <h2 id="withdrawals-heading">Your withdrawals</h2>
      {withdrawals.length === 0 ? (
        <p className="muted">No open withdrawal requests.</p>
      ) : (
        <table data-testid="withdrawals">
          <caption className="sr-only">Your withdrawal requests</caption>
          <thead>
            <tr>
              <th scope="col">Request</th>
              <th scope="col">Amount (at most)</th>
              <th scope="col">Status</th>
              <th scope="col">Queue position</th>
              <th scope="col">Expected finalization</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {withdrawals.map((w) => (
              <tr key={w.requestId.toString()} data-request-id={w.requestId.toString()}>
                <td>#{w.requestId.toString()}</td>
                <td>{formatEth(w.amountOfEther)} ETH</td>
                <td className="stage">{w.stage}</td>
                <td>{w.queuePosition === 0n ? "—" : formatCount(w.queuePosition)}</td>
                <td>
                  {w.stage === "claimable"
                    ? "finalized"
                    : w.stage === "finalizable"
                      ? "at the next finalization"
                      : w.expectedReportAt === undefined
                        ? "after the next oracle report"
                        : `next oracle report, ~${formatTimestamp(w.expectedReportAt)}`}
                </td>
                <td>
                  {w.stage === "claimable" ? (
                    <button type="button" disabled={claim.isPending} onClick={() => claim.mutate(w.requestId)}>
                      Claim {formatEth(w.claimableEther)} ETH
                    </button>
                  ) : (
                    <span className="muted">waiting</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <TransactionStatus mutation={claim} describe="Claim" />
    </section>
  );
}
