import type { NektarWriteClient, TransactionResult } from "@nektar/sdk/browser";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useSigner } from "../wallet/signer.tsx";
import { ErrorNotice } from "./ErrorNotice.tsx";

/**
 * One kind of transaction: `run` gets a write client for the current signer and calls one SDK action; while it is
 * pending the page says so, then shows the mined transaction or the decoded error. Every cached read is refreshed after.
 */
export function useTransaction<V = void, T extends TransactionResult = TransactionResult>(
  action: (client: NektarWriteClient, input: V) => Promise<T>,
) {
  const signer = useSigner();
  const queries = useQueryClient();
  return useMutation({
    mutationFn: async (input: V) => action(await signer.writeClient(), input),
    onSettled: () => queries.invalidateQueries(),
  });
}

export function TransactionStatus({
  mutation,
  describe,
}: {
  mutation: { status: "idle" | "pending" | "success" | "error"; error: unknown; data?: TransactionResult | undefined };
  describe: string;
}) {
  if (mutation.status === "pending") {
    return (
      <p className="pending" role="status" aria-live="polite">
        <span className="spinner" aria-hidden="true" /> {describe}: waiting for the signature and the block…
      </p>
    );
  }
  if (mutation.status === "error") return <ErrorNotice error={mutation.error} title={`${describe} failed`} />;
  if (mutation.status === "success" && mutation.data) {
    return (
      <p className="success" role="status" aria-live="polite">
        {describe}: included in block {mutation.data.blockNumber.toString()} (
        <code title={mutation.data.hash}>{mutation.data.hash.slice(0, 10)}…</code>, gas{" "}
        {mutation.data.gasUsed.toString()})
      </p>
    );
  }
  return null;
}
