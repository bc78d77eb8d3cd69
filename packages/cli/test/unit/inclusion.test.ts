import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sszBit } from "../../src/devnet/inclusion.ts";

describe("sszBit", () => {
  it("reads bits little-endian within each byte, bytes in order", () => {
    // 0x05 = bits 0 and 2; 0x80 = bit 15.
    const hex = "0x0580";
    assert.deepEqual(
      Array.from({ length: 16 }, (_, i) => sszBit(hex, i)),
      [true, false, true, false, false, false, false, false, false, false, false, false, false, false, false, true],
    );
  });
  it("is false beyond the data", () => assert.equal(sszBit("0x01", 9), false));
});
