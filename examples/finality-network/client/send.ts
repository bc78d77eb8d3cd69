import type { NektarWriteClient, TransactionResult } from "@nektar/sdk";
import type {
  Abi,
  Account,
  Chain,
  ContractFunctionArgs,
  ContractFunctionName,
  SimulateContractParameters,
  TransactionReceipt,
} from "viem";
import { simulateContract, waitForTransactionReceipt, writeContract } from "viem/actions";
import { decodeRelayRevert } from "./errors.ts";

/**
 * Simulates the call first (a revert of the relay or the registry is decoded and thrown before anything is sent),
 * then sends it from the client's account and waits for the receipt.
 */
export async function sendChecked<
  const abi extends Abi,
  functionName extends ContractFunctionName<abi, "nonpayable" | "payable">,
  const args extends ContractFunctionArgs<abi, "nonpayable" | "payable", functionName>,
>(
  client: NektarWriteClient,
  parameters: SimulateContractParameters<abi, functionName, args, Chain, undefined, undefined>,
): Promise<TransactionResult & { receipt: TransactionReceipt }> {
  const name = parameters.functionName;
  try {
    await simulateContract(client, parameters);
    const hash = await writeContract<Chain, Account, abi, functionName, args, undefined>(client, parameters);
    const receipt = await waitForTransactionReceipt(client, { hash });
    if (receipt.status !== "success") throw new Error(`${name} transaction ${hash} reverted`);
    return { hash, blockNumber: receipt.blockNumber, gasUsed: receipt.gasUsed, receipt };
  } catch (e) {
    throw decodeRelayRevert(e, name);
  }
}
