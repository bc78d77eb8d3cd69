import { type Abi, type Address, type Log, parseEventLogs, type TransactionReceipt } from "viem";
import { simulateContract, waitForTransactionReceipt, writeContract } from "viem/actions";
import type { NektarWriteClient, TransactionResult } from "../client.ts";
import { ContractRevertedError, toSdkError } from "../errors/contract.ts";

export type SendParameters = {
  /** Contract name for error messages ("StakingPool"). */
  contract: string;
  address: Address;
  abi: Abi;
  functionName: string;
  args?: readonly unknown[];
  value?: bigint;
};

export type SendResult = TransactionResult & { receipt: TransactionReceipt; result: unknown };

/**
 * Simulates a contract call (so a revert is decoded into its custom error before anything is sent), sends it and waits
 * for the receipt. Every SDK write goes through here.
 */
export async function sendContractTransaction(client: NektarWriteClient, p: SendParameters): Promise<SendResult> {
  const call = {
    address: p.address,
    abi: p.abi,
    functionName: p.functionName,
    args: p.args ?? [],
    account: client.account,
    chain: client.chain,
    ...(p.value === undefined ? {} : { value: p.value }),
  };
  let simulated: { result: unknown; request: unknown };
  try {
    simulated = (await simulateContract(client, call as never)) as { result: unknown; request: unknown };
  } catch (e) {
    throw toSdkError(e, p.contract, p.functionName);
  }
  let receipt: TransactionReceipt;
  let hash: `0x${string}`;
  try {
    hash = await writeContract(client, simulated.request as never);
    receipt = await waitForTransactionReceipt(client, { hash });
  } catch (e) {
    throw toSdkError(e, p.contract, p.functionName);
  }
  if (receipt.status !== "success") {
    throw new ContractRevertedError({
      contract: p.contract,
      functionName: p.functionName,
      errorName: "unknown",
      args: [],
    });
  }
  return { hash, blockNumber: receipt.blockNumber, gasUsed: receipt.gasUsed, receipt, result: simulated.result };
}

/** The args of the first `eventName` log of `abi` in `logs`, or throws (the contract always emits it on success). */
export function eventArgs<T>(abi: Abi, logs: Log[], eventName: string): T {
  const [event] = parseEventLogs({ abi, logs, eventName });
  if (!event) throw new Error(`no ${eventName} event in the receipt`);
  return (event as unknown as { args: T }).args;
}
