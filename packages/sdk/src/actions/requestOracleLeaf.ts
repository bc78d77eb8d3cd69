import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { ACCOUNTING_ORACLE, accountingOracle, transactionResult } from "../internal/contracts.ts";
import { read } from "../internal/read.ts";
import { type SendErrorType, send } from "../internal/send.ts";

export type RequestOracleLeafParameters = WithContracts<"accountingOracle"> & { frame: bigint; position: bigint };

export type RequestOracleLeafReturnType = TransactionResult;

/** `ContractRevertedError` with `RevealAlreadyRequested`, `PositionOutOfRange`, `ChallengeWindowClosed`, `ReportNotPending`, … */
export type RequestOracleLeafErrorType = SendErrorType;

/**
 * Asks for the opening of a pending report's leaf at `position` (data availability), paying the oracle's
 * `REVEAL_DEPOSIT`: whoever reveals it earns the deposit; if nobody does within a window, `voidUnrevealedOracleReport`
 * voids the report and pays the requester the deposit back plus the dispute reward.
 */
export async function requestOracleLeaf(
  client: NektarWriteClient,
  p: RequestOracleLeafParameters,
): Promise<RequestOracleLeafReturnType> {
  const oracle = accountingOracle(p.contracts);
  const value = await read(client, ACCOUNTING_ORACLE, { ...oracle, functionName: "REVEAL_DEPOSIT" });
  const sent = await send(client, ACCOUNTING_ORACLE, {
    ...oracle,
    functionName: "requestLeaf",
    args: [p.frame, p.position],
    value,
  });
  return transactionResult(sent);
}
