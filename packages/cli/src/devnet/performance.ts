import { type FramePerformance, fetchPerformance, type PerformanceListing } from "@nektar/stinger";

/** One operator's key shares' performance in the newest frame with signed statements. */
export type OperatorPerformance = {
  /** Operator number (1-based), as on the status screen. */
  operator: number;
  /** The newest frame any node holds signed statements for (undefined before the first). */
  frame?: number | undefined;
  /** Σ over its validators of its share's contributed / expected duties in the signed statements of `frame`. */
  contributed: number;
  expected: number;
  /** Validators with a signed statement for `frame`, of those the operator holds a share of. */
  signed: number;
  validators: number;
  online: boolean;
};

/**
 * Every operator's performance in the newest frame any node holds signed statements for (pure: the listings are read
 * by {@link readOperatorPerformance}). A statement covers all 16 shares of its validator, so an operator whose node
 * was stopped during the frame (and missed the agreement) is still measured from the statements its cluster peers
 * hold, once its node answers again with which share of which validator it holds: it shows what it missed.
 */
export function summarizePerformance(
  nodes: readonly { operator: number; listing: PerformanceListing | undefined }[],
): OperatorPerformance[] {
  const signed = new Map<string, FramePerformance>();
  let latest: number | undefined;
  for (const { listing } of nodes) {
    for (const v of listing?.validators ?? []) {
      for (const f of v.frames) {
        if (!f.closed || !f.signed) continue;
        signed.set(`${v.pubkey}/${f.frame}`, f);
        latest = latest === undefined ? f.frame : Math.max(latest, f.frame);
      }
    }
  }
  return nodes.map(({ operator, listing }) => {
    const out: OperatorPerformance = {
      operator,
      frame: latest,
      contributed: 0,
      expected: 0,
      signed: 0,
      validators: listing?.validators.length ?? 0,
      online: listing !== undefined,
    };
    for (const v of listing?.validators ?? []) {
      const f = latest === undefined ? undefined : signed.get(`${v.pubkey}/${latest}`);
      if (f === undefined) continue;
      out.signed++;
      out.contributed += f.contributed[v.shareIndex - 1] ?? 0;
      out.expected += f.expected[v.shareIndex - 1] ?? 0;
    }
    return out;
  });
}

/** Every operator node's performance (a node that does not answer counts as offline). */
export async function readOperatorPerformance(stingers: readonly { index: number; statusUrl: string }[]) {
  const listings = await Promise.all(
    stingers.map(async (s) => ({
      operator: s.index + 1,
      listing: await fetchPerformance(s.statusUrl, 3).catch(() => undefined),
    })),
  );
  return summarizePerformance(listings);
}
