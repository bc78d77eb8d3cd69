import { fetchPerformance, type PerformanceListing } from "@nektar/stinger";

/** One operator's share performance in the last frame its node holds signed statements for. */
export type OperatorPerformance = {
  /** Operator number (1-based), as on the status screen. */
  operator: number;
  /** Undefined when the node's status server does not answer (stopped) or has no signed statement yet. */
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
 * An operator's performance from its node's `GET /performance`: its own share in the signed statements of the newest
 * closed frame that has any (pure: the listing is read by {@link readOperatorPerformance}).
 */
export function operatorPerformance(operator: number, listing: PerformanceListing | undefined): OperatorPerformance {
  if (listing === undefined) return { operator, contributed: 0, expected: 0, signed: 0, validators: 0, online: false };
  const signedFrames = listing.validators.flatMap((v) =>
    v.frames.filter((f) => f.closed && f.signed).map((f) => f.frame),
  );
  const out: OperatorPerformance = {
    operator,
    contributed: 0,
    expected: 0,
    signed: 0,
    validators: listing.validators.length,
    online: true,
  };
  if (signedFrames.length === 0) return out;
  const frame = Math.max(...signedFrames);
  out.frame = frame;
  for (const v of listing.validators) {
    const f = v.frames.find((x) => x.frame === frame && x.signed);
    if (f === undefined) continue;
    out.signed++;
    out.contributed += f.contributed[v.shareIndex - 1] ?? 0;
    out.expected += f.expected[v.shareIndex - 1] ?? 0;
  }
  return out;
}

/** Every operator node's performance (a node that does not answer counts as offline). */
export async function readOperatorPerformance(stingers: readonly { index: number; statusUrl: string }[]) {
  return Promise.all(
    stingers.map(async (s) =>
      operatorPerformance(s.index + 1, await fetchPerformance(s.statusUrl, 3).catch(() => undefined)),
    ),
  );
}
