import type { Address, Hex } from "viem";
import type { AttestedWatermarks } from "./slashingHandoff.ts";

/** Written next to the new lock and share keystore: what the resharing decided and the data a contract checks. */
export const RESHARE_RECORD_FILE = "reshare.json";

export type ReshareRecord = {
  version: "nektar-reshare-record/v1";
  validator: Hex;
  /** The request's nonce and deadline (decimal strings). */
  nonce: string;
  deadline: string;
  leavingIndex: number;
  newcomer: Address;
  /** The lock the resharing replaces, and the new one in the same directory. */
  previousLockHash: Hex;
  lockHash: Hex;
  /** First epoch signed with the new shares; the previous lock's shares sign the epochs before it. */
  switchEpoch: number;
  /** keccak256 of the result's ABI encoding (`ReshareMessage.resultRoot`). */
  resultRoot: Hex;
  /** The validator key's signature of the result: the old shares' threshold signature (96 bytes). */
  validatorSignature: Hex;
  /** The newcomer's EIP-712 approval (on the newcomer's own record; null elsewhere or without a signer). */
  newcomerApproval: Hex | null;
  /** Seats whose slashing-protection statements the newcomer imported (the newcomer's record only). */
  slashingAttesters: number[] | null;
  /** The watermarks the newcomer imported before it held the share (the newcomer's record only). */
  slashingState: AttestedWatermarks | null;
};

export function serializeReshareRecord(record: ReshareRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}
