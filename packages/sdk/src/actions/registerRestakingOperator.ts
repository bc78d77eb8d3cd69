import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { InvalidIdError } from "../errors/input.ts";
import { RESTAKING_VAULT, restakingVault, transactionResult } from "../internal/contracts.ts";
import { type SendErrorType, send } from "../internal/send.ts";

export type RegisterRestakingOperatorParameters = WithContracts<"restakingVault"> & {
  /** Share of delegator rewards the operator keeps, in basis points (0–10,000). */
  commissionBps: bigint;
};

export type RegisterRestakingOperatorReturnType = TransactionResult;

export type RegisterRestakingOperatorErrorType = InvalidIdError | SendErrorType;

/** Registers the caller as a restaking operator (delegations, network opt-ins, rewards). */
export async function registerRestakingOperator(
  client: NektarWriteClient,
  p: RegisterRestakingOperatorParameters,
): Promise<RegisterRestakingOperatorReturnType> {
  requireCommission(p.commissionBps);
  const sent = await send(client, RESTAKING_VAULT, {
    ...restakingVault(p.contracts),
    functionName: "registerOperator",
    args: [p.commissionBps],
  });
  return transactionResult(sent);
}

/** Throws InvalidIdError for a commission outside 0–10,000 basis points (before any transaction). */
export function requireCommission(commissionBps: bigint): void {
  if (commissionBps < 0n || commissionBps > 10_000n) {
    throw new InvalidIdError(commissionBps.toString(), "commission in basis points (0–10000)");
  }
}
