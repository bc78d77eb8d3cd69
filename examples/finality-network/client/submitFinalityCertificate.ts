import { aggregateSignatures, PublicKey, Signature, verify } from "@chainsafe/blst";
import { g1PointFromPublicKey, g2PointFromSignature } from "@nektar/crypto";
import type { NektarWriteClient, TransactionResult } from "@nektar/sdk";
import { type Address, bytesToHex, type Hex, hexToBytes, parseEventLogs } from "viem";
import { readContract } from "viem/actions";
import type { Statement } from "../module/statement.ts";
import { finalityRelayAbi } from "./abi.ts";
import { FinalityCertificateError } from "./errors.ts";
import { requireRelay } from "./relay.ts";
import { sendChecked } from "./send.ts";

/** One operator's compressed BLS signature (96 bytes, 0x-hex) over the statement's digest. */
export type OperatorSignature = { operator: Address; signature: Hex };

export type SubmitFinalityCertificateParameters = {
  relay: Address;
  statement: Statement;
  /** The signers, any order; each must hold a Network key on the relay. */
  signatures: readonly OperatorSignature[];
};

export type SubmitFinalityCertificateReturnType = TransactionResult & {
  epoch: bigint;
  /** Signer bitmap (bit i: the operator at index i). */
  signers: bigint;
  signedStake: bigint;
  totalStake: bigint;
  reward: bigint;
};

/**
 * Submits a certificate for `statement` from individual signatures (anyone may; Stinger's module does it in turn).
 * Each signature is checked against the signer's registered key before anything is sent, the signers are put in the
 * relay's index order and the signatures aggregated; the relay then checks the aggregate (EIP-2537) and the ⅔ stake.
 */
export async function submitFinalityCertificate(
  client: NektarWriteClient,
  p: SubmitFinalityCertificateParameters,
): Promise<SubmitFinalityCertificateReturnType> {
  await requireRelay(client, p.relay);
  if (p.signatures.length === 0) {
    throw new FinalityCertificateError("no signatures", "Collect the operators' signatures over the statement first.");
  }
  const read = { address: p.relay, abi: finalityRelayAbi } as const;
  const digest = hexToBytes(
    await readContract(client, { ...read, functionName: "statementDigest", args: [p.statement] }),
  );
  const signers: { index: bigint; point: Hex; signature: Signature }[] = [];
  for (const s of p.signatures) {
    const index = await readContract(client, { ...read, functionName: "indexOf", args: [s.operator] });
    if (index === 0n) {
      throw new FinalityCertificateError(
        `${s.operator} has no Network key in this relay`,
        "Only operators with a registered Network key sign certificates (`finality-network status` lists them).",
      );
    }
    if (signers.some((x) => x.index === index - 1n)) {
      throw new FinalityCertificateError(`${s.operator} signs twice`, "Give each operator's signature once.");
    }
    const [, pubkey] = await readContract(client, { ...read, functionName: "operatorAt", args: [index - 1n] });
    const signature = parseSignature(s);
    if (!verify(digest, PublicKey.fromBytes(hexToBytes(pubkey), true), signature)) {
      throw new FinalityCertificateError(
        `${s.operator}'s signature is not over this statement`,
        "Each signature must be the operator's Network key over `statementDigest(statement)` of this relay.",
      );
    }
    signers.push({ index: index - 1n, point: bytesToHex(g1PointFromPublicKey(hexToBytes(pubkey))), signature });
  }
  signers.sort((a, b) => (a.index < b.index ? -1 : 1));
  const aggregate = aggregateSignatures(signers.map((s) => s.signature));
  const sent = await sendChecked(client, {
    ...read,
    functionName: "submitCertificate",
    args: [
      p.statement,
      signers.map((s) => s.index),
      `0x${signers.map((s) => s.point.slice(2)).join("")}`,
      bytesToHex(g2PointFromSignature(aggregate.toBytes())),
    ],
  });
  const [certified] = parseEventLogs({
    abi: finalityRelayAbi,
    logs: sent.receipt.logs,
    eventName: "CheckpointCertified",
  });
  if (!certified) throw new Error(`submitCertificate ${sent.hash} emitted no CheckpointCertified`);
  const { epoch, signers: bitmap, signedStake, totalStake, reward } = certified.args;
  return {
    hash: sent.hash,
    blockNumber: sent.blockNumber,
    gasUsed: sent.gasUsed,
    epoch,
    signers: bitmap,
    signedStake,
    totalStake,
    reward,
  };
}

function parseSignature(s: OperatorSignature): Signature {
  try {
    const bytes = hexToBytes(s.signature);
    if (bytes.length !== 96) throw new Error(`${bytes.length} bytes`);
    return Signature.fromBytes(bytes, true);
  } catch (e) {
    throw new FinalityCertificateError(
      `${s.operator}'s signature is not a compressed BLS signature (${(e as Error).message})`,
      "Give each signature as 0x-hex of 96 bytes.",
    );
  }
}
