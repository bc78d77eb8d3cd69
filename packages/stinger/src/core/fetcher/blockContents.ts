import type { Root, Slot } from "@lodestar/types";
import type { BlobsBundle, BlockContentsStore } from "../interfaces.ts";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/**
 * The blobs this operator's beacon node returned with the blocks it produced, by block root, for the few slots a
 * proposal lives (the pipeline prunes it with the broadcaster). One entry per fetched block: a proposer duty fetches
 * once per slot, so this holds at most a few blocks' blobs.
 */
export class FetchedBlockContents implements BlockContentsStore {
  private readonly byRoot = new Map<string, { slot: Slot; bundle: BlobsBundle }>();

  put(slot: Slot, blockRoot: Root, bundle: BlobsBundle): void {
    this.byRoot.set(hex(blockRoot), { slot, bundle });
  }

  get(blockRoot: Root): BlobsBundle | undefined {
    return this.byRoot.get(hex(blockRoot))?.bundle;
  }

  prune(slot: Slot): void {
    for (const [root, e] of this.byRoot) if (e.slot < slot) this.byRoot.delete(root);
  }
}
