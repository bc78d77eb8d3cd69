import { mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import {
  attestDkgResult,
  ContractRevertedError,
  getValidatorRequest,
  type NektarContracts,
  type NektarWriteClient,
} from "@nektar/sdk";
import { Counter, type Registry } from "prom-client";
import { type Hex, zeroHash } from "viem";
import type { Logger } from "../logger/logger.ts";
import { writeFileAtomic } from "../storage/atomicFile.ts";
import { ChainError } from "./errors.ts";

export const ATTESTATIONS_FILE = "dkg-attestations.json";
/** Attestations kept on disk; older rounds are long settled on-chain (a request's DKG lasts one `DKG_TIMEOUT`). */
const MAX_RECORDS = 1_024;

/** The digest an operator attests when its ceremony failed: "I was there, I have no result" (see the registry). */
export const NO_RESULT_DIGEST: Hex = zeroHash;

/**
 * One DKG round of a request: the registry restarts a request's DKG clock (`requestedAt`) at each draw, and clears
 * the attestations at each redraw, so `(requestId, requestedAt)` names the round an attestation belongs to.
 */
export type DkgRound = { requestId: bigint; requestedAt: bigint };

type AttestationRecord = { digest: Hex; tx: Hex };

/**
 * What this node attested on-chain, per DKG round, in `<dataDir>/dkg-attestations.json` (written atomically after
 * each attestation), so a restarted node neither attests a round twice nor replaces its result with "no result".
 */
export class AttestationStore {
  private readonly path: string;
  private readonly scope: string;
  private readonly records: Map<string, AttestationRecord>;
  private readonly maxRecords: number;

  private constructor(path: string, scope: string, records: Map<string, AttestationRecord>, maxRecords: number) {
    this.path = path;
    this.scope = scope;
    this.records = records;
    this.maxRecords = maxRecords;
  }

  /** Load the store at `path`, or start an empty one for `scope` (`<chainId>:<registry>`). */
  static open(path: string, scope: string, maxRecords = MAX_RECORDS): AttestationStore {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") {
        throw new ChainError({ code: "ERR_CHAIN_ATTESTATIONS_INVALID", path, reason: (e as Error).message });
      }
      mkdirSync(dirname(path), { recursive: true });
      return new AttestationStore(path, scope, new Map(), maxRecords);
    }
    const fail = (reason: string): never => {
      throw new ChainError({ code: "ERR_CHAIN_ATTESTATIONS_INVALID", path, reason });
    };
    let raw: { version?: unknown; scope?: unknown; rounds?: unknown };
    try {
      raw = JSON.parse(text);
    } catch (e) {
      return fail((e as Error).message);
    }
    if (raw === null || typeof raw !== "object" || raw.version !== 1) fail("version must be 1");
    if (raw.scope !== scope) fail(`it belongs to ${String(raw.scope)}, not ${scope}`);
    const records = new Map<string, AttestationRecord>();
    if (raw.rounds === null || typeof raw.rounds !== "object") fail("rounds must be an object");
    for (const [key, v] of Object.entries(raw.rounds as Record<string, AttestationRecord>)) {
      if (!/^[0-9]+:[0-9]+$/.test(key) || !/^0x[0-9a-f]{64}$/.test(v?.digest) || !/^0x[0-9a-f]{64}$/.test(v?.tx)) {
        fail(`bad record ${key}`);
      }
      records.set(key, { digest: v.digest, tx: v.tx });
    }
    return new AttestationStore(path, scope, records, maxRecords);
  }

  get(round: DkgRound): AttestationRecord | undefined {
    return this.records.get(roundKey(round));
  }

  record(round: DkgRound, digest: Hex, tx: Hex): void {
    const key = roundKey(round);
    this.records.delete(key);
    this.records.set(key, { digest: digest.toLowerCase() as Hex, tx: tx.toLowerCase() as Hex });
    // Insertion order is attestation order: drop the oldest rounds beyond the cap.
    for (const old of this.records.keys()) {
      if (this.records.size <= this.maxRecords) break;
      this.records.delete(old);
    }
    const json = { version: 1, scope: this.scope, rounds: Object.fromEntries(this.records) };
    writeFileAtomic(this.path, `${JSON.stringify(json, null, 2)}\n`);
  }
}

function roundKey(r: DkgRound): string {
  return `${r.requestId}:${r.requestedAt}`;
}

