import type { Address } from "viem";
import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { OPERATOR_REGISTRY, operatorRegistry, transactionResult } from "../internal/contracts.ts";
import { type SendErrorType, send } from "../internal/send.ts";

export type UnbondOperatorParameters = WithContracts<"operatorRegistry"> & {
  operatorId: bigint;
  /** Free bond units to withdraw. */
  units: bigint;
  /** Receiver of the divETH shares (default: the caller). */
  recipient?: Address | undefined;
};

export type UnbondOperatorReturnType = TransactionResult;

export type UnbondOperatorErrorType = SendErrorType;

/** Withdraws free bond of an operator the caller owns, as divETH. */
export async function unbondOperator(
  client: NektarWriteClient,
  p: UnbondOperatorParameters,
): Promise<UnbondOperatorReturnType> {
  const sent = await send(client, OPERATOR_REGISTRY, {
    ...operatorRegistry(p.contracts),
    functionName: "unbond",
    args: [p.operatorId, p.units, p.recipient ?? client.account.address],
  });
  return transactionResult(sent);
}
