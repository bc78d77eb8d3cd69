import { g1PointFromPublicKey, g2PointFromSignature } from "@nektar/crypto";
import { submitDkgResult } from "@nektar/sdk";
import {
  type Account,
  type Address,
  bytesToHex,
  type Chain,
  type Hex,
  hexToBytes,
  type Transport,
  type WalletClient,
} from "viem";
import type { Logger } from "../logger/logger.ts";
import type { DkgResult } from "./dkgResult.ts";
import { submitterRank } from "./dkgResult.ts";
import { ChainError } from "./errors.ts";
import type { RegistryReader } from "./registryReader.ts";

export type SubmitOptions = {
  reader: RegistryReader;
  wallet: WalletClient<Transport, Chain, Account>;
  registry: Address;
  result: DkgResult;
  /** The 16 EIP-712 approvals in cluster order. */
  signatures: Hex[];
  /** This operator's cluster position (0-based). */
  position: number;
  /** How long each submitter in line gets before the next one submits. */
  fallbackMs: number;
  pollIntervalMs: number;
  /** Give up when the result is still not on-chain this long after every submitter had its turn. */
  graceMs: number;
  logger: Logger;
};

export type SubmitOutcome = { submittedBy: "self" | "other"; status: string; hash?: Hex };

/**
 * Gets a complete result on-chain exactly once without a coordinator: the operator at `firstSubmitter(requestId)`
 * submits at once; every other one waits `rank × fallbackMs` and submits only if the request is still `Requested`
 * by then (the previous submitters failed or are down). A submission that loses a race reverts in simulation
 * (`InvalidStatus`) and costs nothing; the outcome is read from the chain.
 */
export async function submitWhenDue(o: SubmitOptions): Promise<SubmitOutcome> {
  const requestId = o.result.requestId;
  const rank = submitterRank(requestId, o.position);
  const dueAt = Date.now() + rank * o.fallbackMs;
  const giveUpAt = Date.now() + 16 * o.fallbackMs + o.graceMs;
  let submitted: Hex | undefined;
  for (;;) {
    const status = await o.reader.status(requestId);
    if (status !== "requested") {
      return submitted !== undefined
        ? { submittedBy: "self", status, hash: submitted }
        : { submittedBy: "other", status };
    }
    if (submitted === undefined && Date.now() >= dueAt) {
      try {
        submitted = await submit(o);
        o.logger.info("Submitted DKG result", { requestId: requestId.toString(), rank, hash: submitted });
        continue;
      } catch (e) {
        o.logger.warn("DKG result submission failed", { requestId: requestId.toString(), rank }, e as Error);
      }
    }
    if (Date.now() >= giveUpAt) {
      throw new ChainError({
        code: "ERR_CHAIN_NOT_SUBMITTED",
        requestId: requestId.toString(),
        status,
        timeoutMs: giveUpAt - (dueAt - rank * o.fallbackMs),
      });
    }
    await new Promise((r) => setTimeout(r, o.pollIntervalMs));
  }
}

/** Simulated first, so a lost race reverts (`InvalidStatus`) without spending gas; the SDK error is logged by the caller. */
async function submit(o: SubmitOptions): Promise<Hex> {
  const { hash } = await submitDkgResult(o.wallet, {
    contracts: { operatorRegistry: o.registry },
    result: o.result,
    points: {
      groupPubkey: bytesToHex(g1PointFromPublicKey(hexToBytes(o.result.groupPubkey))),
      depositSignature: bytesToHex(g2PointFromSignature(hexToBytes(o.result.depositSignature))),
    },
    signatures: o.signatures,
  });
  return hash;
}
