import type { NektarReadClient, WithContracts } from "../client.ts";
import { EXIT_MANAGER, exitManager } from "../internal/contracts.ts";
import { type ReadErrorType, read } from "../internal/read.ts";

/** `IExitManager.ExitReason`, in order. */
export const EXIT_REASONS = ["none", "withdrawal-demand", "lost-bond"] as const;
export type ExitReason = (typeof EXIT_REASONS)[number];

export type GetValidatorExitParameters = WithContracts<"withdrawalVault"> & { validatorId: bigint };

export type ValidatorExit = {
  validatorId: bigint;
  /** Why the validator was asked to exit; "none": never asked. */
  reason: ExitReason;
  /** When the exit was requested (Unix seconds; 0 if never). */
  requestedAt: bigint;
  /** When the last EIP-7002 request was sent (0: none yet). */
  lastWithdrawalRequestAt: bigint;
  /** From this time the next EIP-7002 request may be sent (undefined if no exit was requested). */
  withdrawalRequestAfter: bigint | undefined;
  /** Proven withdrawn: its ether no longer counts as in flight. */
  settled: boolean;
};

export type GetValidatorExitReturnType = ValidatorExit;

export type GetValidatorExitErrorType = ReadErrorType;

/** A validator's exit record: why and when it was asked to exit, EIP-7002 requests sent, settlement. */
export async function getValidatorExit(
  client: NektarReadClient,
  p: GetValidatorExitParameters,
): Promise<GetValidatorExitReturnType> {
  const manager = await exitManager(client, p.contracts);
  const [e, window] = await Promise.all([
    read(client, EXIT_MANAGER, { ...manager, functionName: "exitOf", args: [p.validatorId] }),
    read(client, EXIT_MANAGER, { ...manager, functionName: "voluntaryExitWindow" }),
  ]);
  const reason = EXIT_REASONS[e.reason] ?? "none";
  const last = e.lastWithdrawalRequestAt > e.requestedAt ? e.lastWithdrawalRequestAt : e.requestedAt;
  return {
    validatorId: p.validatorId,
    reason,
    requestedAt: e.requestedAt,
    lastWithdrawalRequestAt: e.lastWithdrawalRequestAt,
    withdrawalRequestAfter: reason === "none" ? undefined : last + window,
    settled: e.settled,
  };
}
