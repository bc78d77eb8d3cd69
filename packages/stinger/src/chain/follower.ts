import { join } from "node:path";
import { LodestarError } from "@lodestar/utils";
import type { Account, Address, Chain, Hex, LocalAccount, PublicClient, Transport, WalletClient } from "viem";
import type { CeremonyDeps } from "../dkg/ceremony.ts";
import type { Logger } from "../logger/logger.ts";
import { RequestCursor } from "./cursor.ts";
import type { DkgAttestor } from "./dkgAttestation.ts";
import { executeValidatorRequest, prepareValidatorRequest, type RequestOutcome } from "./onchainOperator.ts";
import { RegistryReader } from "./registryReader.ts";
import { RequestWatcher } from "./requestWatcher.ts";

export const CURSOR_FILE = "registry-cursor.json";

export type FollowerOptions = {
  publicClient: PublicClient;
  wallet: WalletClient<Transport, Chain, Account>;
  signer: LocalAccount;
  chainId: number;
  registry: Address;
  /** Block the registry was deployed at: the first scan of a fresh node starts there. */
  startBlock: bigint;
  forkVersion: Hex;
  peers: readonly string[];
  ceremony: CeremonyDeps;
  confirmations: number;
  pollIntervalMs: number;
  signatureTimeoutMs: number;
  submitFallbackMs: number;
  logger: Logger;
  /** Attests each ceremony's outcome on-chain (see `OnchainOperatorOptions.attestor`). */
  attestor?: DkgAttestor | undefined;
  onOutcome?: (outcome: RequestOutcome) => void;
};

/**
 * Stinger following the operator registry: a `RequestWatcher` over `ValidatorRequested` with its cursor in the data
 * directory, handing each event to `handleValidatorRequest`. A request that fails (ceremony aborted, signatures
 * missing) is logged and left to expire on-chain; the node moves on to the next one.
 */
export function createFollower(o: FollowerOptions): RequestWatcher {
  const reader = new RegistryReader(o.publicClient, o.registry);
  const cursor = RequestCursor.open(
    join(o.ceremony.dataDir, CURSOR_FILE),
    `${o.chainId}:${o.registry.toLowerCase()}`,
    o.startBlock,
  );
  const options = {
    chain: { chainId: o.chainId, registry: o.registry, forkVersion: o.forkVersion },
    reader,
    signer: o.signer,
    wallet: o.wallet,
    peers: o.peers,
    ceremony: o.ceremony,
    signatureTimeoutMs: o.signatureTimeoutMs,
    submitFallbackMs: o.submitFallbackMs,
    pollIntervalMs: o.pollIntervalMs,
    attestor: o.attestor,
  };
  return new RequestWatcher({
    client: o.publicClient,
    registry: o.registry,
    cursor,
    confirmations: o.confirmations,
    maxBlockRange: 5_000n,
    pollIntervalMs: o.pollIntervalMs,
    logger: o.logger,
    onRequest: async (event) => {
      const prepared = await prepareValidatorRequest(event, options);
      if ("action" in prepared) {
        o.onOutcome?.(prepared);
        return;
      }
      try {
        o.onOutcome?.(await executeValidatorRequest(prepared, options));
      } catch (e) {
        o.logger.error(
          "Validator request failed; it will expire on-chain",
          { requestId: event.requestId.toString() },
          e as Error,
        );
        const error =
          e instanceof LodestarError ? `${e.type.code} ${JSON.stringify(e.getMetadata())}` : (e as Error).message;
        o.onOutcome?.({ requestId: event.requestId, action: "failed", error });
      }
    },
  });
}
