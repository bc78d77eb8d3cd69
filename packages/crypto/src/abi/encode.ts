/**
 * The few pieces of Solidity's `abi.encode` the signed Nektar messages need (words, addresses, `bytes` and `uint[]`
 * tails), so the messages encode without an Ethereum library. Each caller reports its own field errors.
 */

/** Called with the field name and reason when a value does not fit its ABI type. */
export type AbiFieldError = (field: string, reason: string) => never;

/** A 32-byte big-endian word. */
export function abiWord(value: bigint, field: string, fail: AbiFieldError): Uint8Array {
  if (value < 0n || value >= 1n << 256n) fail(field, "must fit in 256 bits");
  const out = new Uint8Array(32);
  let v = value;
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** A 20-byte address as a word. */
export function abiAddressWord(hex: string, field: string, fail: AbiFieldError): Uint8Array {
  if (!/^0x[0-9a-fA-F]{40}$/.test(hex)) fail(field, "must be a 20-byte 0x address");
  return abiWord(BigInt(hex), field, fail);
}

/** ABI tail of a `bytes` value: length word, then the data right-padded to a multiple of 32. */
export function abiBytesTail(data: Uint8Array, fail: AbiFieldError): Uint8Array[] {
  const padded = new Uint8Array(Math.ceil(data.length / 32) * 32);
  padded.set(data);
  return [abiWord(BigInt(data.length), "length", fail), padded];
}

/** ABI tail of a `uint…[]` value: length word, then one word per element. */
export function abiUintArrayTail(values: readonly number[], field: string, fail: AbiFieldError): Uint8Array[] {
  return [
    abiWord(BigInt(values.length), `${field}.length`, fail),
    ...values.map((v, i) => abiWord(BigInt(v), `${field}[${i}]`, fail)),
  ];
}

/** Total length of encoded parts. */
export function abiSize(parts: readonly Uint8Array[]): number {
  return parts.reduce((n, p) => n + p.length, 0);
}

/** Concatenation of encoded parts. */
export function abiConcat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(abiSize(parts));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
