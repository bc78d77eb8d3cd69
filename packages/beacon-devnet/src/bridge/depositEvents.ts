import type { electra } from "@lodestar/types";
import { decodeEventLog, type Hex, hexToBytes, parseAbi, toEventSelector } from "viem";

/** The Ethereum deposit contract's event (amount and index are little-endian uint64 bytes). */
export const depositEventAbi = parseAbi([
  "event DepositEvent(bytes pubkey, bytes withdrawal_credentials, bytes amount, bytes signature, bytes index)",
]);

export const DEPOSIT_EVENT_TOPIC = toEventSelector(depositEventAbi[0]);

export type DepositEventError = { reason: string };

/**
 * Decode a `DepositEvent` log into an Electra `DepositRequest` (EIP-6110). Returns an error for logs that are
 * not well-formed deposit events (wrong field lengths), which a bridge must skip, never include.
 */
export function depositRequestFromLog(log: {
  data: Hex;
  topics: [Hex, ...Hex[]] | [];
}): electra.DepositRequest | DepositEventError {
  let args: { pubkey: Hex; withdrawal_credentials: Hex; amount: Hex; signature: Hex; index: Hex };
  try {
    args = decodeEventLog({ abi: depositEventAbi, data: log.data, topics: log.topics }).args;
  } catch (e) {
    return { reason: `not a DepositEvent: ${(e as Error).message.split("\n")[0]}` };
  }
  const pubkey = hexToBytes(args.pubkey);
  const withdrawalCredentials = hexToBytes(args.withdrawal_credentials);
  const amount = hexToBytes(args.amount);
  const signature = hexToBytes(args.signature);
  const index = hexToBytes(args.index);
  if (pubkey.length !== 48) return { reason: `pubkey is ${pubkey.length} bytes, expected 48` };
  if (withdrawalCredentials.length !== 32) return { reason: "withdrawal_credentials must be 32 bytes" };
  if (amount.length !== 8 || index.length !== 8) return { reason: "amount and index must be 8 bytes" };
  if (signature.length !== 96) return { reason: "signature must be 96 bytes" };
  return {
    pubkey,
    withdrawalCredentials,
    amount: Number(Buffer.from(amount).readBigUInt64LE()),
    signature,
    index: Buffer.from(index).readBigUInt64LE(),
  };
}

export function isDepositEventError(x: electra.DepositRequest | DepositEventError): x is DepositEventError {
  return "reason" in x;
}
