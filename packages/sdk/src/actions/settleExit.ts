import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { exitManagerAbi } from "../generated/abis.ts";
import { EXIT_MANAGER, exitManager, transactionResult } from "../internal/contracts.ts";
import { eventArgs, type SendErrorType, send } from "../internal/send.ts";

export type SettleExitParameters = WithContracts<"withdrawalVault"> & { validatorId: bigint };

export type SettleExitReturnType = TransactionResult & {
  /** Exits still in flight. */
  pendingExits: bigint;
};

/** `ContractRevertedError` `NotWithdrawn` before the oracle proved the withdrawal, `ExitAlreadySettled`, `ExitNotRequested`. */
export type SettleExitErrorType = SendErrorType;

/**
 * Stops counting an exited validator as expected inflow once the registry records it withdrawn (its ether is in the
 * vault or the buffer). Anyone may call.
 */
export async function settleExit(client: NektarWriteClient, p: SettleExitParameters): Promise<SettleExitReturnType> {
  const manager = await exitManager(client, p.contracts);
  const sent = await send(client, EXIT_MANAGER, { ...manager, functionName: "settleExit", args: [p.validatorId] });
  const { pendingExits } = eventArgs(exitManagerAbi, sent.receipt.logs, "ExitSettled");
  return { ...transactionResult(sent), pendingExits };
}
