import type { NektarWriteClient, TransactionResult } from "@nektar/sdk";
import { type Address, parseEventLogs } from "viem";
import { finalityRelayAbi } from "./abi.ts";
import { requireRelay } from "./relay.ts";
import { sendChecked } from "./send.ts";

export type PayFinalityRewardsParameters = { relay: Address; vaultEpoch: bigint };

export type PayFinalityRewardsReturnType = TransactionResult & { total: bigint; operators: bigint };

/**
 * Pays the rewards owed for a finished restaking-vault epoch through the vault (anyone may call it; Stinger's module
 * does it every epoch). Operators then claim their commission with `nektar restake claim --commission`, delegators
 * (an operator's own stake included) their share with `nektar restake claim <operator>`.
 */
export async function payFinalityRewards(
  client: NektarWriteClient,
  p: PayFinalityRewardsParameters,
): Promise<PayFinalityRewardsReturnType> {
  await requireRelay(client, p.relay);
  const sent = await sendChecked(client, {
    address: p.relay,
    abi: finalityRelayAbi,
    functionName: "payRewards",
    args: [p.vaultEpoch],
  });
  const [paid] = parseEventLogs({ abi: finalityRelayAbi, logs: sent.receipt.logs, eventName: "RewardsPaid" });
  return {
    hash: sent.hash,
    blockNumber: sent.blockNumber,
    gasUsed: sent.gasUsed,
    total: paid?.args.total ?? 0n,
    operators: paid?.args.operators ?? 0n,
  };
}
