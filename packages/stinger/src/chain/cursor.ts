import { mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { writeFileAtomic } from "../storage/atomicFile.ts";
import { ChainError } from "./errors.ts";

/** Position in the registry's event stream: a log is identified by (block, log index). */
export type LogPosition = { blockNumber: bigint; logIndex: number };

type CursorState = {
  /** Chain and registry the cursor belongs to; a cursor is never reused across them. */
  scope: string;
  /** First block not fully scanned yet. */
  nextBlock: bigint;
  /** Last request event fully handled inside `nextBlock..` (events at or before it are not handled again). */
  lastHandled: LogPosition | null;
};

/**
 * The watcher's persisted progress, written atomically after every handled request and every scanned range, so a
 * restarted node neither misses a request (it resumes at the first unscanned block) nor runs one twice (events at
 * or before `lastHandled` are skipped).
 */
export class RequestCursor {
  private readonly path: string;
  private state: CursorState;

  private constructor(path: string, state: CursorState) {
    this.path = path;
    this.state = state;
  }

  /** Load the cursor at `path`, or start one at `startBlock` for `scope` (`<chainId>:<registry>`). */
  static open(path: string, scope: string, startBlock: bigint): RequestCursor {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") {
        throw new ChainError({ code: "ERR_CHAIN_CURSOR_INVALID", path, reason: (e as Error).message });
      }
      mkdirSync(dirname(path), { recursive: true });
      const cursor = new RequestCursor(path, { scope, nextBlock: startBlock, lastHandled: null });
      cursor.save();
      return cursor;
    }
    const state = parseCursor(text, path);
    if (state.scope !== scope) {
      throw new ChainError({ code: "ERR_CHAIN_CURSOR_MISMATCH", path, expected: scope, found: state.scope });
    }
    return new RequestCursor(path, state);
  }

  get nextBlock(): bigint {
    return this.state.nextBlock;
  }

  /** Whether the event at `pos` was already handled (or lies before the scanned range). */
  isHandled(pos: LogPosition): boolean {
    if (pos.blockNumber < this.state.nextBlock) return true;
    const last = this.state.lastHandled;
    if (last === null) return false;
    return (
      pos.blockNumber < last.blockNumber || (pos.blockNumber === last.blockNumber && pos.logIndex <= last.logIndex)
    );
  }

  markHandled(pos: LogPosition): void {
    this.state = { ...this.state, lastHandled: pos };
    this.save();
  }

  /** Every event up to and including block `block` has been handled. */
  markScanned(block: bigint): void {
    if (block + 1n <= this.state.nextBlock) return;
    const last = this.state.lastHandled;
    this.state = {
      ...this.state,
      nextBlock: block + 1n,
      lastHandled: last !== null && last.blockNumber > block ? last : null,
    };
    this.save();
  }

  private save(): void {
    const s = this.state;
    const json = {
      version: 1,
      scope: s.scope,
      nextBlock: s.nextBlock.toString(),
      lastHandled:
        s.lastHandled === null
          ? null
          : { blockNumber: s.lastHandled.blockNumber.toString(), logIndex: s.lastHandled.logIndex },
    };
    writeFileAtomic(this.path, `${JSON.stringify(json, null, 2)}\n`);
  }
}

function parseCursor(text: string, path: string): CursorState {
  const fail = (reason: string): never => {
    throw new ChainError({ code: "ERR_CHAIN_CURSOR_INVALID", path, reason });
  };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return fail((e as Error).message);
  }
  const r = raw as Record<string, unknown>;
  if (typeof r !== "object" || r === null || r.version !== 1) fail("version must be 1");
  if (typeof r.scope !== "string") fail("scope must be a string");
  const block = (v: unknown, name: string): bigint =>
    typeof v === "string" && /^(0|[1-9][0-9]{0,19})$/.test(v) ? BigInt(v) : fail(`${name} must be a decimal string`);
  const nextBlock = block(r.nextBlock, "nextBlock");
  let lastHandled: LogPosition | null = null;
  if (r.lastHandled !== null) {
    const l = r.lastHandled as Record<string, unknown>;
    if (typeof l !== "object" || l === null) fail("lastHandled must be an object or null");
    if (typeof l.logIndex !== "number" || !Number.isSafeInteger(l.logIndex) || l.logIndex < 0) {
      fail("lastHandled.logIndex must be a non-negative integer");
    }
    lastHandled = { blockNumber: block(l.blockNumber, "lastHandled.blockNumber"), logIndex: l.logIndex as number };
  }
  return { scope: r.scope as string, nextBlock, lastHandled };
}
