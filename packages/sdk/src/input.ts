import { type Address, getAddress, isAddress, parseEther } from "viem";
import { InvalidAddressError, InvalidAmountError, InvalidIdError } from "./errors/input.ts";

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** Parses a user-given ether amount ("1", "0.5", "32.000000000000000001") into wei; rejects zero unless allowed. */
export function parseAmount(value: string, opts: { allowZero?: boolean } = {}): bigint {
  const text = value.trim();
  const match = DECIMAL.exec(text);
  if (!match) {
    throw new InvalidAmountError(value, text.startsWith("-") ? "must not be negative" : "not a decimal number");
  }
  if ((match[2]?.length ?? 0) > 18) throw new InvalidAmountError(value, "more than 18 decimals");
  const wei = parseEther(text);
  if (wei === 0n && !opts.allowZero) throw new InvalidAmountError(value, "must be greater than zero");
  return wei;
}

/** Parses an address; mixed-case input must carry a valid EIP-55 checksum. */
export function parseAddress(value: string, what = "address"): Address {
  const text = value.trim();
  if (!isAddress(text, { strict: true })) throw new InvalidAddressError(value, what);
  return getAddress(text);
}

/** Parses a positive integer id (operator, request, validator). */
export function parseId(value: string, what: string): bigint {
  const text = value.trim();
  if (!/^\d+$/.test(text) || BigInt(text) === 0n) throw new InvalidIdError(value, what);
  return BigInt(text);
}

/** Parses a restaking epoch number (0 is the vault's first epoch). */
export function parseEpoch(value: string): bigint {
  const text = value.trim();
  if (!/^\d+$/.test(text)) throw new InvalidIdError(value, "epoch");
  return BigInt(text);
}
