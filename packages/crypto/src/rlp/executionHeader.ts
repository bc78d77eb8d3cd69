/**
 * The RLP encoding of an execution block header, whose `keccak256` is the block hash: contracts read a past block's
 * fields (the operator registry's draw reads its `mixHash`, the RANDAO mix) against `blockhash`. Pure: the caller
 * fetches the block (`eth_getBlockByNumber`) and checks the hash.
 */

/** Header fields in RLP order; the optional tail appears fork by fork (London … Prague). */
const HEADER_FIELDS = [
  "parentHash",
  "sha3Uncles",
  "miner",
  "stateRoot",
  "transactionsRoot",
  "receiptsRoot",
  "logsBloom",
  "difficulty",
  "number",
  "gasLimit",
  "gasUsed",
  "timestamp",
  "extraData",
  "mixHash",
  "nonce",
  "baseFeePerGas",
  "withdrawalsRoot",
  "blobGasUsed",
  "excessBlobGas",
  "parentBeaconBlockRoot",
  "requestsHash",
] as const;

const QUANTITY_FIELDS: ReadonlySet<string> = new Set([
  "difficulty",
  "number",
  "gasLimit",
  "gasUsed",
  "timestamp",
  "baseFeePerGas",
  "blobGasUsed",
  "excessBlobGas",
]);

/** A block as JSON-RPC returns it: 0x-hex fields (absent or null for fields of later forks). */
export type RpcBlockHeader = Readonly<Record<string, string | null | undefined>>;

/** `0x` hex of the RLP-encoded header of `block` (fields up to the first absent one of the fork tail). */
export function encodeExecutionHeader(block: RpcBlockHeader): `0x${string}` {
  const items: Uint8Array[] = [];
  for (const field of HEADER_FIELDS) {
    const value = block[field];
    if (value === undefined || value === null) break;
    // RLP integers are minimal big-endian: zero is the empty string.
    items.push(QUANTITY_FIELDS.has(field) ? minimalBytes(BigInt(value)) : hexBytes(value));
  }
  const payload = concat(items.map(rlpString));
  return `0x${Buffer.from(concat([lengthPrefix(payload.length, 0xc0), payload])).toString("hex")}`;
}

function rlpString(bytes: Uint8Array): Uint8Array {
  const first = bytes[0];
  if (bytes.length === 1 && first !== undefined && first < 0x80) return bytes;
  return concat([lengthPrefix(bytes.length, 0x80), bytes]);
}

function lengthPrefix(length: number, offset: number): Uint8Array {
  if (length < 56) return Uint8Array.of(offset + length);
  const lengthBytes = minimalBytes(BigInt(length));
  return concat([Uint8Array.of(offset + 55 + lengthBytes.length), lengthBytes]);
}

function minimalBytes(value: bigint): Uint8Array {
  if (value === 0n) return new Uint8Array(0);
  const digits = value.toString(16);
  return hexBytes(`0x${digits.length % 2 === 0 ? digits : `0${digits}`}`);
}

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex.slice(2), "hex"));
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  return Buffer.concat(parts);
}
