import { InvalidArgumentError } from "commander";

/**
 * A commander argument parser for a decimal integer flag in `min..max`. A bad value is a usage error: commander prints
 * `error: option '--port <port>' argument 'x' is invalid. expected an integer in 0..65535` and exits.
 */
export function integerFlag(min: number, max: number = Number.MAX_SAFE_INTEGER): (value: string) => number {
  const expected =
    max !== Number.MAX_SAFE_INTEGER
      ? `expected an integer in ${min}..${max}`
      : min === 0
        ? "expected a non-negative integer"
        : min === 1
          ? "expected a positive integer"
          : `expected an integer of at least ${min}`;
  return (value: string): number => {
    const n = Number(value);
    // Digits only: Number() alone would take "", " 1", "1e3", "0x10" and "1.0".
    if (!/^\d{1,16}$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(expected);
    }
    return n;
  };
}

/** `--flag <n>` with n ≥ 1: counts, intervals, timeouts. */
export const positiveInt: (value: string) => number = integerFlag(1);

/** `--flag <n>` with n ≥ 0. */
export const nonNegativeInt: (value: string) => number = integerFlag(0);
