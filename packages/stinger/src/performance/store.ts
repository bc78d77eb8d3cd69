import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { PerformanceStatement } from "@nektar/crypto";
import { writeFileAtomic } from "../storage/atomicFile.ts";
import { FrameCounters } from "./counters.ts";
import { PerformanceError } from "./errors.ts";

/** A statement with the validator key's combined signature over it (96 bytes, compressed). */
export type SignedPerformanceStatement = {
  readonly statement: PerformanceStatement;
  readonly signature: Uint8Array;
};

type SignedJson = {
  chainId: string;
  oracle: `0x${string}`;
  validatorPubkey: string;
  frame: string;
  expected: number[];
  contributed: number[];
  signature: string;
};

const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString("hex")}`;
const bytes = (h: string) => Uint8Array.from(Buffer.from(h.replace(/^0x/, ""), "hex"));

/**
 * This member's performance records on disk, under `<dataDir>/performance/`, every file written atomically (temporary
 * file, fsync, rename, fsync of the directory): a crash leaves the previous or the new version, never half a file.
 *
 * - `frames/<frame>.json`: the frame's counters ({@link FrameCounters}), rewritten as the frame goes on.
 * - `signed/<frame>.json`: per validator pubkey, the statement root this member's key share signed for the frame —
 *   written **before** the partial signatures leave the node, so after a restart it never signs a second, different
 *   statement for the same frame (what makes the cluster's signed statement unique). One write per batch.
 * - `statements/<frame>.json`: per validator pubkey, the combined, verified statement and its signature.
 */
export class PerformanceStore {
  private readonly dir: string;

  /** @param cluster a subdirectory per cluster when one data dir serves several clusters. */
  constructor(dataDir: string, cluster?: string) {
    this.dir = cluster === undefined ? join(dataDir, "performance") : join(dataDir, "performance", cluster);
    for (const sub of ["frames", "signed", "statements"]) mkdirSync(join(this.dir, sub), { recursive: true });
  }

  private readJson(path: string): unknown {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw e;
    }
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new PerformanceError({ code: "ERR_PERFORMANCE_STORE_CORRUPT", path, reason: (e as Error).message });
    }
  }

  /** The frame's counters as last saved, or undefined. */
  loadFrame(frame: number): FrameCounters | undefined {
    const path = join(this.dir, "frames", `${frame}.json`);
    const json = this.readJson(path);
    if (json === undefined) return undefined;
    try {
      return FrameCounters.fromJson(json);
    } catch (e) {
      throw new PerformanceError({ code: "ERR_PERFORMANCE_STORE_CORRUPT", path, reason: (e as Error).message });
    }
  }

  saveFrame(counters: FrameCounters): void {
    writeFileAtomic(join(this.dir, "frames", `${counters.frame}.json`), JSON.stringify(counters.toJson()));
  }

  /** Frames with saved counters, ascending. */
  frames(): number[] {
    return readdirSync(join(this.dir, "frames"))
      .filter((f) => /^\d+\.json$/.test(f))
      .map((f) => Number(f.slice(0, -5)))
      .sort((a, b) => a - b);
  }

  /** Deletes the counters of frames below `frame` (their statements are kept). */
  pruneFrames(frame: number): void {
    for (const f of this.frames()) if (f < frame) rmSync(join(this.dir, "frames", `${f}.json`), { force: true });
  }

  private readMap<T>(path: string): Record<string, T> {
    const json = this.readJson(path);
    if (json === undefined) return {};
    if (typeof json !== "object" || json === null || Array.isArray(json)) {
      throw new PerformanceError({ code: "ERR_PERFORMANCE_STORE_CORRUPT", path, reason: "not an object" });
    }
    return json as Record<string, T>;
  }

  private signedPath(frame: number): string {
    return join(this.dir, "signed", `${frame}.json`);
  }

  /**
   * Records that this member signs `statementRoot` for each (validator, `frame`) of `entries`, in one atomic write.
   * Signing the same root again is allowed (a retransmission); if any validator already has a different root, it
   * throws `ERR_PERFORMANCE_ALREADY_SIGNED` and nothing is written.
   */
  recordSignings(frame: number, entries: readonly { validatorPubkey: Uint8Array; statementRoot: Uint8Array }[]): void {
    const path = this.signedPath(frame);
    const signed = this.readMap<string>(path);
    let changed = false;
    for (const { validatorPubkey, statementRoot } of entries) {
      const key = hex(validatorPubkey);
      const previous = signed[key];
      if (previous === hex(statementRoot)) continue;
      if (previous !== undefined) {
        throw new PerformanceError({
          code: "ERR_PERFORMANCE_ALREADY_SIGNED",
          validator: key,
          frame,
          signedRoot: previous,
        });
      }
      signed[key] = hex(statementRoot);
      changed = true;
    }
    if (changed) writeFileAtomic(path, JSON.stringify(signed));
  }

  /** {@link recordSignings} for one validator. */
  recordSigning(validatorPubkey: Uint8Array, frame: number, statementRoot: Uint8Array): void {
    this.recordSignings(frame, [{ validatorPubkey, statementRoot }]);
  }

  /** Every statement root this member signed for `frame`: validator pubkey hex (no 0x) → root hex (no 0x). */
  signedRoots(frame: number): Map<string, string> {
    const signed = this.readMap<string>(this.signedPath(frame));
    return new Map(Object.entries(signed).map(([k, r]) => [k.replace(/^0x/, ""), r.replace(/^0x/, "")]));
  }

  /** The root this member signed for (validator, frame), if any. */
  signedRoot(validatorPubkey: Uint8Array, frame: number): Uint8Array | undefined {
    const root = this.readMap<string>(this.signedPath(frame))[hex(validatorPubkey)];
    return root === undefined ? undefined : bytes(root);
  }

  private statementsPath(frame: number): string {
    return join(this.dir, "statements", `${frame}.json`);
  }

  /** Saves combined statements of one frame (one atomic write for the batch). */
  saveStatements(frame: number, statements: readonly SignedPerformanceStatement[]): void {
    const path = this.statementsPath(frame);
    const all = this.readMap<SignedJson>(path);
    for (const s of statements) all[hex(s.statement.validatorPubkey)] = toJson(s);
    writeFileAtomic(path, JSON.stringify(all));
  }

  saveStatement(s: SignedPerformanceStatement): void {
    this.saveStatements(Number(s.statement.frame), [s]);
  }

  /** Frames with saved statements, ascending. */
  statementFrames(): number[] {
    return readdirSync(join(this.dir, "statements"))
      .filter((f) => /^\d+\.json$/.test(f))
      .map((f) => Number(f.slice(0, -5)))
      .sort((a, b) => a - b);
  }

  /** Every saved statement of `frame`. */
  loadStatements(frame: number): SignedPerformanceStatement[] {
    return Object.values(this.readMap<SignedJson>(this.statementsPath(frame))).map(fromJson);
  }

  loadStatement(validatorPubkey: Uint8Array, frame: number): SignedPerformanceStatement | undefined {
    const json = this.readMap<SignedJson>(this.statementsPath(frame))[hex(validatorPubkey)];
    return json === undefined ? undefined : fromJson(json);
  }
}

function toJson(s: SignedPerformanceStatement): SignedJson {
  const { statement: st } = s;
  return {
    chainId: BigInt(st.chainId).toString(),
    oracle: st.oracle,
    validatorPubkey: hex(st.validatorPubkey),
    frame: BigInt(st.frame).toString(),
    expected: [...st.expected],
    contributed: [...st.contributed],
    signature: hex(s.signature),
  };
}

function fromJson(json: SignedJson): SignedPerformanceStatement {
  return {
    statement: {
      chainId: BigInt(json.chainId),
      oracle: json.oracle,
      validatorPubkey: bytes(json.validatorPubkey),
      frame: BigInt(json.frame),
      expected: json.expected,
      contributed: json.contributed,
    },
    signature: bytes(json.signature),
  };
}
