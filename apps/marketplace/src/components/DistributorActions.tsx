import {
  addDistributorOperator,
  claimDistributor,
  collectDistributorRebalance,
  type GetDistributorInfoReturnType,
  type NektarWriteClient,
  rebalanceDistributor,
  type TransactionResult,
} from "@nektar/sdk/browser";
import { type FormEvent, useId, useState } from "react";
import { type Address, isAddress } from "viem";
import { formatEth, shortHex } from "../format.ts";
import { useSigner } from "../wallet/signer.tsx";
import { FormFooter, TextField } from "./FormParts.tsx";
import { useTransaction } from "./Transaction.tsx";

const NO_ACCOUNT = "Connect a wallet or pick a devnet account to act.";

/**
 * What anyone can do to a Distributor beyond deposit/withdraw: rebalance it (bounded per call), bring a rebalance's
 * undelegation back once claimable, claim one's own queued redemption; and, for its curator, add an operator.
 */
export function DistributorActions({ info }: { info: GetDistributorInfoReturnType }) {
  const signer = useSigner();
  const curator = signer.address !== undefined && signer.address.toLowerCase() === info.curator.toLowerCase();
  return (
    <div className="actions">
      <RebalanceForm info={info} />
      <EpochForm
        testId={`claim-${info.address}`}
        label="Claim your queued redemption (restaking epoch)"
        submit="Claim"
        note="A withdrawal beyond the idle assets leaves through the restaking queue; claim it from the epoch it named."
        action={(client, claimEpoch) => claimDistributor(client, { distributor: info.address, claimEpoch })}
      />
      <EpochForm
        testId={`collect-${info.address}`}
        label="Collect a rebalance (restaking epoch)"
        submit="Collect"
        note="Brings stake a rebalance undelegated back into the idle assets once its epoch is claimable. Anyone."
        action={(client, claimEpoch) => collectDistributorRebalance(client, { distributor: info.address, claimEpoch })}
      />
      {curator && <AddOperatorForm info={info} />}
    </div>
  );
}

function RebalanceForm({ info }: { info: GetDistributorInfoReturnType }) {
  const signer = useSigner();
  const tx = useTransaction((client) => rebalanceDistributor(client, { distributor: info.address }));
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    tx.mutate();
  };
  const moves = tx.data?.moves;
  return (
    <form className="action" onSubmit={onSubmit} data-testid={`rebalance-${info.address}`}>
      <p className="muted">
        Moves the delegations towards the strategy's weights, at most 16 operators per call (anyone may call it).
      </p>
      <FormFooter
        submit="Rebalance"
        disabled={signer.address === undefined ? NO_ACCOUNT : undefined}
        problem={undefined}
        mutation={tx}
      />
      {moves !== undefined && (
        <ul className="moves" data-testid="rebalance-moves">
          {moves.length === 0 && <li>Every operator was already on its target.</li>}
          {moves.map((m) => (
            <li key={m.operator}>
              <code title={m.operator}>{shortHex(m.operator)}</code>:{" "}
              {m.delegated !== 0n
                ? `delegated ${formatEth(m.delegated)} wdivETH`
                : `undelegated ${formatEth(m.undelegated)} wdivETH, collect from epoch ${m.claimEpoch.toString()}`}
            </li>
          ))}
        </ul>
      )}
    </form>
  );
}

function EpochForm({
  testId,
  label,
  submit,
  note,
  action,
}: {
  testId: string;
  label: string;
  submit: string;
  note: string;
  action: (client: NektarWriteClient, claimEpoch: bigint) => Promise<TransactionResult>;
}) {
  const signer = useSigner();
  const id = useId();
  const [text, setText] = useState("");
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const tx = useTransaction(action);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const epoch = text.trim();
    if (!/^[1-9]\d*$/.test(epoch)) return setProblem("Give the restaking epoch as a positive integer.");
    setProblem(undefined);
    tx.mutate(BigInt(epoch));
  };
  return (
    <form className="action" onSubmit={onSubmit} data-testid={testId}>
      <TextField id={id} label={label} inputMode="numeric" value={text} onChange={setText} />
      <p className="muted">{note}</p>
      <FormFooter
        submit={submit}
        disabled={signer.address === undefined ? NO_ACCOUNT : undefined}
        problem={problem}
        mutation={tx}
      />
    </form>
  );
}

function AddOperatorForm({ info }: { info: GetDistributorInfoReturnType }) {
  const id = useId();
  const [text, setText] = useState("");
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const tx = useTransaction((client, operator: Address) =>
    addDistributorOperator(client, { distributor: info.address, operator }),
  );
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const operator = text.trim();
    if (!isAddress(operator)) return setProblem(`Not an address: ${operator}`);
    if (info.operators.length >= 16) return setProblem("A Distributor has at most 16 operators.");
    setProblem(undefined);
    tx.mutate(operator);
  };
  return (
    <form className="action" onSubmit={onSubmit} data-testid={`add-operator-${info.address}`}>
      <TextField
        id={id}
        label="Add a restaking operator (you are the curator)"
        placeholder="0x…"
        value={text}
        onChange={setText}
      />
      <FormFooter submit="Add operator" disabled={undefined} problem={problem} mutation={tx} />
    </form>
  );
}
