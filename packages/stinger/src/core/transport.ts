/**
 * What the duty pipeline needs from the cluster network: authenticated broadcast of a payload per protocol kind.
 * `from` is the sender's member index (0-based, its share index − 1) proven by the transport (signed envelopes),
 * never a field of the payload, so every message is attributed to the operator that sent it. Implemented over libp2p
 * (`node/dutyNetwork.ts`) and in memory for tests (`test/support/memoryTransport.ts`).
 */
export interface DutyTransport {
  /** Sends `payload` to every other operator of the cluster. */
  broadcast(kind: DutyMessageKind, payload: Uint8Array): Promise<void>;
  /** Registers the handler of one kind (one handler per kind). */
  onMessage(kind: DutyMessageKind, handler: (from: number, payload: Uint8Array) => void): void;
}

export const DutyMessageKind = {
  /** Agreement envelopes (already signed by the agreement codec) of one (slot, duty type) instance. */
  agreement: 1,
  /** A per-slot batch of partial signatures. */
  partials: 2,
  /** End-of-frame performance agreement batches (`performance/messages.ts`): views, proposals, partials. */
  performance: 4,
} as const;
export type DutyMessageKind = (typeof DutyMessageKind)[keyof typeof DutyMessageKind];
