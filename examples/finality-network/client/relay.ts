import type { NektarReadClient } from "@nektar/sdk";
import type { Address } from "viem";
import { getCode, readContract } from "viem/actions";
import { finalityRelayAbi } from "./abi.ts";
import { NotAFinalityRelayError } from "./errors.ts";

/** The relay's Network id, or `NotAFinalityRelayError` when `relay` has no code or does not answer as a relay. */
export async function requireRelay(client: NektarReadClient, relay: Address): Promise<bigint> {
  const code = await getCode(client, { address: relay }).catch((e: unknown) => {
    throw new NotAFinalityRelayError(relay, e);
  });
  if (code === undefined || code === "0x") throw new NotAFinalityRelayError(relay);
  try {
    return await readContract(client, { address: relay, abi: finalityRelayAbi, functionName: "networkId" });
  } catch (e) {
    throw new NotAFinalityRelayError(relay, e);
  }
}
