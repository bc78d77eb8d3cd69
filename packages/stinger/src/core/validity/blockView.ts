import type { Slot } from "@lodestar/types";

/** What this operator's beacon node says about a block root (`/eth/v1/beacon/headers/{root}`). */
export type KnownBlock = { readonly slot: Slot; readonly canonical: boolean };

/** Looks a block root up on this operator's beacon node; `undefined` when it does not know the block (404). */
export type BlockLookup = (root: Uint8Array) => Promise<KnownBlock | undefined>;

/** A root this node's beacon node did not know after the bounded wait. */
export const ABSENT = "absent";

type Entry = { readonly addedAt: Slot; state: KnownBlock | typeof ABSENT | Promise<void> };

export type BlockViewOptions = {
  lookup: BlockLookup;
  /** How long a proposal waits for this node's beacon node to import a block it refers to. */
  waitMs: number;
  /** Between two lookups of a root not known yet. */
  pollMs?: number;
};

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/**
 * This operator's beacon node's view of block roots that proposals refer to (an attestation's head, a sync committee
 * root). The validity rules are synchronous; a root not seen yet is looked up once in the background — polled until
 * the beacon node knows it or `waitMs` passes (a leader's head may be a few ms ahead of this node's) — and the
 * proposal is judged again when the lookup settles. What was learnt is kept until pruned with its slot.
 */
export class BlockView {
  private readonly o: Required<BlockViewOptions>;
  private readonly entries = new Map<string, Entry>();

  constructor(opts: BlockViewOptions) {
    this.o = { pollMs: 100, ...opts };
  }

  /** What is known of `root`: the block, {@link ABSENT}, or `undefined` while unknown (see {@link learn}). */
  get(root: Uint8Array): KnownBlock | typeof ABSENT | undefined {
    const state = this.entries.get(hex(root))?.state;
    return state instanceof Promise ? undefined : state;
  }

  /** Records a block this node's beacon node reported itself (its head: canonical by definition). */
  remember(root: Uint8Array, block: KnownBlock, slot: Slot): void {
    this.entries.set(hex(root), { addedAt: slot, state: block });
  }

  /** Starts (or joins) the bounded lookup of `root`; settles when it is known or given up as {@link ABSENT}. */
  learn(root: Uint8Array, slot: Slot): Promise<void> {
    const key = hex(root);
    const existing = this.entries.get(key);
    if (existing !== undefined) return existing.state instanceof Promise ? existing.state : Promise.resolve();
    const entry: Entry = { addedAt: slot, state: Promise.resolve() };
    entry.state = this.poll(root).then((found) => {
      entry.state = found ?? ABSENT;
    });
    this.entries.set(key, entry);
    return entry.state;
  }

  prune(slot: Slot): void {
    for (const [key, e] of this.entries)
      if (e.addedAt < slot && !(e.state instanceof Promise)) this.entries.delete(key);
  }

  private async poll(root: Uint8Array): Promise<KnownBlock | undefined> {
    const deadline = Date.now() + this.o.waitMs;
    for (;;) {
      try {
        const found = await this.o.lookup(root);
        if (found !== undefined) return found;
      } catch {
        // An unreachable beacon node knows nothing; keep asking until the deadline.
      }
      const left = deadline - Date.now();
      if (left <= 0) return undefined;
      await new Promise((r) => setTimeout(r, Math.min(this.o.pollMs, left)));
    }
  }
}
