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
 * - `signed/<frame>-<validator pubkey>.json`: the statement root this member's key share signed for the validator and
 *   frame — written **before** the partial signature leaves the node, so after a restart it never signs a second,
 *   different statement for the same frame (what makes the cluster's signed statement unique).
 * - `statements/<frame>-<validator pubkey>.json`: the combined, verified statement.
 */
export class PerformanceStore {
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, "performance");
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

  /**
   * Records that this member signs `statementRoot` for (validator, frame). Signing the same root again is allowed
   * (a retransmission); a different root throws `ERR_PERFORMANCE_ALREADY_SIGNED` and nothing is written.
   */
  recordSigning(validatorPubkey: Uint8Array, frame: number, statementRoot: Uint8Array): void {
    const path = join(this.dir, "signed", `${frame}-${hex(validatorPubkey)}.json`);
    const previous = this.readJson(path) as { statementRoot?: string } | undefined;
    if (previous !== undefined) {
      if (previous.statementRoot === hex(statementRoot)) return;
      throw new PerformanceError({
        code: "ERR_PERFORMANCE_ALREADY_SIGNED",
        validator: hex(validatorPubkey),
        frame,
        signedRoot: String(previous.statementRoot),
      });
    }
    writeFileAtomic(path, JSON.stringify({ statementRoot: hex(statementRoot) }), { exclusive: true });
  }

  /** The root this member signed for (validator, frame), if any. */
  signedRoot(validatorPubkey: Uint8Array, frame: number): Uint8Array | undefined {
    const json = this.readJson(join(this.dir, "signed", `${frame}-${hex(validatorPubkey)}.json`)) as
      | { statementRoot: string }
      | undefined;
    return json === undefined ? undefined : bytes(json.statementRoot);
  }

  saveStatement(s: SignedPerformanceStatement): void {
    const { statement: st } = s;
    const json: SignedJson = {
      chainId: BigInt(st.chainId).toString(),
      oracle: st.oracle,
      validatorPubkey: hex(st.validatorPubkey),
      frame: BigInt(st.frame).toString(),
      expected: [...st.expected],
      contributed: [...st.contributed],
      signature: hex(s.signature),
    };
    writeFileAtomic(join(this.dir, "statements", `${st.frame}-${hex(st.validatorPubkey)}.json`), JSON.stringify(json));
  }

  loadStatement(validatorPubkey: Uint8Array, frame: number): SignedPerformanceStatement | undefined {
    const json = this.readJson(join(this.dir, "statements", `${frame}-${hex(validatorPubkey)}.json`)) as
      | SignedJson
      | undefined;
    if (json === undefined) return undefined;
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
}
