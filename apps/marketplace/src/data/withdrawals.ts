import type { ShareRatePoint, WithdrawalQueueState, WithdrawalStatus } from "@nektar/sdk/browser";

export type WithdrawalStage = "claimable" | "finalizable" | "waiting for report";

/** A withdrawal request as the stake page shows it. */
export type WithdrawalView = WithdrawalStatus & {
  stage: WithdrawalStage;
  /** Unfinalized requests ahead of this one, counting itself (1: next to finalize); 0 once finalized. */
  queuePosition: bigint;
  /** When the next oracle report is expected (Unix seconds), for requests that wait for one; undefined if unknown. */
  expectedReportAt: bigint | undefined;
};

/**
 * Where each request stands. A request is finalized by the first oracle report whose reference time is after it
 * (`finalizableRequestId`); the next report is expected one median report interval after the last one.
 */
export function withdrawalViews(
  requests: readonly WithdrawalStatus[],
  queue: Pick<WithdrawalQueueState, "lastFinalizedRequestId" | "finalizableRequestId">,
  reports: readonly Pick<ShareRatePoint, "refTimestamp">[],
): WithdrawalView[] {
  const next = nextReportAt(reports);
  return requests.map((r) => {
    const finalized = r.isFinalized;
    const stage: WithdrawalStage = finalized
      ? "claimable"
      : r.requestId <= queue.finalizableRequestId
        ? "finalizable"
        : "waiting for report";
    return {
      ...r,
      stage,
      queuePosition: finalized ? 0n : r.requestId - queue.lastFinalizedRequestId,
      expectedReportAt: stage === "waiting for report" ? next : undefined,
    };
  });
}

/** The last report's time plus the median interval between reports; undefined before two reports. */
export function nextReportAt(reports: readonly Pick<ShareRatePoint, "refTimestamp">[]): bigint | undefined {
  if (reports.length < 2) return undefined;
  const gaps: bigint[] = [];
  for (let i = 1; i < reports.length; i++) {
    const a = reports[i - 1];
    const b = reports[i];
    if (a && b) gaps.push(b.refTimestamp - a.refTimestamp);
  }
  gaps.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const median = gaps[Math.floor(gaps.length / 2)] ?? 0n;
  const last = reports[reports.length - 1];
  return last === undefined ? undefined : last.refTimestamp + median;
}
