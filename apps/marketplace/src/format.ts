import { formatUnits } from "viem";

/** Wei as ether with at most `decimals` decimals, rounded down, thousands grouped: 1234.5678 ETH → "1,234.5678". */
export function formatEth(wei: bigint, decimals = 4): string {
  return formatToken(wei, 18, decimals);
}

/**
 * A token amount in its smallest unit (`unitDecimals` of them per token) with at most `decimals` decimals, rounded
 * down, thousands grouped: formatToken(1_500_000n, 6) → "1.5".
 */
export function formatToken(amount: bigint, unitDecimals: number, decimals = 4): string {
  const negative = amount < 0n;
  const text = formatUnits(negative ? -amount : amount, unitDecimals);
  const [whole = "0", fraction = ""] = text.split(".");
  const cut = fraction.slice(0, decimals).replace(/0+$/, "");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "-" : ""}${grouped}${cut === "" ? "" : `.${cut}`}`;
}

/** A 1e18-scaled rate (ether per divETH share) with 6 decimals: "1.000123". */
export function formatRate(rate: bigint): string {
  const whole = rate / 10n ** 18n;
  const micro = (rate % 10n ** 18n) / 10n ** 12n;
  return `${whole}.${micro.toString().padStart(6, "0")}`;
}

/** 0x1234…abcd */
export function shortHex(hex: string, keep = 4): string {
  return hex.length <= 2 + keep * 2 + 1 ? hex : `${hex.slice(0, 2 + keep)}…${hex.slice(-keep)}`;
}

/** A whole number with thousands grouped. */
export function formatCount(n: bigint | number): string {
  return n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** A duration in seconds as the largest two units: "2 h 5 min", "45 s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const units: [string, number][] = [
    ["d", 86_400],
    ["h", 3_600],
    ["min", 60],
    ["s", 1],
  ];
  const parts: string[] = [];
  let rest = s;
  for (const [name, size] of units) {
    if (parts.length === 2) break;
    const n = Math.floor(rest / size);
    if (n > 0 || (parts.length === 0 && size === 1)) parts.push(`${n} ${name}`);
    rest -= n * size;
  }
  return parts.join(" ");
}

/** A Unix timestamp (seconds) as an ISO date and time in UTC: "2026-12-07 02:22 UTC". */
export function formatTimestamp(seconds: bigint): string {
  return `${new Date(Number(seconds) * 1000).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
