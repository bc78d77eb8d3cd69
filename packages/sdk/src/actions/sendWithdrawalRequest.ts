import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { ExitConditionError } from "../errors/exits.ts";
import { exitManagerAbi } from "../generated/abis.ts";
import { EXIT_MANAGER, exitManager, transactionResult } from "../internal/contracts.ts";
import { eventArgs, type SendErrorType, send } from "../internal/send.ts";
import { getWithdrawalRequestFee } from "./getWithdrawalRequestFee.ts";

export type SendWithdrawalRequestParameters = WithContracts<"withdrawalVault"> & {
  validatorId: bigint;
  /** Most the caller pays, in wei (the excess over the fee is refunded); default: the fee read just before sending. */
  maxFee?: bigint | undefined;
};

export type SendWithdrawalRequestReturnType = TransactionResult & {
  /** Fee paid to the EIP-7002 contract, in wei. */
  fee: bigint;
};

/**
 * `ExitConditionError` when the chain has no EIP-7002 contract or its fee exceeds `maxFee`; `ContractRevertedError`
 * `ExitNotRequested`, `WithdrawalRequestTooEarly`, `AlreadyExiting`, `ExitAlreadySettled`, `InsufficientWithdrawalRequestFee`.
 */
export type SendWithdrawalRequestErrorType = SendErrorType | ExitConditionError;

/**
 * Sends the EIP-7002 full-withdrawal request of a validator asked to exit whose cluster did not publish a voluntary exit
 * within the window. The caller pays the EIP-7002 fee; anyone may call.
 */
export async function sendWithdrawalRequest(
  client: NektarWriteClient,
  p: SendWithdrawalRequestParameters,
): Promise<SendWithdrawalRequestReturnType> {
  const fee = await getWithdrawalRequestFee(client, p);
  if (fee === undefined) {
    throw new ExitConditionError("this chain has no EIP-7002 withdrawal request contract", p.validatorId);
  }
  if (p.maxFee !== undefined && p.maxFee < fee) {
    throw new ExitConditionError(`the EIP-7002 fee is ${fee} wei, above the ${p.maxFee} wei allowed`, p.validatorId);
  }
  const manager = await exitManager(client, p.contracts);
  const sent = await send(client, EXIT_MANAGER, {
    ...manager,
    functionName: "sendWithdrawalRequest",
    args: [p.validatorId],
    value: p.maxFee ?? fee,
  });
  const e = eventArgs(exitManagerAbi, sent.receipt.logs, "WithdrawalRequestSent");
  return { ...transactionResult(sent), fee: e.fee };
}
