import { g1PointFromPublicKey, g2PointFromSignature } from "@nektar/crypto";
import { type NektarWriteClient, networkRegistryAbi, type TransactionResult } from "@nektar/sdk";
import { type Address, bytesToHex, type Hex, hexToBytes, parseEventLogs } from "viem";
import { getBlock, readContract } from "viem/actions";
import { certifiedRootEvidence, encodeDoubleSign, signedRootEvidence } from "../module/evidence.ts";
import type { Statement } from "../module/statement.ts";
import { finalityRelayAbi } from "./abi.ts";
import { FinalityEvidenceError } from "./errors.ts";
import { requireRelay } from "./relay.ts";
import { sendChecked } from "./send.ts";

/** A statement with the operator's BLS signature over its digest (compressed 96 bytes or uncompressed 256 bytes). */
export type SignedStatement = { statement: Statement; signature: Hex };

/** What proves the offence. */
export type FinalityEvidence =
  /** Two signatures of the operator's Network key over different statements for one epoch. */
  | { kind: "double-sign"; first: SignedStatement; second: SignedStatement }
  /** One signed statement whose root contradicts the EIP-4788 root of the slot after the checkpoint slot. */
  | { kind: "signed-root"; signed: SignedStatement }
  /** The operator signed the certificate of `epoch`, whose root contradicts the EIP-4788 root. */
  | { kind: "certified-root"; epoch: bigint };

export type SlashFinalityOperatorParameters = {
  relay: Address;
  /** The restaking protocol's `NetworkRegistry` (it executes the slash at once). */
  registry: Address;
  operator: Address;
  evidence: FinalityEvidence;
};

export type SlashFinalityOperatorReturnType = TransactionResult & { slashed: bigint };

/**
 * Slashes an operator of the finality relay by evidence (anyone may): the registry asks the relay to verify it and
 * slashes the operator's whole slashable stake at once. The evidence is checked by simulation before sending; a
 * signature of the wrong size, statements of different epochs or an operator without a Network key fail first.
 */
export async function slashFinalityOperator(
  client: NektarWriteClient,
  p: SlashFinalityOperatorParameters,
): Promise<SlashFinalityOperatorReturnType> {
  const networkId = await requireRelay(client, p.relay);
  const evidence = await encodeEvidence(client, p);
  // Stake is captured one second before the latest block: the registry refuses a capture in the future.
  const capture = Number((await getBlock(client)).timestamp - 1n);
  const sent = await sendChecked(client, {
    address: p.registry,
    abi: networkRegistryAbi,
    functionName: "slashWithEvidence",
    args: [networkId, p.operator, capture, evidence],
  });
  const [executed] = parseEventLogs({ abi: networkRegistryAbi, logs: sent.receipt.logs, eventName: "SlashExecuted" });
  return {
    hash: sent.hash,
    blockNumber: sent.blockNumber,
    gasUsed: sent.gasUsed,
    slashed: executed?.args.amount ?? 0n,
  };
}

async function encodeEvidence(client: NektarWriteClient, p: SlashFinalityOperatorParameters): Promise<Hex> {
  const e = p.evidence;
  if (e.kind === "certified-root") return certifiedRootEvidence(e.epoch);
  const read = { address: p.relay, abi: finalityRelayAbi } as const;
  const index = await readContract(client, { ...read, functionName: "indexOf", args: [p.operator] });
  if (index === 0n) {
    throw new FinalityEvidenceError(
      `${p.operator} has no Network key in this relay`,
      "Check the operator address (`finality-network status` lists the operators with keys).",
    );
  }
  const [, pubkey] = await readContract(client, { ...read, functionName: "operatorAt", args: [index - 1n] });
  const keyPoint = bytesToHex(g1PointFromPublicKey(hexToBytes(pubkey)));
  if (e.kind === "signed-root") return signedRootEvidence(keyPoint, e.signed.statement, g2Point(e.signed.signature));
  if (e.first.statement.epoch !== e.second.statement.epoch) {
    throw new FinalityEvidenceError(
      `the statements are for epochs ${e.first.statement.epoch} and ${e.second.statement.epoch}`,
      "Double signing means two different statements for the same epoch.",
    );
  }
  return encodeDoubleSign(
    keyPoint,
    e.first.statement,
    g2Point(e.first.signature),
    e.second.statement,
    g2Point(e.second.signature),
  );
}

/** An uncompressed G2 signature (256 bytes) from a compressed (96) or uncompressed one. */
function g2Point(signature: Hex): Hex {
  const bytes = hexToBytes(signature);
  if (bytes.length === 256) return signature;
  if (bytes.length !== 96) {
    throw new FinalityEvidenceError(
      `a signature of ${bytes.length} bytes`,
      "Give BLS signatures as 0x-hex, compressed (96 bytes) or uncompressed (256 bytes).",
    );
  }
  try {
    return bytesToHex(g2PointFromSignature(bytes));
  } catch (cause) {
    throw new FinalityEvidenceError(`not a BLS signature: ${(cause as Error).message}`, "Check the signature bytes.");
  }
}
