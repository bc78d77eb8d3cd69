// The subpath keeps the browser bundle free of the BLS native binding the package index loads.
import { encodeExecutionHeader, type RpcBlockHeader } from "@nektar/crypto/executionHeader";
import { type Hex, keccak256 } from "viem";
import { getBlockNumber } from "viem/actions";
import type { NektarReadClient } from "../client.ts";
import { RpcError } from "../errors/contract.ts";

/**
 * The RLP-encoded execution header of block `blockNumber`, as `keccak256` hashes it to the block hash (checked), so a
 * contract can read a field of a past block against `blockhash` (the registry's draw reads its `mixHash`).
 */
export async function getBlockHeaderRlp(client: NektarReadClient, blockNumber: bigint): Promise<Hex> {
  const operation = `eth_getBlockByNumber(${blockNumber})`;
  let block: RpcBlockHeader | null;
  try {
    block = (await client.request({
      method: "eth_getBlockByNumber",
      params: [`0x${blockNumber.toString(16)}`, false],
    })) as RpcBlockHeader | null;
  } catch (e) {
    throw new RpcError(operation, e);
  }
  if (!block) throw new RpcError(operation, new Error(`block ${blockNumber} not found`));
  const rlp = encodeExecutionHeader(block);
  if (keccak256(rlp) !== block.hash) {
    throw new RpcError(operation, new Error("the header the node returned does not hash to its block hash"));
  }
  return rlp;
}

/** How far back `blockhash` reads: a draw block older than this cannot be read and the draw re-arms. */
const BLOCKHASH_WINDOW = 256n;

/**
 * The header a draw call passes for its draw block: the RLP header while `blockhash` can read the block (after it, and
 * within 256 blocks), else `0x` (too early: the simulation names `DrawTooEarly`; too late: the call re-arms the draw).
 */
export async function drawBlockHeader(client: NektarReadClient, drawBlock: bigint): Promise<Hex> {
  let current: bigint;
  try {
    current = await getBlockNumber(client, { cacheTime: 0 });
  } catch (e) {
    throw new RpcError("eth_blockNumber", e);
  }
  if (current > drawBlock && current < drawBlock + BLOCKHASH_WINDOW) return getBlockHeaderRlp(client, drawBlock);
  return "0x";
}
