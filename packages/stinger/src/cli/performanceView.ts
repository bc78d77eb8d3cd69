import type { ValidatorPerformance } from "../performance/report.ts";

/** What `GET /performance` answers. */
export type PerformanceListing = {
  /** Oracle frame length in slots; null when the node runs without statements. */
  frameSlots: number | null;
  validators: (ValidatorPerformance & { clusterId: string })[];
};

/** Reads a running node's per-share performance (`GET /performance?frames=N` of its status server). */
export async function fetchPerformance(base: string, frames: number): Promise<PerformanceListing> {
  const res = await fetch(`${base.replace(/\/$/, "")}/performance?frames=${frames}`, {
    signal: AbortSignal.timeout(5000),
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const listing = (await res.json()) as PerformanceListing;
  if (typeof listing !== "object" || listing === null || !Array.isArray(listing.validators)) {
    throw new Error("not a Stinger GET /performance answer");
  }
  return listing;
}

/** Lines of this operator's own shares: per validator, each frame's contributed / expected and whether signed. */
export function performanceLines(listing: PerformanceListing): string[] {
  if (listing.frameSlots === null)
    return ["  performance:   off (the node does not follow the registry, or --no-performance)"];
  if (listing.validators.length === 0) return ["  performance:   no validator on duty yet"];
  const lines = [
    `  performance:   this operator's share per validator, per oracle frame of ${listing.frameSlots} slots`,
  ];
  for (const v of listing.validators) {
    const frames = v.frames.map((f) => {
      const i = v.shareIndex - 1;
      const state = !f.closed ? "counting" : f.signed ? "signed" : "unsigned";
      return `frame ${f.frame} ${f.contributed[i] ?? 0}/${f.expected[i] ?? 0} ${state}`;
    });
    lines.push(`    validator ${v.index} (share ${v.shareIndex}): ${frames.join(", ") || "no duties yet"}`);
  }
  return lines;
}
