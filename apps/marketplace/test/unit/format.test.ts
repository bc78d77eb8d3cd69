import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { chartPath } from "../../src/chart.ts";
import { formatCount, formatDuration, formatEth, formatRate, formatTimestamp, shortHex } from "../../src/format.ts";

describe("format", () => {
  it("formats wei as grouped ether, rounded down", () => {
    assert.equal(formatEth(0n), "0");
    assert.equal(formatEth(2_500_000_000_000_000_000n), "2.5");
    assert.equal(formatEth(1_234_567_899_999_999_999_999n), "1,234.5678");
    assert.equal(formatEth(1n), "0");
    assert.equal(formatEth(1n, 18), "0.000000000000000001");
    assert.equal(formatEth(-1_500_000_000_000_000_000n), "-1.5");
  });

  it("formats a 1e18-scaled share rate with six decimals", () => {
    assert.equal(formatRate(10n ** 18n), "1.000000");
    assert.equal(formatRate(1_000_123_999_000_000_000n), "1.000123");
  });

  it("shortens hex, groups counts, spells durations and timestamps", () => {
    assert.equal(shortHex("0x1234567890abcdef1234"), "0x1234…1234");
    assert.equal(shortHex("0x12345678"), "0x12345678");
    assert.equal(formatCount(1234567n), "1,234,567");
    assert.equal(formatDuration(45), "45 s");
    assert.equal(formatDuration(7_500), "2 h 5 min");
    assert.equal(formatDuration(0), "0 s");
    assert.equal(formatTimestamp(1_796_610_977n), "2026-12-07 02:36 UTC");
  });

  it("scales a chart path into its box, flat series in the middle", () => {
    assert.equal(chartPath([], 100, 10), "");
    assert.equal(
      chartPath(
        [
          { x: 0, y: 1 },
          { x: 10, y: 2 },
        ],
        100,
        10,
      ),
      "M0.0,10.0 L100.0,0.0",
    );
    assert.equal(chartPath([{ x: 5, y: 1 }], 100, 10), "M50.0,5.0");
  });
});
