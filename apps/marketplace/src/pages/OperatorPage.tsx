import {
  bondOperator,
  ejectOperator,
  getOperator,
  getOperatorStrikes,
  getPoolState,
  getRegistryState,
  InvalidIdError,
  parseId,
  unbondOperator,
} from "@nektar/sdk/browser";
import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { AmountForm } from "../components/AmountForm.tsx";
import { ErrorNotice } from "../components/ErrorNotice.tsx";
import { PageTitle } from "../components/PageTitle.tsx";
import { TransactionStatus, useTransaction } from "../components/Transaction.tsx";
import { useMarketplace } from "../context.tsx";
import { REFRESH_MS, useValidators } from "../data/hooks.ts";
import { keySharesByOperator, operatorRow } from "../data/operators.ts";
import { formatCount, formatEth } from "../format.ts";
import { useSigner } from "../wallet/signer.tsx";

export function OperatorPage({ operatorId }: { operatorId: bigint }) {
  const { client, deployment } = useMarketplace();
  const contracts = deployment.contracts;
  const signer = useSigner();
  // Key shares are counted from the validators' clusters: the Validators page's cached query, not a second load.
  const validators = useValidators();
  const operator = useQuery({
    queryKey: ["operator", operatorId.toString()],
    queryFn: async () => {
      const [op, registry, pool, strikes] = await Promise.all([
        getOperator(client, { contracts, operatorId }),
        getRegistryState(client, { contracts }),
        getPoolState(client, { contracts }),
        getOperatorStrikes(client, { contracts, operatorId }),
      ]);
      return { op, strikes, row: operatorRow(op, registry.bondUnitShares, pool.shareRate) };
    },
    refetchInterval: REFRESH_MS,
    retry: false,
  });
  const isOwner =
    operator.data !== undefined &&
    signer.address !== undefined &&
    operator.data.op.owner.toLowerCase() === signer.address.toLowerCase();
  return (
    <>
      <PageTitle>Operator #{operatorId.toString()}</PageTitle>
      {operator.error && <ErrorNotice error={operator.error} title="Reading the operator failed" />}
      {operator.data && (
        <>
          <dl className="stats">
            <dt>Status</dt>
            <dd data-testid="operator-status">{operator.data.row.status}</dd>
            <dt>Bond</dt>
            <dd data-testid="operator-bond">{formatEth(operator.data.row.bondEther)} ETH</dd>
            <dt>Bond units (free / locked)</dt>
            <dd data-testid="operator-units">
              {formatCount(operator.data.row.bondUnits)} ({formatCount(operator.data.row.freeUnits)} /{" "}
              {formatCount(operator.data.row.lockedUnits)})
            </dd>
            <dt>Strikes</dt>
            <dd data-testid="operator-strikes">
              {operator.data.strikes.inWindow.toString()} in the last {operator.data.strikes.windowFrames.toString()}{" "}
              oracle frames ({operator.data.strikes.strikesToEject.toString()} let anyone eject it),{" "}
              {operator.data.strikes.total.toString()} ever
            </dd>
            <dt>Key shares held</dt>
            <dd>{formatCount(keySharesByOperator(validators.data ?? []).get(operatorId) ?? 0n)}</dd>
            <dt>Owner</dt>
            <dd>
              <code>{operator.data.op.owner}</code>
            </dd>
            <dt>DKG signer</dt>
            <dd>
              <code>{operator.data.op.signer}</code>
            </dd>
            <dt>Metadata</dt>
            <dd>
              {operator.data.op.metadataURI === "" ? <span className="muted">none</span> : operator.data.op.metadataURI}
            </dd>
          </dl>
          <h2>Performance</h2>
          <p className="muted">
            Performance: not measured yet. Per-share performance over the last frames is proven on-chain by the
            economics protocol, which is not deployed; this page shows no estimate in its place.
          </p>
          {operator.data.strikes.ejectable && <EjectAction operatorId={operatorId} />}
          <h2>Operator actions</h2>
          {isOwner ? (
            <OwnerActions operatorId={operatorId} freeUnits={operator.data.row.freeUnits} />
          ) : (
            <p className="muted">
              Bond and unbond are for the operator's owner. Connect the owner's account to act
              {signer.address ? " (the connected account is not the owner)" : ""}.
            </p>
          )}
        </>
      )}
    </>
  );
}

/** An operator over the strike limit: anyone may eject it (it leaves the draw; its validators keep running). */
function EjectAction({ operatorId }: { operatorId: bigint }) {
  const { deployment } = useMarketplace();
  const signer = useSigner();
  const eject = useTransaction((client) => ejectOperator(client, { contracts: deployment.contracts, operatorId }));
  const disabled = signer.address === undefined ? "Connect a wallet or pick a devnet account to act." : undefined;
  return (
    <form
      className="action"
      data-testid="eject-form"
      onSubmit={(e) => {
        e.preventDefault();
        eject.mutate();
      }}
    >
      <p role="note">
        This operator reached the strike limit: anyone may eject it from future draws (its validators keep running).
      </p>
      <div className="row">
        <button type="submit" disabled={disabled !== undefined || eject.isPending} title={disabled}>
          Eject operator
        </button>
      </div>
      <TransactionStatus mutation={eject} describe="Eject operator" />
    </form>
  );
}

function OwnerActions({ operatorId, freeUnits }: { operatorId: bigint; freeUnits: bigint }) {
  const { deployment } = useMarketplace();
  const contracts = deployment.contracts;
  const unitsId = useId();
  const [units, setUnits] = useState("");
  const [inputError, setInputError] = useState<InvalidIdError | undefined>(undefined);
  const unbond = useTransaction((client, u: bigint) => unbondOperator(client, { contracts, operatorId, units: u }));
  return (
    <div className="actions">
      <AmountForm
        testId="bond-form"
        label="Bond"
        unit="ETH, staked then bonded"
        submit="Bond"
        action={(client, amount) => bondOperator(client, { contracts, operatorId, amount })}
      />
      <form
        className="action"
        data-testid="unbond-form"
        onSubmit={(e) => {
          e.preventDefault();
          try {
            const parsed = parseId(units, "bond units");
            setInputError(undefined);
            unbond.mutate(parsed);
          } catch (err) {
            if (err instanceof InvalidIdError) setInputError(err);
            else throw err;
          }
        }}
      >
        <label htmlFor={unitsId}>Unbond (free units, {formatCount(freeUnits)} available)</label>
        <div className="row">
          <input
            id={unitsId}
            inputMode="numeric"
            value={units}
            onChange={(e) => setUnits(e.target.value)}
            aria-invalid={inputError !== undefined}
          />
          <button type="submit" disabled={unbond.isPending}>
            Unbond
          </button>
        </div>
        {inputError && (
          <p className="error" role="alert">
            {inputError.shortMessage}
          </p>
        )}
        <TransactionStatus mutation={unbond} describe="Unbond" />
      </form>
    </div>
  );
}
