import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import type { InvalidIdError } from "../errors/input.ts";
import type { UnknownRestakingOperatorError } from "../errors/restaking.ts";
import { RESTAKING_VAULT, restakingVault, transactionResult } from "../internal/contracts.ts";
import { requireRestakingOperator } from "../internal/restaking.ts";
import { eventArgs, type SendErrorType, send } from "../internal/send.ts";
import { requireCommission } from "./registerRestakingOperator.ts";

export type SetRestakingCommissionParameters = WithContracts<"restakingVault"> & {
  /** New commission in basis points (0–10,000). */
  commissionBps: bigint;
};

export type SetRestakingCommissionReturnType = TransactionResult & {
  /** When the new commission applies (unix seconds). */
  effectiveAt: bigint;
};

export type SetRestakingCommissionErrorType = InvalidIdError | UnknownRestakingOperatorError | SendErrorType;

/** Schedules the calling operator's new commission; it applies after the vault's commission delay. */
export async function setRestakingCommission(
  client: NektarWriteClient,
  p: SetRestakingCommissionParameters,
): Promise<SetRestakingCommissionReturnType> {
  requireCommission(p.commissionBps);
  await requireRestakingOperator(client, { contracts: p.contracts, operator: client.account.address });
  const vault = restakingVault(p.contracts);
  const sent = await send(client, RESTAKING_VAULT, {
    ...vault,
    functionName: "setCommission",
    args: [p.commissionBps],
  });
  const event = eventArgs(vault.abi, sent.receipt.logs, "CommissionChangeScheduled");
  return { ...transactionResult(sent), effectiveAt: event.effectiveAt };
}
