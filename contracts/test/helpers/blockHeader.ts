import { encodeExecutionHeader, type RpcBlockHeader } from "@nektar/crypto";
import { type Hex, keccak256, type PublicClient } from "viem";

/** The RLP-encoded execution header of block `blockNumber` (checked: it hashes to the block's hash). */
export async function blockHeaderRlp(client: PublicClient, blockNumber: bigint): Promise<Hex> {
  const block = await client.getBlock({ blockNumber });
  const raw = (await client.request({
    method: "eth_getBlockByNumber",
    params: [`0x${blockNumber.toString(16)}`, false],
  })) as RpcBlockHeader;
  const rlp = encodeExecutionHeader(raw);
  if (keccak256(rlp) !== block.hash) throw new Error(`block ${blockNumber}: header does not hash to the block hash`);
  return rlp;
}
