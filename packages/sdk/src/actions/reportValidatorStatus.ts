import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { operatorRegistryAbi } from "../generated/abis.ts";
import { sendContractTransaction } from "../internal/send.ts";
import { type ValidatorStatus, validatorStatusIndex } from "../validatorStatus.ts";

export type ReportValidatorStatusParameters = WithContracts & { validatorId: bigint; status: ValidatorStatus };

export type ReportValidatorStatusReturnType = TransactionResult;

/** Records a validator's beacon-chain lifecycle step (active, exiting, exited, withdrawn). Lifecycle reporter role only. */
export async function reportValidatorStatus(
  client: NektarWriteClient,
  p: ReportValidatorStatusParameters,
): Promise<ReportValidatorStatusReturnType> {
  const sent = await sendContractTransaction(client, {
    contract: "OperatorRegistry",
    address: p.contracts.operatorRegistry,
    abi: operatorRegistryAbi,
    functionName: "reportValidatorStatus",
    args: [p.validatorId, validatorStatusIndex(p.status)],
  });
  return { hash: sent.hash, blockNumber: sent.blockNumber, gasUsed: sent.gasUsed };
}
