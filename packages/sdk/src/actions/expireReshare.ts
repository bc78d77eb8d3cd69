import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { RESHARE_MANAGER, reshareManager, transactionResult } from "../internal/contracts.ts";
import { type SendErrorType, send } from "../internal/send.ts";

export type ExpireReshareParameters = WithContracts<"operatorRegistry"> & { validatorId: bigint };

export type ExpireReshareReturnType = TransactionResult;

/** `ContractRevertedError` `WrongStage` (none open), `DeadlineMismatch` (its deadline has not passed). */
export type ExpireReshareErrorType = SendErrorType;

/**
 * Expires a reshare past its deadline (anyone): the newcomer's lock is released and the reshare waits for a new draw
 * (`scheduleReplacement`) under a new nonce, or after 3 failures is abandoned (the validator should exit). A reshare
 * whose validator is no longer live is cancelled at any time.
 */
export async function expireReshare(
  client: NektarWriteClient,
  p: ExpireReshareParameters,
): Promise<ExpireReshareReturnType> {
  const manager = await reshareManager(client, p.contracts);
  const sent = await send(client, RESHARE_MANAGER, {
    ...manager,
    functionName: "expireReshare",
    args: [p.validatorId],
  });
  return transactionResult(sent);
}
