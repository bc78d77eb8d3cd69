import type {
  Abi,
  Account,
  Chain,
  ContractEventName,
  ContractFunctionArgs,
  ContractFunctionName,
  Log,
  ParseEventLogsReturnType,
  SimulateContractParameters,
  SimulateContractReturnType,
  TransactionReceipt,
} from "viem";
import { parseEventLogs } from "viem";
import { simulateContract, waitForTransactionReceipt, writeContract } from "viem/actions";
import type { NektarWriteClient, TransactionResult } from "../client.ts";
import { ContractRevertedError, MissingEventError, type RpcError, toSdkError } from "../errors/contract.ts";

/** What a transaction can throw: a decoded revert (in simulation or mined), a failed RPC, a receipt without its event. */
export type SendErrorType = ContractRevertedError | RpcError | MissingEventError;

export type SendReturnType<
  abi extends Abi,
  functionName extends ContractFunctionName<abi, "nonpayable" | "payable">,
  args extends ContractFunctionArgs<abi, "nonpayable" | "payable", functionName>,
> = TransactionResult & {
  receipt: TransactionReceipt;
  /** The function's return value as the simulation computed it. */
  result: SimulateContractReturnType<abi, functionName, args, Chain, Account, undefined, undefined>["result"];
};

/**
 * Simulates a contract call (so a revert is decoded into its custom error before anything is sent), sends it from the
 * client's account and waits for the receipt. Every SDK write goes through here. Generic over the ABI and function
 * name as viem's `simulateContract` is; `contract` only names the contract in errors ("StakingPool").
 */
export async function send<
  const abi extends Abi,
  functionName extends ContractFunctionName<abi, "nonpayable" | "payable">,
  const args extends ContractFunctionArgs<abi, "nonpayable" | "payable", functionName>,
>(
  client: NektarWriteClient,
  contract: string,
  parameters: SimulateContractParameters<abi, functionName, args, Chain, undefined, undefined>,
): Promise<SendReturnType<abi, functionName, args>> {
  const functionName = parameters.functionName;
  const simulated = await simulateContract(client, parameters).catch((e: unknown) => {
    throw toSdkError(e, contract, functionName);
  });
  let receipt: TransactionReceipt;
  let hash: `0x${string}`;
  try {
    // The simulated parameters themselves (the client's account signs): the same transaction as `simulated.request`,
    // whose ABI viem narrows to one function and so no longer matches `functionName`'s generic.
    hash = await writeContract<Chain, Account, abi, functionName, args, undefined>(client, parameters);
    receipt = await waitForTransactionReceipt(client, { hash });
  } catch (e) {
    throw toSdkError(e, contract, functionName);
  }
  if (receipt.status !== "success") {
    throw new ContractRevertedError({ contract, functionName, errorName: "unknown", args: [] });
  }
  return { hash, blockNumber: receipt.blockNumber, gasUsed: receipt.gasUsed, receipt, result: simulated.result };
}

/** The args of the first `eventName` log of `abi` in `logs`, typed by the event; throws if absent. */
export function eventArgs<const abi extends Abi, eventName extends ContractEventName<abi>>(
  abi: abi,
  logs: Log[],
  eventName: eventName,
): ParseEventLogsReturnType<abi, eventName, true>[number]["args"] {
  const [event] = parseEventLogs({ abi, logs, eventName, strict: true });
  if (!event) throw new MissingEventError(eventName);
  return event.args;
}
