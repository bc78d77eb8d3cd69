import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  BaseError,
  InvalidAddressError,
  InvalidAmountError,
  InvalidIdError,
  parseAddress,
  parseAmount,
  parseId,
} from "../../src/index.ts";

describe("parseAmount", () => {
  it("parses decimal ether into wei", () => {
    assert.equal(parseAmount("1"), 10n ** 18n);
    assert.equal(parseAmount(" 0.5 "), 5n * 10n ** 17n);
    assert.equal(parseAmount("32.000000000000000001"), 32n * 10n ** 18n + 1n);
  });
  for (const [value, reason] of [
    ["abc", "not a decimal number"],
    ["-1", "must not be negative"],
    ["1e18", "not a decimal number"],
    ["0x10", "not a decimal number"],
    ["1.", "not a decimal number"],
    ["", "not a decimal number"],
    ["0", "must be greater than zero"],
    ["0.0000000000000000001", "more than 18 decimals"],
  ] as const) {
    it(`rejects "${value}" (${reason})`, () => {
      assert.throws(
        () => parseAmount(value),
        (e: unknown) =>
          e instanceof InvalidAmountError &&
          e instanceof BaseError &&
          e.type.code === "ERR_INVALID_AMOUNT" &&
          e.shortMessage.includes(reason),
      );
    });
  }
  it("accepts zero when allowed", () => assert.equal(parseAmount("0", { allowZero: true }), 0n));
});

describe("parseAddress", () => {
  it("checksums a lower-case address", () => {
    assert.equal(
      parseAddress("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"),
      "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
    );
  });
  for (const value of [
    "0x123",
    "hello",
    "0xF39fd6e51aad88F6F4ce6aB8827279cffFb92266",
    "f39fd6e51aad88f6f4ce6ab8827279cfffb92266",
  ]) {
    it(`rejects ${value}`, () => assert.throws(() => parseAddress(value), InvalidAddressError));
  }
});

describe("parseId", () => {
  it("parses positive integers", () => assert.equal(parseId("42", "operator id"), 42n));
  for (const value of ["0", "-1", "1.5", "x", ""]) {
    it(`rejects "${value}"`, () =>
      assert.throws(
        () => parseId(value, "operator id"),
        (e: unknown) => e instanceof InvalidIdError && e.type.what === "operator id",
      ));
  }
});
