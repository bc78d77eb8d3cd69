import { ErrorNotice } from "../components/ErrorNotice.tsx";
import { PageTitle } from "../components/PageTitle.tsx";
import { useValidators } from "../data/hooks.ts";
import { formatTimestamp, shortHex } from "../format.ts";
import { href } from "../router.ts";

export function ValidatorsPage() {
  const validators = useValidators();
  return (
    <>
      <PageTitle>Validators</PageTitle>
      <p>
        Every distributed validator (and request for one): its 16 operators in cluster order (share index 1 to 16) and
        its lifecycle status from the registry. Inclusion rate and reshare history are not recorded on-chain yet.
      </p>
      {validators.error && <ErrorNotice error={validators.error} title="Reading the validators failed" />}
      {validators.isPending && <p role="status">Loading validators…</p>}
      {validators.data && validators.data.length === 0 && <p className="muted">No validator requested yet.</p>}
      {validators.data && validators.data.length > 0 && (
        <div className="scroll">
          <table data-testid="validators-table">
            <caption>{validators.data.length} validators and requests, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Validator</th>
                <th scope="col">Status</th>
                <th scope="col">Public key</th>
                <th scope="col">Requested</th>
                <th scope="col">Operators (share 1…16)</th>
              </tr>
            </thead>
            <tbody>
              {validators.data.map((v) => (
                <tr key={v.validatorId.toString()}>
                  <td>#{v.validatorId.toString()}</td>
                  <td>{v.status}</td>
                  <td>
                    {v.pubkey ? (
                      <code title={v.pubkey}>{shortHex(v.pubkey, 6)}</code>
                    ) : (
                      <span className="muted">before deposit</span>
                    )}
                  </td>
                  <td>{formatTimestamp(v.requestedAt)}</td>
                  <td className="cluster">
                    {v.operatorIds.map((id, i) => (
                      <a key={id} href={href({ page: "operator", operatorId: BigInt(id) })} title={`share ${i + 1}`}>
                        {id}
                      </a>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
