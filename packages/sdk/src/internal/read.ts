import type {
  Abi,
  ContractFunctionArgs,
  ContractFunctionName,
  ReadContractParameters,
  ReadContractReturnType,
} from "viem";
import { readContract } from "viem/actions";
import type { NektarReadClient } from "../client.ts";
import type { ContractRevertedError, RpcError } from "../errors/contract.ts";
import { toSdkError } from "../errors/contract.ts";

/** What a view call can throw: a decoded revert or a failed RPC. */
export type ReadErrorType = ContractRevertedError | RpcError;

/**
 * A view call with errors mapped to SDK errors (reverts decoded, transport failures as RpcError). Generic over the ABI
 * and function name as viem's `readContract` is, so arguments and the result are typed by the ABI; `contract` only
 * names the contract in errors ("StakingPool").
 */
export async function read<
  const abi extends Abi,
  functionName extends ContractFunctionName<abi, "pure" | "view">,
  const args extends ContractFunctionArgs<abi, "pure" | "view", functionName>,
>(
  client: NektarReadClient,
  contract: string,
  parameters: ReadContractParameters<abi, functionName, args>,
): Promise<ReadContractReturnType<abi, functionName, args>> {
  try {
    return await readContract(client, parameters);
  } catch (e) {
    throw toSdkError(e, contract, parameters.functionName);
  }
}
