import { ApiError } from "@lodestar/api/server";
import { type CachedBeaconStateAllForks, processSlots } from "@lodestar/state-transition";
import { toRootHex } from "@lodestar/utils";
import type { BeaconChain } from "../chain/chain.ts";
import type { StoredBlock } from "../chain/types.ts";

const ROOT_RE = /^0x[0-9a-fA-F]{64}$/;
const SLOT_RE = /^\d{1,15}$/;

/** Resolve a Beacon API block id (head, genesis, finalized, justified, slot, 0x root) or answer 400/404. */
export function resolveBlock(chain: BeaconChain, blockId: string | number): StoredBlock {
  const id = String(blockId);
  let block: StoredBlock | undefined;
  if (id === "head") block = chain.head;
  else if (id === "genesis") block = chain.genesisBlock;
  else if (id === "finalized")
    block = chain.getBlockByRoot(toRootHex(chain.finalizedCheckpoint.root)) ?? chain.genesisBlock;
  else if (id === "justified")
    block = chain.getBlockByRoot(toRootHex(chain.justifiedCheckpoint.root)) ?? chain.genesisBlock;
  else if (ROOT_RE.test(id)) block = chain.getBlockByRoot(id.toLowerCase());
  else if (SLOT_RE.test(id)) block = chain.getCanonicalBlockAtSlot(Number(id));
  else
    throw new ApiError(
      400,
      `Invalid block id '${id}': use head, genesis, finalized, justified, a slot or a 0x-prefixed root`,
    );
  if (block === undefined) throw new ApiError(404, `Block ${id} not found`);
  return block;
}

/** Resolve a Beacon API state id; state roots and slots of the canonical chain are supported. */
export function resolveState(
  chain: BeaconChain,
  stateId: string | number,
): { state: CachedBeaconStateAllForks; block: StoredBlock } {
  const id = String(stateId);
  if (ROOT_RE.test(id)) {
    const lower = id.toLowerCase();
    const block = findByStateRoot(chain, lower) ?? chain.getBlockByRoot(lower);
    if (block === undefined) throw new ApiError(404, `State ${id} not found`);
    return { state: chain.getStateByBlockRoot(block.rootHex), block };
  }
  if (SLOT_RE.test(id)) {
    const slot = Number(id);
    if (slot > chain.head.slot)
      throw new ApiError(404, `State at slot ${slot} not found: head is at slot ${chain.head.slot}`);
    const block = chain.getCanonicalBlockAtOrBefore(slot);
    const blockState = chain.getStateByBlockRoot(block.rootHex);
    // An empty slot's state is the last block's state advanced through the empty slots.
    const state = blockState.slot < slot ? processSlots(blockState, slot, { dontTransferCache: true }) : blockState;
    return { state, block };
  }
  if (id === "head" || id === "genesis" || id === "finalized" || id === "justified") {
    const block = resolveBlock(chain, id);
    return { state: chain.getStateByBlockRoot(block.rootHex), block };
  }
  throw new ApiError(
    400,
    `Invalid state id '${id}': use head, genesis, finalized, justified, a slot or a 0x-prefixed root`,
  );
}

function findByStateRoot(chain: BeaconChain, stateRootHex: string): StoredBlock | undefined {
  const head = chain.head;
  for (let slot = head.slot; slot >= 0; slot--) {
    const block = chain.getCanonicalBlockAtSlot(slot);
    if (block?.stateRootHex === stateRootHex) return block;
  }
  return undefined;
}
