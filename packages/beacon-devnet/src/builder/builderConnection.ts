import { type ApiClient, getClient } from "@lodestar/api/builder";
import type { BeaconConfig } from "@lodestar/config";
import { ForkSeq } from "@lodestar/params";
import { computeSigningRoot, executionPayloadToPayloadHeader } from "@lodestar/state-transition";
import type { bellatrix, deneb, electra } from "@lodestar/types";
import { ssz } from "@lodestar/types";
import type { Logger } from "pino";
import type { BlobBundle } from "../blobs/blobs.ts";
import { parseReceivedPublicKey, verifyReceivedSignature } from "../pool/signature.ts";
import { builderDomain } from "./registrations.ts";

export type BuilderConnectionOptions = {
  /** Builder API base URL (the devnet's local builder, or any relay/mev-boost speaking the builder API). */
  url: string;
  config: BeaconConfig;
  logger: Logger;
  /** Longest wait for a bid; past it the beacon node proposes its local payload (default 500 ms). */
  headerTimeoutMs?: number;
  /** Longest wait for the builder to reveal a payload (default 2 s). */
  revealTimeoutMs?: number;
  /** Accept bids only from this builder public key (default: any key whose signature verifies). */
  builderPubkey?: Uint8Array;
};

/** What became of the builder flow so far (status screens, tests). */
export type BuilderStats = {
  /** Valid bids received. */
  bids: number;
  /** `getHeader` calls that gave no usable bid (down, slow, no registration, invalid bid). */
  noBid: number;
  /** Blinded blocks unblinded and imported. */
  unblinded: number;
  lastError?: string;
};

/**
 * The beacon node's side of the builder API: forwards registrations, asks for a header with a bounded wait (a builder
 * that is down or slow costs at most `headerTimeoutMs`, then the local payload is proposed) and checks each bid
 * (parent hash, builder signature under the builder domain) before it may replace the local payload.
 */
export class BuilderConnection {
  readonly url: string;
  readonly stats: BuilderStats = { bids: 0, noBid: 0, unblinded: 0 };
  private readonly api: ApiClient;
  private readonly config: BeaconConfig;
  private readonly logger: Logger;
  private readonly headerTimeoutMs: number;
  private readonly revealTimeoutMs: number;
  private readonly builderPubkey: Uint8Array | undefined;

  constructor(opts: BuilderConnectionOptions) {
    this.url = opts.url;
    this.config = opts.config;
    this.logger = opts.logger;
    this.headerTimeoutMs = opts.headerTimeoutMs ?? 500;
    this.revealTimeoutMs = opts.revealTimeoutMs ?? 2000;
    this.builderPubkey = opts.builderPubkey;
    this.api = getClient(
      { baseUrl: opts.url, globalInit: { retries: 0, timeoutMs: this.revealTimeoutMs } },
      { config: opts.config },
    );
  }

  /** Forwards verified registrations; a builder that is down only costs a log line (the next epoch resends). */
  async registerValidators(registrations: bellatrix.SignedValidatorRegistrationV1[]): Promise<void> {
    try {
      const res = await this.api.registerValidator({ registrations }, { timeoutMs: this.headerTimeoutMs * 2 });
      if (!res.ok) this.note(`registerValidator: HTTP ${res.status} ${res.error()?.message ?? ""}`);
    } catch (e) {
      this.note(`registerValidator: ${(e as Error).message}`);
    }
  }

  /** A verified bid for the slot, or null when there is none in time (the caller proposes locally). */
  async getBid(
    slot: number,
    parentHash: Uint8Array,
    proposerPubkey: Uint8Array,
  ): Promise<electra.SignedBuilderBid | null> {
    let bid: electra.SignedBuilderBid | undefined;
    try {
      const res = await this.api.getHeader({ slot, parentHash, proposerPubkey }, { timeoutMs: this.headerTimeoutMs });
      if (!res.ok) return this.noBid(`getHeader: HTTP ${res.status} ${res.error()?.message ?? ""}`);
      bid = res.value() as electra.SignedBuilderBid | undefined;
    } catch (e) {
      return this.noBid(`getHeader: ${(e as Error).message}`);
    }
    if (bid === undefined) return this.noBid(null);
    const problem = this.bidProblem(bid, parentHash);
    if (problem !== null) return this.noBid(`invalid bid: ${problem}`);
    this.stats.bids++;
    return bid;
  }

  /**
   * The full payload of a signed blinded block, checked against the block's header, with the blobs the block commits
   * to (one per KZG commitment, in order; their proofs are checked on import). Throws when unavailable.
   */
  async unblind(
    signed: electra.SignedBlindedBeaconBlock,
  ): Promise<{ payload: electra.ExecutionPayload; blobs: BlobBundle }> {
    const res = await this.api.submitBlindedBlock(
      { signedBlindedBlock: { data: signed } },
      { timeoutMs: this.revealTimeoutMs },
    );
    if (!res.ok)
      throw new Error(`builder refused to reveal the payload: HTTP ${res.status} ${res.error()?.message ?? ""}`);
    const value = res.value() as
      | electra.ExecutionPayload
      | { executionPayload: electra.ExecutionPayload; blobsBundle?: deneb.BlobsBundle };
    const payload = "executionPayload" in value ? value.executionPayload : value;
    const bundle = "executionPayload" in value ? value.blobsBundle : undefined;
    const header = executionPayloadToPayloadHeader(ForkSeq.electra, payload) as electra.ExecutionPayloadHeader;
    if (
      !Buffer.from(ssz.electra.ExecutionPayloadHeader.hashTreeRoot(header)).equals(
        ssz.electra.ExecutionPayloadHeader.hashTreeRoot(signed.message.body.executionPayloadHeader),
      )
    ) {
      throw new Error("the builder revealed a payload that does not match the signed header");
    }
    const commitments = signed.message.body.blobKzgCommitments;
    const blobs: BlobBundle = { commitments, blobs: bundle?.blobs ?? [], proofs: bundle?.proofs ?? [] };
    const revealed = bundle?.commitments ?? [];
    if (
      revealed.length !== commitments.length ||
      revealed.some((c, i) => !Buffer.from(c).equals(commitments[i] as Uint8Array))
    )
      throw new Error("the builder revealed blobs for other KZG commitments than the signed block's");
    this.stats.unblinded++;
    return { payload, blobs };
  }

  private bidProblem(bid: electra.SignedBuilderBid, parentHash: Uint8Array): string | null {
    const { message } = bid;
    if (!Buffer.from(message.header.parentHash).equals(parentHash)) return "header builds on another parent hash";
    if (this.builderPubkey !== undefined && !Buffer.from(message.pubkey).equals(this.builderPubkey)) {
      return "bid from an unexpected builder key";
    }
    const pubkey = parseReceivedPublicKey(message.pubkey);
    const root = computeSigningRoot(ssz.electra.BuilderBid, message, builderDomain(this.config));
    if (pubkey === null || !verifyReceivedSignature(root, [pubkey], bid.signature)) return "bad builder signature";
    return null;
  }

  private noBid(reason: string | null): null {
    this.stats.noBid++;
    if (reason !== null) this.note(reason);
    return null;
  }

  private note(reason: string): void {
    this.stats.lastError = reason;
    this.logger.debug({ builder: this.url, reason }, "builder flow: falling back to the local payload");
  }
}
