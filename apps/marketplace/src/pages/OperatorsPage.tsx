import { ErrorNotice } from "../components/ErrorNotice.tsx";
import { OperatorsTable } from "../components/OperatorsTable.tsx";
import { PageTitle } from "../components/PageTitle.tsx";
import { useOperators } from "../data/hooks.ts";

export function OperatorsPage() {
  const operators = useOperators();
  return (
    <>
      <PageTitle>Operators</PageTitle>
      <p>
        Every operator registered in Diva's operator registry, with what the chain proves today: bond, bond locked by
        validators, key shares held, strikes (missed DKGs), status, and its owner's restaking record — the Networks it
        serves, the slashes it took and the Network rewards paid to it. Operators are drawn for new validators in
        proportion to their free bond. Per-share performance is not on-chain yet; restaking commission is on the Restake
        page.
      </p>
      {operators.error && <ErrorNotice error={operators.error} title="Reading the operators failed" />}
      {operators.isPending && <p role="status">Loading operators…</p>}
      {operators.data && <OperatorsTable rows={operators.data.rows} />}
    </>
  );
}
