import type { Address } from "viem";
import type { NektarWriteClient, TransactionResult } from "../client.ts";
import { transactionResult } from "../internal/contracts.ts";
import { DISTRIBUTOR, distributor } from "../internal/native.ts";
import { type SendErrorType, send } from "../internal/send.ts";

export type AddDistributorOperatorParameters = {
  distributor: Address;
  /** A registered restaking operator (its restaking address), not yet in the Distributor. */
  operator: Address;
};

export type AddDistributorOperatorReturnType = TransactionResult;

/**
 * `ContractRevertedError` `NotCurator` (the caller is not the Distributor's curator), `InvalidOperator` (not a
 * registered restaking operator, or already added), `TooManyOperators` (16 already).
 */
export type AddDistributorOperatorErrorType = SendErrorType;

/** Adds a restaking operator to a Distributor's set; its strategy then weighs it. Curator only. */
export async function addDistributorOperator(
  client: NektarWriteClient,
  p: AddDistributorOperatorParameters,
): Promise<AddDistributorOperatorReturnType> {
  const sent = await send(client, DISTRIBUTOR, {
    ...distributor(p.distributor),
    functionName: "addOperator",
    args: [p.operator],
  });
  return transactionResult(sent);
}
