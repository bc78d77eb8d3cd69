import { createHash } from "node:crypto";
import type { AddressInfo } from "node:net";
import { SecretKey } from "@chainsafe/blst";
import { type BuilderApiMethods, registerRoutes } from "@lodestar/api/builder/server";
import { ApiError } from "@lodestar/api/server";
import type { BeaconConfig } from "@lodestar/config";
import { DOMAIN_BEACON_PROPOSER, ForkSeq } from "@lodestar/params";
import { computeSigningRoot, executionPayloadToPayloadHeader } from "@lodestar/state-transition";
import type { electra } from "@lodestar/types";
import { ssz } from "@lodestar/types";
import { toRootHex } from "@lodestar/utils";
import fastify, { type FastifyInstance } from "fastify";
import type { BlobBundle } from "../blobs/blobs.ts";
import { parseReceivedPublicKey, verifyReceivedSignature } from "../pool/signature.ts";
import { BUILDER_EXTRA_DATA } from "./marker.ts";
import { acceptRegistrations, builderDomain, RegistrationBook } from "./registrations.ts";

/**
 * What the builder builds on: the execution payload the chain expects at `slot` on top of the execution block
 * `parentHash` (timestamp, randao, withdrawals — a real builder learns them from `payload_attributes` events) and the
 * execution requests the block carries; null when `parentHash` is not the head's.
 */
export type BuilderPayloadSource = (
  slot: number,
  parentHash: Uint8Array,
) => { payload: electra.ExecutionPayload; executionRequests: electra.ExecutionRequests } | null;

export type LocalBuilderOptions = {
  config: BeaconConfig;
  payloadSource: BuilderPayloadSource;
  /** Value of every bid in wei (default 0.01 ETH): what the builder promises the registered fee recipient. */
  bidValueWei?: bigint;
  /** The builder's BLS key (default: derived from a fixed devnet seed). */
  secretKey?: SecretKey;
  /** Unix seconds (registrations from the future are refused). */
  nowSec?: () => number;
  /**
   * The blobs a payload of `slot` carries (the devnet's stand-in for blob transactions; default none): their KZG
   * commitments go into the bid, and the blobs with their proofs come back with the revealed payload.
   */
  blobs?: (slot: number) => BlobBundle;
};

const NO_BLOBS: BlobBundle = { commitments: [], blobs: [], proofs: [] };

const DEFAULT_BID_WEI = 10n ** 16n;
const DEFAULT_BUILDER_SEED = createHash("sha256").update("nektar-devnet-local-builder").digest();

/**
 * A small MEV-boost style builder for the devnet, speaking the builder API (`registerValidator`, `getHeader`,
 * `submitBlindedBlock`): it keeps the latest verified registration per validator, bids on a slot only for a registered
 * proposer with a payload that pays the registration's fee recipient (gas limit from the registration), and reveals
 * the payload only for a blinded block signed by that proposer over one of its headers.
 */
export class LocalBuilder {
  readonly config: BeaconConfig;
  readonly registrations = new RegistrationBook();
  readonly pubkey: Uint8Array;
  bidValueWei: bigint;
  /** Test hook: milliseconds every `getHeader` waits before answering (a slow builder). */
  headerDelayMs = 0;
  /** Bids made and payloads revealed (status screens, tests). */
  readonly counters = { bids: 0, revealed: 0 };
  private readonly secretKey: SecretKey;
  private readonly payloadSource: BuilderPayloadSource;
  private readonly nowSec: () => number;
  /** Payloads bid on, by block hash, with the proposer they were offered to. */
  private readonly offered = new Map<
    string,
    { slot: number; proposer: Uint8Array; payload: electra.ExecutionPayload; blobs: BlobBundle }
  >();
  private readonly blobsOf: (slot: number) => BlobBundle;

  constructor(opts: LocalBuilderOptions) {
    this.config = opts.config;
    this.payloadSource = opts.payloadSource;
    this.bidValueWei = opts.bidValueWei ?? DEFAULT_BID_WEI;
    this.secretKey = opts.secretKey ?? SecretKey.fromKeygen(DEFAULT_BUILDER_SEED);
    this.pubkey = this.secretKey.toPublicKey().toBytes();
    this.nowSec = opts.nowSec ?? (() => Math.floor(Date.now() / 1000));
    this.blobsOf = opts.blobs ?? (() => NO_BLOBS);
  }

  /** The builder API methods (served by {@link startLocalBuilder}, or called directly in tests). */
  methods(): BuilderApiMethods {
    return {
      status: async () => ({}) as never,
      registerValidator: async ({ registrations }) => {
        const failures = acceptRegistrations(this.config, this.registrations, registrations, this.nowSec());
        if (failures.length > 0) throw new ApiError(400, `Some registrations are invalid: ${failures.join("; ")}`);
      },
      getHeader: async ({ slot, parentHash, proposerPubkey }) => {
        if (this.headerDelayMs > 0) await new Promise((r) => setTimeout(r, this.headerDelayMs));
        const bid = this.bid(slot, parentHash, proposerPubkey);
        if (bid === null) return { status: 204 } as never;
        return { data: bid, meta: { version: this.config.getForkName(slot) } };
      },
      submitBlindedBlock: async ({ signedBlindedBlock }) => {
        const { payload, blobs } = this.revealContents(signedBlindedBlock.data as electra.SignedBlindedBeaconBlock);
        return {
          data: {
            executionPayload: payload,
            blobsBundle: { commitments: blobs.commitments, proofs: blobs.proofs, blobs: blobs.blobs },
          },
          meta: { version: this.config.getForkName(signedBlindedBlock.data.message.slot) },
        } as never;
      },
      submitBlindedBlockV2: async ({ signedBlindedBlock }) => {
        this.reveal(signedBlindedBlock.data as electra.SignedBlindedBeaconBlock);
      },
    };
  }

