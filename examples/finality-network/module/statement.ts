import { type Address, encodeAbiParameters, type Hex, keccak256, toHex } from "viem";

/** What operators sign each epoch; mirrors `IFinalityRelay.Statement`. */
export type Statement = { epoch: bigint; checkpointRoot: Hex; executionBlockHash: Hex };

const STATEMENT_TAG = keccak256(toHex("nektar.finality-relay.statement.v1"));
const POP_TAG = keccak256(toHex("nektar.finality-relay.pop.v1"));

/** `FinalityRelay.statementDigest`: the 32-byte message a statement's BLS signature signs. */
export function statementDigest(chainId: number, relay: Address, s: Statement): Hex {
  return keccak256(
    encodeAbiParameters(
      [
        { type: "bytes32" },
        { type: "uint256" },
        { type: "address" },
        { type: "uint256" },
        { type: "bytes32" },
        { type: "bytes32" },
      ],
      [STATEMENT_TAG, BigInt(chainId), relay, s.epoch, s.checkpointRoot, s.executionBlockHash],
    ),
  );
}

/** `FinalityRelay.popMessage`: what an operator's proof of possession signs. */
export function popMessage(chainId: number, relay: Address, operator: Address, pubkey: Hex): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: "bytes32" }, { type: "uint256" }, { type: "address" }, { type: "address" }, { type: "bytes" }],
      [POP_TAG, BigInt(chainId), relay, operator, pubkey],
    ),
  );
}

/** Whether two statements for one epoch differ (signing both is an equivocation). */
export function conflicts(a: Statement, b: Statement): boolean {
  return (
    a.epoch === b.epoch &&
    (a.checkpointRoot.toLowerCase() !== b.checkpointRoot.toLowerCase() ||
      a.executionBlockHash.toLowerCase() !== b.executionBlockHash.toLowerCase())
  );
}
