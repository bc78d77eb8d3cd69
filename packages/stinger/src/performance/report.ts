import type { ValidatorKeys } from "../core/signer/validatorKeys.ts";
import type { FrameCounters } from "./counters.ts";
import type { PerformanceStore, SignedPerformanceStatement } from "./store.ts";

/** One validator's performance in one frame, as this member knows it. */
export type FramePerformance = {
  frame: number;
  /** False for the frame still being counted. */
  closed: boolean;
  /** Whether the cluster's statement is combined and signed by the validator key (then the arrays are its entries). */
  signed: boolean;
  /** Per share index (position i is share i + 1): the statement's entries, or, unsigned, this member's own counts. */
  expected: number[];
  contributed: number[];
  /** The validator key's signature over the statement (0x hex, 96 bytes), when signed. */
  signature?: `0x${string}`;
};

/** What `GET /performance` lists per validator: newest frame first. */
export type ValidatorPerformance = {
  index: number;
  pubkey: `0x${string}`;
  /** This operator's share index in the validator's cluster. */
  shareIndex: number;
  frames: FramePerformance[];
};

const hex = (b: Uint8Array): `0x${string}` => `0x${Buffer.from(b).toString("hex")}`;

/**
 * The latest `limit` frames of every validator of one cluster: signed statements where the cluster agreed, this
 * member's own counts otherwise (the open frame, or a frame without a statement).
 */
export function validatorPerformance(
  p: { store: PerformanceStore; keys: ValidatorKeys; openFrame?: FrameCounters | undefined },
  limit: number,
): ValidatorPerformance[] {
  const frames = [
    ...new Set([...p.store.frames(), ...p.store.statementFrames(), ...(p.openFrame ? [p.openFrame.frame] : [])]),
  ]
    .sort((a, b) => b - a)
    .slice(0, limit);
  const byFrame = frames.map((frame) => ({
    frame,
    counters: frame === p.openFrame?.frame ? p.openFrame : p.store.loadFrame(frame),
    statements: new Map<string, SignedPerformanceStatement>(
      p.store.loadStatements(frame).map((s) => [hex(s.statement.validatorPubkey), s]),
    ),
  }));
  return p.keys.all().map((v) => ({
    index: v.index,
    pubkey: v.pubkeyHex as `0x${string}`,
    shareIndex: p.keys.shareIndex,
    frames: byFrame.flatMap(({ frame, counters, statements }): FramePerformance[] => {
      const closed = frame !== p.openFrame?.frame;
      const s = statements.get(v.pubkeyHex);
      if (s !== undefined) {
        return [
          {
            frame,
            closed,
            signed: true,
            expected: [...s.statement.expected],
            contributed: [...s.statement.contributed],
            signature: hex(s.signature),
          },
        ];
      }
      const counts = counters?.get(v.index);
      if (counts === undefined) return [];
      return [
        {
          frame,
          closed,
          signed: false,
          expected: counts.contributed.map(() => counts.duties),
          contributed: [...counts.contributed],
        },
      ];
    }),
  }));
}
