import { InvalidAmountError, type NektarWriteClient, parseAmount, type TransactionResult } from "@nektar/sdk/browser";
import { type FormEvent, useId, useState } from "react";
import { TransactionStatus, useTransaction } from "./Transaction.tsx";

/**
 * A labelled amount field and one submit button that runs an SDK action with the parsed amount (wei). Bad input is
 * refused before any transaction, with the SDK's input error.
 */
export function AmountForm({
  label,
  unit,
  submit,
  action,
  disabled,
  testId,
}: {
  label: string;
  unit: string;
  submit: string;
  action: (client: NektarWriteClient, amount: bigint) => Promise<TransactionResult>;
  disabled?: string | undefined;
  testId: string;
}) {
  const id = useId();
  const [text, setText] = useState("");
  const [inputError, setInputError] = useState<InvalidAmountError | undefined>(undefined);
  const tx = useTransaction(action);
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    try {
      const wei = parseAmount(text);
      setInputError(undefined);
      tx.mutate(wei);
    } catch (err) {
      if (err instanceof InvalidAmountError) setInputError(err);
      else throw err;
    }
  };
  return (
    <form className="action" onSubmit={onSubmit} data-testid={testId}>
      <label htmlFor={id}>
        {label} ({unit})
      </label>
      <div className="row">
        <input
          id={id}
          inputMode="decimal"
          autoComplete="off"
          placeholder="0.0"
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-invalid={inputError !== undefined}
          aria-describedby={inputError ? `${id}-error` : undefined}
        />
        <button type="submit" disabled={disabled !== undefined || tx.isPending} title={disabled}>
          {submit}
        </button>
      </div>
      {disabled !== undefined && <p className="muted">{disabled}</p>}
      {inputError && (
        <p className="error" id={`${id}-error`} role="alert">
          {inputError.shortMessage}
        </p>
      )}
      <TransactionStatus mutation={tx} describe={submit} />
    </form>
  );
}
