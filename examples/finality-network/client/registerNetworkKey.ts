import { type NektarWriteClient, networkRegistryAbi, type TransactionResult } from "@nektar/sdk";
import type { NetworkKey } from "@nektar/stinger";
import type { Address } from "viem";
import { getBlock, getChainId, readContract } from "viem/actions";
import { registerKeyArgs } from "../module/index.ts";
import { finalityRelayAbi } from "./abi.ts";
import { FinalityRelayRevertedError } from "./errors.ts";
import { requireRelay } from "./relay.ts";
import { sendChecked } from "./send.ts";

export type RegisterNetworkKeyParameters = {
  relay: Address;
  /** The restaking protocol's `NetworkRegistry`. */
  registry: Address;
  /** The operator's Network key (Stinger keeps it in `<data-dir>/networks/<name>/network-keystore.json`). */
  key: Pick<NetworkKey, "publicKey" | "sign">;
};

export type RegisterNetworkKeyReturnType = TransactionResult & { index: bigint };

/**
 * Registers the calling operator's Network key with its proof of possession (Stinger's module does this on its own
 * at the first epoch the operator is opted in). Not opted in and an already registered key fail before sending.
 */
export async function registerNetworkKey(
  client: NektarWriteClient,
  p: RegisterNetworkKeyParameters,
): Promise<RegisterNetworkKeyReturnType> {
  const networkId = await requireRelay(client, p.relay);
  const operator = client.account.address;
  const now = (await getBlock(client)).timestamp;
  const optedIn = await readContract(client, {
    address: p.registry,
    abi: networkRegistryAbi,
    functionName: "isOptedIn",
    args: [networkId, operator, now],
  });
  if (!optedIn) throw new FinalityRelayRevertedError("registerKey", "NotOptedIn", [operator]);
  const read = { address: p.relay, abi: finalityRelayAbi } as const;
  if ((await readContract(client, { ...read, functionName: "indexOf", args: [operator] })) !== 0n) {
    throw new FinalityRelayRevertedError("registerKey", "KeyAlreadyRegistered", [operator]);
  }
  const args = registerKeyArgs(p.key, await getChainId(client), p.relay, operator);
  const sent = await sendChecked(client, { ...read, functionName: "registerKey", args });
  const index = (await readContract(client, { ...read, functionName: "indexOf", args: [operator] })) - 1n;
  return { hash: sent.hash, blockNumber: sent.blockNumber, gasUsed: sent.gasUsed, index };
}
