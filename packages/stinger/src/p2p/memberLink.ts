import type { PeerId, Stream } from "@libp2p/interface";
import { type LengthPrefixedStream, lpStream } from "@libp2p/utils";
import type { Logger } from "../logger/logger.ts";
import { MAX_ENVELOPE_BYTES } from "./envelope.ts";
import type { OperatorNode } from "./node.ts";

export type MemberLinkOptions = {
  node: OperatorNode;
  peerId: PeerId;
  protocol: string;
  /**
   * Frames to write first on every newly opened stream: whatever the member may have missed while no stream was
   * open (it may also have restarted and lost everything). Called synchronously when the stream opens.
   */
  backlog: () => Uint8Array[];
  onSent: (bytes: number) => void;
  logger: Logger;
};

const RETRY_INITIAL_MS = 100;
const RETRY_MAX_MS = 5000;
/** A stream that lived this long before closing was healthy: the next one starts with the initial retry delay. */
const HEALTHY_MS = 2000;

/**
 * This node's long-lived outbound stream of length-prefixed envelopes to one cluster member, over an existing
 * connection. Opening a libp2p stream costs a protocol negotiation, a peer-store update and several muxer frames on
 * both sides, so the stream is opened once per connection and kept, instead of once per message. While no stream is
 * open, writes are dropped: the caller keeps everything it authored, and `backlog` re-sends it when a stream opens
 * (first connection, reconnection after a drop, restart of the member). Frames are written in order.
 */
export class MemberLink {
  private readonly opts: MemberLinkOptions;
  private stream: LengthPrefixedStream<Stream> | null = null;
  private opening = false;
  private stopped = false;
  private retryMs = RETRY_INITIAL_MS;
  private retryTimer: NodeJS.Timeout | undefined;
  private tail: Promise<void> = Promise.resolve();

  constructor(opts: MemberLinkOptions) {
    this.opts = opts;
  }

  get isOpen(): boolean {
    return this.stream !== null;
  }

  /** Queue `frames` on the open stream; resolves when they are handed to the muxer (no-op while no stream is open). */
  write(frames: Uint8Array[]): Promise<void> {
    const lp = this.stream;
    if (lp === null || frames.length === 0) return Promise.resolve();
    this.tail = this.tail.then(async () => {
      if (this.stream !== lp) return;
      try {
        await lp.writeV(frames);
        this.opts.onSent(frames.reduce((n, f) => n + f.length, 0));
      } catch (e) {
        this.opts.logger.debug("Envelope stream write failed; re-sent when a new stream opens", {
          peer: this.opts.peerId.toString(),
          reason: (e as Error).message,
        });
        this.drop(lp, (e as Error).message);
      }
    });
    return this.tail;
  }

  /** Open the stream if the member is connected and none is open or opening. */
  ensureOpen(): void {
    if (this.stopped || this.stream !== null || this.opening || this.retryTimer !== undefined) return;
    const connection = this.opts.node.getConnections(this.opts.peerId).find((c) => c.status === "open");
    if (connection === undefined) return;
    this.opening = true;
    const openedAt = Date.now();
    connection
      .newStream(this.opts.protocol, { signal: AbortSignal.timeout(5000) })
      .then((stream) => {
        this.opening = false;
        if (this.stopped) {
          stream.abort(new Error("cluster network stopped"));
          return;
        }
        const lp = lpStream(stream, { maxDataLength: MAX_ENVELOPE_BYTES });
        this.stream = lp;
        stream.addEventListener(
          "close",
          () => {
            if (this.stream !== lp) return;
            if (Date.now() - openedAt >= HEALTHY_MS) this.retryMs = RETRY_INITIAL_MS;
            this.drop(lp, "stream closed");
          },
          { once: true },
        );
        // Synchronously after `stream` is set: later writes queue behind the backlog, none can slip in between.
        void this.write(this.opts.backlog());
      })
      .catch((e: Error) => {
        this.opening = false;
        this.opts.logger.debug("Could not open envelope stream; retrying", {
          peer: this.opts.peerId.toString(),
          retryInMs: this.retryMs,
          reason: e.message,
        });
        this.scheduleRetry();
      });
  }

  /** A new connection to the member opened: try at once instead of waiting out a retry delay. */
  connected(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.ensureOpen();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const lp = this.stream;
    this.stream = null;
    if (lp !== null)
      void this.tail.then(() =>
        lp
          .unwrap()
          .close()
          .catch(() => lp.unwrap().abort(new Error("closed"))),
      );
  }

  private drop(lp: LengthPrefixedStream<Stream>, reason: string): void {
    if (this.stream !== lp) return;
    this.stream = null;
    const stream = lp.unwrap();
    if (stream.status === "open") stream.abort(new Error(reason));
    this.scheduleRetry();
  }

  /** Try again later while connected (a new connection also calls `ensureOpen`); the delay doubles up to 5 s. */
  private scheduleRetry(): void {
    if (this.stopped || this.retryTimer !== undefined) return;
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.ensureOpen();
    }, delay);
  }
}
