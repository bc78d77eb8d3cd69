import {
  distributeNetworkRewards,
  InvalidAmountError,
  parseAmount,
  registerNetwork,
  type TransactionResult,
} from "@nektar/sdk/browser";
import { type FormEvent, useId, useState } from "react";
import { type Address, isAddress, zeroAddress } from "viem";
import { ErrorNotice } from "../components/ErrorNotice.tsx";
import { FormFooter, TextField } from "../components/FormParts.tsx";
import { PageTitle } from "../components/PageTitle.tsx";
import { useTransaction } from "../components/Transaction.tsx";
import { useMarketplace } from "../context.tsx";
import { useRestaking } from "../data/hooks.ts";
import { type NetworkView, sharesToEther } from "../data/restaking.ts";
import { formatCount, formatDuration, formatEth, shortHex } from "../format.ts";
import { useSigner } from "../wallet/signer.tsx";

export function NetworksPage() {
  const restaking = useRestaking();
  const data = restaking.data;
  return (
    <>
      <PageTitle>Networks</PageTitle>
      <p>
        Networks rent the stake restaked with operators: each counts the stake of the operators that opted in (up to its
        per-operator maximum), pays rewards per epoch and can slash — with evidence checked on-chain (objective) or
        after a veto window (veto).
      </p>
      {restaking.error && <ErrorNotice error={restaking.error} title="Reading the networks failed" />}
      {restaking.isPending && <p role="status">Loading networks…</p>}
      {data && (
        <>
          {data.networks.length === 0 ? (
            <p className="muted">No Network is registered yet.</p>
          ) : (
            <NetworksTable networks={data.networks} shareRate={data.shareRate} />
          )}
          <Owner networks={data.networks} epoch={data.epoch} epochDuration={data.epochDuration} />
        </>
      )}
    </>
  );
}

