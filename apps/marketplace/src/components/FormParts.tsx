import type { TransactionResult } from "@nektar/sdk/browser";
import { TransactionStatus } from "./Transaction.tsx";

/** A labelled text field of a form (`id` ties the label to the input). */
export function TextField({
  id,
  label,
  value,
  onChange,
  inputMode,
  placeholder,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  inputMode?: "decimal" | "numeric" | undefined;
  placeholder?: string | undefined;
}) {
  return (
    <>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        autoComplete="off"
        inputMode={inputMode}
        placeholder={placeholder}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </>
  );
}

/**
 * The end of a form: its submit button (disabled with the reason as its title, or while pending), the input problem
 * found before any transaction, and the transaction's progress or decoded error.
 */
export function FormFooter({
  submit,
  disabled,
  problem,
  mutation,
}: {
  submit: string;
  disabled: string | undefined;
  problem: string | undefined;
  mutation: {
    status: "idle" | "pending" | "success" | "error";
    isPending: boolean;
    error: unknown;
    data?: TransactionResult | undefined;
  };
}) {
  return (
    <>
      <div className="row">
        <button type="submit" disabled={disabled !== undefined || mutation.isPending} title={disabled}>
          {submit}
        </button>
      </div>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      <TransactionStatus mutation={mutation} describe={submit} />
    </>
  );
}
