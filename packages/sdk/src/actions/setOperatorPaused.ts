import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { operatorRegistryAbi } from "../generated/abis.ts";
import { sendContractTransaction } from "../internal/send.ts";

export type SetOperatorPausedParameters = WithContracts & {
  operatorId: bigint;
  /** true: leave future validator draws; false: return to them. Validators and bond are unaffected. */
  paused: boolean;
};

export type SetOperatorPausedReturnType = TransactionResult;

/** Pauses or resumes an operator the caller owns (reverts with `PauseUnchanged` when it already is in that state). */
export async function setOperatorPaused(
  client: NektarWriteClient,
  p: SetOperatorPausedParameters,
): Promise<SetOperatorPausedReturnType> {
  const sent = await sendContractTransaction(client, {
    contract: "OperatorRegistry",
    address: p.contracts.operatorRegistry,
    abi: operatorRegistryAbi,
    functionName: "setOperatorPaused",
    args: [p.operatorId, p.paused],
  });
  return { hash: sent.hash, blockNumber: sent.blockNumber, gasUsed: sent.gasUsed };
}