function NetworksTable({ networks, shareRate }: { networks: NetworkView[]; shareRate: bigint }) {
  return (
    <div className="scroll">
      <table data-testid="networks-table">
        <caption>
          {formatCount(networks.length)} Network{networks.length === 1 ? "" : "s"}; stake in ETH at the current share
          rate.
        </caption>
        <thead>
          <tr>
            <th scope="col">Network</th>
            <th scope="col">Slashing</th>
            <th scope="col" className="num">
              Stake secured (ETH)
            </th>
            <th scope="col">Operators opted in</th>
            <th scope="col">Rewards paid (recent epochs)</th>
            <th scope="col">Slashing history</th>
          </tr>
        </thead>
        <tbody>
          {networks.map((n) => (
            <tr key={n.networkId.toString()} data-network-id={n.networkId.toString()}>
              <td>
                #{n.networkId.toString()} <span className="muted">{n.metadataURI}</span>
                <div className="muted">
                  admin <code title={n.admin}>{shortHex(n.admin)}</code>
                </div>
              </td>
              <td className="kind">{n.kind}</td>
              <td className="num stake-secured">{formatEth(sharesToEther(n.stakeSecuredShares, shareRate))}</td>
              <td className="operators wrap">
                {n.operators.length === 0
                  ? "none"
                  : `${n.operators.length}: ${n.operators.map((o) => shortHex(o.operator)).join(", ")}`}
              </td>
              <td className="rewards wrap">
                {n.recentRewards.length === 0
                  ? "none yet"
                  : n.recentRewards
                      .map(
                        (r) =>
                          `epoch ${r.epoch}: ${formatEth(r.amount)} ${r.token === zeroAddress ? "ETH" : shortHex(r.token)} to ${r.operators}`,
                      )
                      .join("; ")}
              </td>
              <td className="slashes wrap">
                {n.slashes.length === 0 && n.openRequests.length === 0
                  ? "none"
                  : [
                      ...n.slashes.map((s) => `${formatEth(s.amount)} shares of ${shortHex(s.operator)}`),
                      ...n.openRequests.map(
                        (r) => `request #${r.requestId} ${r.vetoed ? "vetoed" : "pending"} (${shortHex(r.operator)})`,
                      ),
                    ].join("; ")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A Network owner's acts: register a Network, pay it rewards for a finished epoch. */
function Owner({ networks, epoch, epochDuration }: { networks: NetworkView[]; epoch: bigint; epochDuration: bigint }) {
  const signer = useSigner();
  const noAccount = signer.address === undefined ? "Connect a wallet or pick a devnet account to act." : undefined;
  return (
    <section aria-labelledby="network-owner-heading">
      <h2 id="network-owner-heading">For Network owners</h2>
      {noAccount && <p className="muted">{noAccount}</p>}
      <div className="actions">
        <RegisterForm disabled={noAccount} />
        <FundForm networks={networks} epoch={epoch} epochDuration={epochDuration} disabled={noAccount} />
      </div>
    </section>
  );
}

function RegisterForm({ disabled }: { disabled: string | undefined }) {
  const { deployment } = useMarketplace();
  const id = useId();
  const [kind, setKind] = useState<"objective" | "veto">("veto");
  const [slasher, setSlasher] = useState("");
  const [vetoWindow, setVetoWindow] = useState("600");
  const [maxStake, setMaxStake] = useState("");
  const [metadataURI, setMetadataURI] = useState("");
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const tx = useTransaction((client, input: Parameters<typeof registerNetwork>[1]) => registerNetwork(client, input));
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!isAddress(slasher)) return setProblem("The slasher must be an address (0x followed by 40 hex digits).");
    const windowSeconds = Number(vetoWindow);
    if (kind === "veto" && (!Number.isSafeInteger(windowSeconds) || windowSeconds <= 0)) {
      return setProblem("The veto window must be a positive whole number of seconds.");
    }
    let max: bigint;
    try {
      max = parseAmount(maxStake);
    } catch (err) {
      if (err instanceof InvalidAmountError) return setProblem(`Maximum stake per operator: ${err.shortMessage}`);
      throw err;
    }
    setProblem(undefined);
    tx.mutate({
      contracts: deployment.contracts,
      kind,
      slasher: slasher as Address,
      ...(kind === "veto" ? { vetoWindow: windowSeconds } : {}),
      maxStakePerOperator: max,
      rewardTokens: [zeroAddress],
      metadataURI,
    });
  };
  return (
    <form className="action" onSubmit={onSubmit} data-testid="register-network-form">
      <h3>Register a Network</h3>
      <TextField id={`${id}-uri`} label="Metadata URI" value={metadataURI} onChange={setMetadataURI} />
      <label htmlFor={`${id}-kind`}>Slashing kind</label>
      <select id={`${id}-kind`} value={kind} onChange={(e) => setKind(e.target.value as "objective" | "veto")}>
        <option value="veto">veto (a resolver may veto within a window)</option>
        <option value="objective">objective (an on-chain evidence verifier)</option>
      </select>
      <TextField
        id={`${id}-slasher`}
        label={kind === "veto" ? "Veto resolver address" : "Evidence verifier address"}
        placeholder="0x…"
        value={slasher}
        onChange={setSlasher}
      />
      {kind === "veto" && (
        <TextField
          id={`${id}-window`}
          label="Veto window (seconds)"
          inputMode="numeric"
          value={vetoWindow}
          onChange={setVetoWindow}
        />
      )}
      <TextField
        id={`${id}-max`}
        label="Maximum stake per operator (divETH)"
        inputMode="decimal"
        placeholder="0.0"
        value={maxStake}
        onChange={setMaxStake}
      />
      <FormFooter submit="Register" disabled={disabled} problem={problem} mutation={tx} />
      {tx.data && <p data-testid="registered-network">Network #{tx.data.networkId.toString()} registered.</p>}
    </form>
  );
}

function FundForm({
  networks,
  epoch,
  epochDuration,
  disabled,
}: {
  networks: NetworkView[];
  epoch: bigint;
  epochDuration: bigint;
  disabled: string | undefined;
}) {
  const { deployment } = useMarketplace();
  const id = useId();
  const [networkId, setNetworkId] = useState("");
  const [epochText, setEpochText] = useState("");
  const [amount, setAmount] = useState("");
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const tx = useTransaction(
    (client, input: Parameters<typeof distributeNetworkRewards>[1]): Promise<TransactionResult> =>
      distributeNetworkRewards(client, input),
  );
  const network = networks.find((n) => n.networkId.toString() === networkId);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (network === undefined) return setProblem("Pick a Network.");
    if (network.operators.length === 0) return setProblem(`Network #${networkId} has no operator to pay yet.`);
    const paidEpoch = epochText === "" ? epoch - 1n : /^\d+$/.test(epochText) ? BigInt(epochText) : undefined;
    if (paidEpoch === undefined || paidEpoch < 0n) return setProblem("The epoch must be a whole number.");
    let total: bigint;
    try {
      total = parseAmount(amount);
    } catch (err) {
      if (err instanceof InvalidAmountError) return setProblem(`Amount: ${err.shortMessage}`);
      throw err;
    }
    setProblem(undefined);
    tx.mutate({
      contracts: deployment.contracts,
      networkId: network.networkId,
      epoch: paidEpoch,
      operators: network.operators.map((o) => o.operator),
      total,
    });
  };
  return (
    <form className="action" onSubmit={onSubmit} data-testid="fund-rewards-form">
      <h3>Fund rewards</h3>
      <p className="muted">
        Pays ether to the Network's operators and their delegators by the stake it counted at the epoch's end (the
        Network's middleware only, for a finished epoch: the current one is {formatCount(epoch)}, an epoch lasts{" "}
        {formatDuration(Number(epochDuration))}).
      </p>
      <label htmlFor={`${id}-network`}>Network</label>
      <select id={`${id}-network`} value={networkId} onChange={(e) => setNetworkId(e.target.value)}>
        <option value="">Choose a Network…</option>
        {networks.map((n) => (
          <option key={n.networkId.toString()} value={n.networkId.toString()}>
            #{n.networkId.toString()} {n.metadataURI} ({n.operators.length} operators)
          </option>
        ))}
      </select>
      <TextField
        id={`${id}-epoch`}
        label={`Epoch (default: the last finished, ${formatCount(epoch - 1n)})`}
        inputMode="numeric"
        placeholder={(epoch - 1n).toString()}
        value={epochText}
        onChange={setEpochText}
      />
      <TextField
        id={`${id}-amount`}
        label="Total rewards (ETH)"
        inputMode="decimal"
        placeholder="0.0"
        value={amount}
        onChange={setAmount}
      />
      <FormFooter submit="Pay rewards" disabled={disabled} problem={problem} mutation={tx} />
    </form>
  );
}
