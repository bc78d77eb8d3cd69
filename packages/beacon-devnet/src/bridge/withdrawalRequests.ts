import type { electra } from "@lodestar/types";
import type { Hex } from "viem";

/** EIP-7002 withdrawal request predeploy. */
export const WITHDRAWAL_REQUEST_ADDRESS = "0x00000961Ef480Eb55e80D19ad83579A64c007002" as const;

/**
 * Devnet stand-in for the EIP-7002 contract, installed with `hardhat_setCode` when the EVM node has none (Hardhat
 * 3.18's EDR does not predeploy it). Same calling convention and the same log as the real contract:
 * - empty calldata: returns the fee (fixed at 1 wei here; the real contract's fee grows with the queue);
 * - 56 bytes of calldata (pubkey ‖ amount, big-endian uint64 gwei) with value ≥ fee: emits LOG0 with
 *   source address (20) ‖ pubkey (48) ‖ amount (8); anything else reverts.
 * There is no queue in storage: the bridge reads the logs, which also captures calls made by contracts.
 */
export const WITHDRAWAL_REQUEST_STUB_CODE: Hex =
  "0x36156023573660381415602e573415602e573360005260386000602037604c600ca0005b600160005260206000f35b600080fd";

/** Decode the 76-byte log of the EIP-7002 contract into a `WithdrawalRequest`, or null if malformed. */
export function withdrawalRequestFromLog(data: Hex): electra.WithdrawalRequest | null {
  const bytes = Buffer.from(data.slice(2), "hex");
  if (bytes.length !== 76) return null;
  return {
    sourceAddress: new Uint8Array(bytes.subarray(0, 20)),
    validatorPubkey: new Uint8Array(bytes.subarray(20, 68)),
    amount: bytes.readBigUInt64BE(68),
  };
}