/** What an attempt to attest came to (also counted in `stinger_dkg_attestations_total{outcome}`). */
export type AttestOutcome =
  /** Sent now (`tx`). */
  | { outcome: "attested"; tx: Hex }
  /** On-chain already from an earlier send of this node (e.g. before a restart): nothing sent. */
  | { outcome: "already-attested"; tx: Hex }
  /** The round is over (request completed, expired or redrawn) or this node is no longer in its cluster. */
  | { outcome: "stale"; reason: string }
  /** "No result" after a result was attested: the result stands, nothing sent. */
  | { outcome: "kept-result"; tx: Hex };

export type DkgAttestorOptions = {
  /** The registered DKG-result signer: `attestDkgResult` checks the caller against it. */
  client: NektarWriteClient;
  contracts: Pick<NektarContracts, "operatorRegistry">;
  store: AttestationStore;
  logger: Logger;
  metricsRegistry?: Registry | undefined;
};

/**
 * Attests DKG results on-chain (`attestDkgResult`): the digest a ceremony produced, or `NO_RESULT_DIGEST` when it
 * failed, so that `expireRequest` can tell the operators that were there from the one that stalled the DKG (only
 * operators without an attestation get a strike, and with no attestation at all nobody does). Once per round: the
 * store and the on-chain bitmap are both consulted, a result is never downgraded to "no result" (a "no result" may be
 * upgraded to a result; the registry keeps the latest), and a round that moved on is left alone.
 */
export class DkgAttestor {
  private readonly o: DkgAttestorOptions;
  private readonly counter: Counter<"outcome"> | undefined;

  constructor(o: DkgAttestorOptions) {
    this.o = o;
    this.counter = o.metricsRegistry
      ? new Counter({
          name: "stinger_dkg_attestations_total",
          help: "DKG attestations on-chain: sent with a result or with none (ceremony failed), already sent, stale round, failed",
          labelNames: ["outcome"],
          registers: [o.metricsRegistry],
        })
      : undefined;
  }

  /** What this node attested for `round` (from its store), if anything. */
  recorded(round: DkgRound): { digest: Hex; tx: Hex } | undefined {
    return this.o.store.get(round);
  }

  /** Attest `digest` for `round`, this node sitting at cluster `position` (0-based). Throws only on RPC failures. */
  async attest(round: DkgRound, position: number, digest: Hex): Promise<AttestOutcome> {
    try {
      const out = await this.attestOnce(round, position, digest.toLowerCase() as Hex);
      const label = out.outcome === "attested" ? (digest === NO_RESULT_DIGEST ? "no_result" : "result") : out.outcome;
      this.counter?.inc({ outcome: label.replace("-", "_") });
      return out;
    } catch (e) {
      this.counter?.inc({ outcome: "failed" });
      throw e;
    }
  }

  private async attestOnce(round: DkgRound, position: number, digest: Hex): Promise<AttestOutcome> {
    const { client, contracts, store, logger } = this.o;
    const context = { requestId: round.requestId.toString(), position: position + 1, digest };
    const known = store.get(round);
    if (known !== undefined && known.digest !== NO_RESULT_DIGEST && digest === NO_RESULT_DIGEST) {
      return { outcome: "kept-result", tx: known.tx };
    }
    const r = await getValidatorRequest(client, { contracts, requestId: round.requestId });
    if (r.status !== "requested" || r.requestedAt !== round.requestedAt) {
      return { outcome: "stale", reason: `request ${r.status}, round ${r.requestedAt}` };
    }
    const onChain = ((r.attestedBitmap >> BigInt(position)) & 1n) === 1n;
    if (onChain && known !== undefined && known.digest === digest) return { outcome: "already-attested", tx: known.tx };
    try {
      const sent = await attestDkgResult(client, { contracts, requestId: round.requestId, resultDigest: digest });
      store.record(round, digest, sent.hash);
      if (digest === NO_RESULT_DIGEST) {
        logger.warn("Attested on-chain: present at the DKG, no result (the ceremony failed)", {
          ...context,
          tx: sent.hash,
        });
      } else {
        logger.info("Attested the DKG result on-chain", { ...context, tx: sent.hash });
      }
      return { outcome: "attested", tx: sent.hash };
    } catch (e) {
      // The round ended between the read and the send (completed, expired, redrawn without this node).
      if (
        e instanceof ContractRevertedError &&
        ["InvalidStatus", "NotRequestOperator", "DrawPending"].includes(e.errorName)
      ) {
        return { outcome: "stale", reason: e.errorName };
      }
      throw e;
    }
  }
}
