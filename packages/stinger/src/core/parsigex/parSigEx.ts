import type { Logger } from "../../logger/logger.ts";
import type { ParSigEx, ParSignedData } from "../interfaces.ts";

import { DutyMessageKind, type DutyTransport } from "../transport.ts";
import { decodePartialBatch, encodePartialBatch } from "./codec.ts";

/**
 * Partials per published message: 4,096 × 137 bytes ≈ 550 KB, under the 1 MiB duty payload bound (a full
 * MAX_PARTIALS_PER_BATCH batch, 2.2 MB, would be refused by the transport), and small enough that one message does
 * not hold a receiver's event loop for long. A slot of 10,000 validators (attestations and selection proofs) is one
 * message.
 */
export const PARTIALS_PER_MESSAGE = 4096;

export type ParSigExOptions = {
  transport: DutyTransport;
  logger: Logger;
  /** Counts dropped batches by reason and sender (attributed faults). */
  onDrop?: (fromShareIndex: number, reason: string) => void;
  /** Accept batches only for slots within this window around the current slot (replay protection). */
  acceptSlot: (slot: number) => boolean;
};

/**
 * Exchanges partial signatures over the cluster topic, one message per operator and slot (not per validator: a
 * publisher saturates 2 cores at ~150 messages/s). Received partials are attributed to the authenticated sender;
 * stale or future slots (replays) and malformed batches are dropped and counted against the sender.
 */
export class BatchedParSigEx implements ParSigEx {
  private readonly opts: ParSigExOptions;
  private readonly handlers = new Set<(partials: readonly ParSignedData[], fromShareIndex: number) => void>();

  constructor(opts: ParSigExOptions) {
    this.opts = opts;
    opts.transport.onMessage(DutyMessageKind.partials, (from, payload) => this.receive(from + 1, payload));
  }

  async broadcast(partials: readonly ParSignedData[]): Promise<void> {
    const bySlot = new Map<number, ParSignedData[]>();
    for (const p of partials) {
      const list = bySlot.get(p.duty.slot) ?? [];
      list.push(p);
      bySlot.set(p.duty.slot, list);
    }
    for (const [slot, list] of bySlot) {
      for (let i = 0; i < list.length; i += PARTIALS_PER_MESSAGE) {
        await this.opts.transport.broadcast(
          DutyMessageKind.partials,
          encodePartialBatch(slot, list.slice(i, i + PARTIALS_PER_MESSAGE)),
        );
      }
    }
  }

  subscribe(handler: (partials: readonly ParSignedData[], fromShareIndex: number) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  private receive(shareIndex: number, payload: Uint8Array): void {
    const decoded = decodePartialBatch(payload, shareIndex);
    if (!decoded.ok) {
      this.drop(shareIndex, decoded.reason);
      return;
    }
    if (!this.opts.acceptSlot(decoded.slot)) {
      this.drop(shareIndex, "stale_slot");
      return;
    }
    for (const h of this.handlers) {
      try {
        h(decoded.partials, shareIndex);
      } catch (e) {
        this.opts.logger.error("Partial signature handler failed", { slot: decoded.slot, shareIndex }, e as Error);
      }
    }
  }

  private drop(shareIndex: number, reason: string): void {
    this.opts.logger.warn("Dropped partial signature batch", { shareIndex, reason });
    this.opts.onDrop?.(shareIndex, reason);
  }
}
