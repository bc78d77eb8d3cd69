import { createHash } from "node:crypto";
import type { CachedBeaconStateAllForks, CachedBeaconStateElectra } from "@lodestar/state-transition";
import { computeTimeAtSlot, getExpectedWithdrawals, getRandaoMix } from "@lodestar/state-transition";
import type { electra } from "@lodestar/types";
import { ssz } from "@lodestar/types";

/**
 * The devnet's execution payload for a block built on `state` (already advanced to the block's slot). The
 * execution layer is simulated: the payload carries no transactions and its hash commits to the parent hash and
 * the slot; what matters to the consensus layer (parent hash chain, randao, timestamp, withdrawals) is exact.
 */
export function buildExecutionPayload(
  state: CachedBeaconStateAllForks,
  feeRecipient: Uint8Array,
): electra.ExecutionPayload {
  const electraState = state as CachedBeaconStateElectra;
  const parent = electraState.latestExecutionPayloadHeader;
  const { expectedWithdrawals } = getExpectedWithdrawals(state.config.getForkSeq(state.slot), electraState);
  const payload = ssz.electra.ExecutionPayload.defaultValue();
  payload.parentHash = parent.blockHash;
  payload.feeRecipient = feeRecipient;
  payload.stateRoot = parent.stateRoot;
  payload.prevRandao = getRandaoMix(state, state.epochCtx.epoch);
  payload.blockNumber = parent.blockNumber + 1;
  payload.gasLimit = parent.gasLimit;
  payload.timestamp = computeTimeAtSlot(state.config, state.slot, state.genesisTime);
  payload.baseFeePerGas = parent.baseFeePerGas;
  payload.withdrawals = expectedWithdrawals;
  const slotBytes = Buffer.alloc(8);
  slotBytes.writeBigUInt64LE(BigInt(state.slot));
  payload.blockHash = new Uint8Array(createHash("sha256").update(parent.blockHash).update(slotBytes).digest());
  return payload;
}