  /** A signed bid for `slot` on `parentHash` for a registered proposer, or null (not registered, unknown parent). */
  bid(slot: number, parentHash: Uint8Array, proposerPubkey: Uint8Array): electra.SignedBuilderBid | null {
    const registration = this.registrations.get(proposerPubkey);
    if (registration === undefined) return null;
    const source = this.payloadSource(slot, parentHash);
    if (source === null) return null;
    const payload = ssz.electra.ExecutionPayload.clone(source.payload);
    payload.feeRecipient = registration.feeRecipient;
    payload.gasLimit = registration.gasLimit;
    payload.extraData = BUILDER_EXTRA_DATA;
    const slotBytes = Buffer.alloc(8);
    slotBytes.writeBigUInt64LE(BigInt(slot));
    payload.blockHash = new Uint8Array(
      createHash("sha256").update(payload.parentHash).update(slotBytes).update(BUILDER_EXTRA_DATA).digest(),
    );
    const blobs = this.blobsOf(slot);
    this.offered.set(toRootHex(payload.blockHash), { slot, proposer: proposerPubkey, payload, blobs });
    for (const [hash, o] of this.offered) if (o.slot < slot - 32) this.offered.delete(hash);
    const message: electra.BuilderBid = {
      header: executionPayloadToPayloadHeader(ForkSeq.electra, payload) as electra.ExecutionPayloadHeader,
      blobKzgCommitments: blobs.commitments,
      executionRequests: source.executionRequests,
      value: this.bidValueWei,
      pubkey: this.pubkey,
    };
    const signingRoot = computeSigningRoot(ssz.electra.BuilderBid, message, builderDomain(this.config));
    this.counters.bids++;
    return { message, signature: this.secretKey.sign(signingRoot).toBytes() };
  }

  /**
   * The full payload of a blinded block built on one of this builder's headers, once the proposer it was offered to
   * signed the block (a relay never reveals a payload before the proposer committed to it).
   */
  reveal(signed: electra.SignedBlindedBeaconBlock): electra.ExecutionPayload {
    return this.revealContents(signed).payload;
  }

  /** {@link reveal} with the blobs the bid committed to (their commitments are in the signed block). */
  revealContents(signed: electra.SignedBlindedBeaconBlock): { payload: electra.ExecutionPayload; blobs: BlobBundle } {
    const header = signed.message.body.executionPayloadHeader;
    const offer = this.offered.get(toRootHex(header.blockHash));
    if (offer === undefined) throw new ApiError(400, "Unknown payload: this builder made no bid with that block hash");
    const offeredHeader = executionPayloadToPayloadHeader(ForkSeq.electra, offer.payload);
    if (
      !Buffer.from(
        ssz.electra.ExecutionPayloadHeader.hashTreeRoot(offeredHeader as electra.ExecutionPayloadHeader),
      ).equals(ssz.electra.ExecutionPayloadHeader.hashTreeRoot(header))
    ) {
      throw new ApiError(400, "The blinded block's header differs from the header this builder bid");
    }
    const domain = this.config.getDomain(signed.message.slot, DOMAIN_BEACON_PROPOSER);
    const root = computeSigningRoot(ssz.electra.BlindedBeaconBlock, signed.message, domain);
    const pubkey = parseReceivedPublicKey(offer.proposer);
    if (pubkey === null || !verifyReceivedSignature(root, [pubkey], signed.signature)) {
      throw new ApiError(400, "The blinded block is not signed by the proposer the bid was made to");
    }
    this.counters.revealed++;
    return { payload: offer.payload, blobs: offer.blobs };
  }
}

export type RunningBuilder = {
  /** Builder API base URL, e.g. http://127.0.0.1:18550 */
  url: string;
  builder: LocalBuilder;
  server: FastifyInstance;
  stop(): Promise<void>;
};

/** Serve a {@link LocalBuilder} over HTTP (builder API) on `host:port` (port 0: a free one). */
export async function startLocalBuilder(
  opts: LocalBuilderOptions & { host?: string; port?: number },
): Promise<RunningBuilder> {
  const builder = new LocalBuilder(opts);
  const server = fastify({ logger: false, bodyLimit: 20 * 1024 * 1024 });
  server.addContentTypeParser("application/octet-stream", { parseAs: "buffer" }, (_req, body, done) =>
    done(null, body),
  );
  server.setErrorHandler((err: unknown, _req, reply) => {
    const e = err as { statusCode?: number; message?: string };
    const status = err instanceof ApiError ? err.statusCode : typeof e.statusCode === "number" ? e.statusCode : 500;
    void reply.status(status).send({ code: status, message: e.message ?? String(err) });
  });
  registerRoutes(server, opts.config, builder.methods());
  const host = opts.host ?? "127.0.0.1";
  await server.listen({ host, port: opts.port ?? 0 });
  const address = server.server.address() as AddressInfo;
  let stopped = false;
  return {
    url: `http://${host}:${address.port}`,
    builder,
    server,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.close();
    },
  };
}
