import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { ACCOUNTING_ORACLE, accountingOracle, transactionResult } from "../internal/contracts.ts";
import { type SendErrorType, send } from "../internal/send.ts";

export type VoidUnrevealedOracleReportParameters = WithContracts<"accountingOracle"> & {
  frame: bigint;
  position: bigint;
};

export type VoidUnrevealedOracleReportReturnType = TransactionResult;

/** `ContractRevertedError` with `NoOpenReveal` (answered or never asked), `RevealDeadline` (not yet due), … */
export type VoidUnrevealedOracleReportErrorType = SendErrorType;

/** Voids a report whose requested leaf was not revealed in time (anyone); the requester gets deposit and reward. */
export async function voidUnrevealedOracleReport(
  client: NektarWriteClient,
  p: VoidUnrevealedOracleReportParameters,
): Promise<VoidUnrevealedOracleReportReturnType> {
  const sent = await send(client, ACCOUNTING_ORACLE, {
    ...accountingOracle(p.contracts),
    functionName: "voidUnrevealed",
    args: [p.frame, p.position],
  });
  return transactionResult(sent);
}
