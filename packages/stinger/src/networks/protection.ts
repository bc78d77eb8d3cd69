import { readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../storage/atomicFile.ts";
import { NetworkModuleError } from "./errors.ts";

export const NETWORK_PROTECTION_FILE = "signed-statements.json";

/** How many past epochs keep their full record; older ones are folded into the watermark. */
const DEFAULT_RETAIN = 1024n;

type ProtectionFile = { version: 1; watermark: string; signed: Record<string, string> };

/**
 * A Network module's own slashing protection: one signing root per epoch. Before a signature leaves the module, the
 * root is recorded durably (atomic, fsynced write); a request for another root in a recorded epoch, or for an epoch
 * at or below the watermark (records pruned away), is refused — across restarts, since the file is read back.
 */
export class StatementProtection {
  readonly #path: string;
  readonly #module: string;
  readonly #retain: bigint;
  #watermark: bigint;
  readonly #signed: Map<bigint, string>;

  private constructor(path: string, module: string, retain: bigint, watermark: bigint, signed: Map<bigint, string>) {
    this.#path = path;
    this.#module = module;
    this.#retain = retain;
    this.#watermark = watermark;
    this.#signed = signed;
  }

  /** Opens (or starts) the store in `dir`. */
  static open(dir: string, module: string, opts: { retain?: bigint } = {}): StatementProtection {
    const path = join(dir, NETWORK_PROTECTION_FILE);
    let text: string | undefined;
    try {
      text = readFileSync(path, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
    const signed = new Map<bigint, string>();
    let watermark = -1n;
    if (text !== undefined) {
      try {
        const file = JSON.parse(text) as ProtectionFile;
        if (file.version !== 1) throw new Error(`version ${String(file.version)}`);
        watermark = BigInt(file.watermark);
        for (const [epoch, root] of Object.entries(file.signed)) {
          if (!/^0x[0-9a-f]{64}$/.test(root)) throw new Error(`bad root at epoch ${epoch}`);
          signed.set(BigInt(epoch), root);
        }
      } catch (e) {
        // Never start empty over a damaged file: that would forget what was signed.
        throw new NetworkModuleError({ code: "ERR_NETWORK_PROTECTION_CORRUPT", path, reason: (e as Error).message });
      }
    }
    return new StatementProtection(path, module, opts.retain ?? DEFAULT_RETAIN, watermark, signed);
  }

  /**
   * Records that `root` (0x, 32 bytes) is signed for `epoch`, or throws when that would conflict. Signing the same
   * root again is allowed (a restart re-broadcasts).
   */
  check(epoch: bigint, root: `0x${string}`): void {
    const normalized = root.toLowerCase();
    const existing = this.#signed.get(epoch);
    if (existing !== undefined) {
      if (existing === normalized) return;
      throw new NetworkModuleError({
        code: "ERR_NETWORK_CONFLICTING_SIGNATURE",
        module: this.#module,
        epoch: epoch.toString(),
        signed: existing,
        requested: normalized,
      });
    }
    if (epoch <= this.#watermark) {
      throw new NetworkModuleError({
        code: "ERR_NETWORK_EPOCH_BELOW_WATERMARK",
        module: this.#module,
        epoch: epoch.toString(),
        watermark: this.#watermark.toString(),
      });
    }
    this.#signed.set(epoch, normalized);
    this.#prune(epoch);
    this.#persist();
  }

  /** The root signed for `epoch`, if any. */
  signedRoot(epoch: bigint): string | undefined {
    return this.#signed.get(epoch);
  }

  #prune(latest: bigint): void {
    const floor = latest - this.#retain;
    for (const epoch of this.#signed.keys()) {
      if (epoch < floor) {
        this.#signed.delete(epoch);
        if (epoch > this.#watermark) this.#watermark = epoch;
      }
    }
  }

  #persist(): void {
    const signed: Record<string, string> = {};
    for (const [epoch, root] of [...this.#signed].sort((a, b) => (a[0] < b[0] ? -1 : 1)))
      signed[epoch.toString()] = root;
    const file: ProtectionFile = { version: 1, watermark: this.#watermark.toString(), signed };
    writeFileAtomic(this.#path, `${JSON.stringify(file)}\n`, { mode: 0o600 });
  }
}
