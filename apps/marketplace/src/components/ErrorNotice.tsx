import { ContractRevertedError } from "@nektar/sdk/browser";
import { describeForUser } from "../errorHints.ts";

/** A failure as the user reads it: the SDK's message (a revert decoded to its custom error), the code and a hint. */
export function ErrorNotice({ error, title = "Failed" }: { error: unknown; title?: string }) {
  const report = describeForUser(error);
  return (
    <div className="error" role="alert">
      <strong>{title}:</strong> <span className="error-message">{report.message}</span>
      {error instanceof ContractRevertedError && (
        <div>
          Contract error: <code className="error-name">{error.errorName}</code>
        </div>
      )}
      <div className="hint">
        Hint: {report.hint} <code>{report.code}</code>
      </div>
    </div>
  );
}
