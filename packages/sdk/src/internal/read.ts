import type { Abi, Address } from "viem";
import { readContract } from "viem/actions";
import type { NektarReadClient } from "../client.ts";
import { toSdkError } from "../errors/contract.ts";

/** A view call with errors mapped to SDK errors (reverts decoded, transport failures as RpcError). */
export async function read<T>(
  client: NektarReadClient,
  p: { contract: string; address: Address; abi: Abi; functionName: string; args?: readonly unknown[] },
): Promise<T> {
  try {
    return (await readContract(client, {
      address: p.address,
      abi: p.abi,
      functionName: p.functionName,
      args: p.args ?? [],
    } as never)) as T;
  } catch (e) {
    throw toSdkError(e, p.contract, p.functionName);
  }
}
