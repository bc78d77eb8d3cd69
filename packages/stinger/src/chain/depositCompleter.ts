import type { ApiClient } from "@lodestar/api";
import type { BeaconConfig } from "@lodestar/config";
import { completeDeposit, getValidator, getValidatorIdByPubkey } from "@nektar/sdk";
import type { Account, Address, Chain, Hex, PublicClient, Transport, WalletClient } from "viem";
import type { Logger } from "../logger/logger.ts";
import { fetchWithdrawalCredentialsProof } from "./depositProof.ts";
import { PollLoop } from "./pollLoop.ts";
import { CLUSTER_SIZE } from "./requestDefinition.ts";

export type DepositCompleterOptions = {
  publicClient: PublicClient;
  wallet: WalletClient<Transport, Chain, Account>;
  registry: Address;
  beacon: { api: ApiClient; config: BeaconConfig };
  /** This node's validators the beacon node knows, with its position in each one's cluster. */
  validators: () => readonly { pubkey: Hex; position: number }[];
  /** Length of each operator's turn: in turn `t`, the operator at position `t mod 16` completes the deposits. */
  turnMs: number;
  pollIntervalMs: number;
  logger: Logger;
};

/**
 * Upkeep of the deposit guarantee: once the beacon node shows one of this node's predeposited validators, proves its
 * withdrawal credentials and calls the permissionless `completeDeposit`, so the pool sends the remaining 31 ETH (or
 * writes the validator off if the key was front-run). Operators of a cluster take turns (deterministic rotation) so
 * 16 nodes do not race for one transaction; a node that is down only delays the deposit to the next turn. The caller
 * pays the gas (~150k); the operators want their validator funded, since only an active validator earns them fees.
 */
export class DepositCompleter {
  private readonly o: DepositCompleterOptions;
  private readonly loop: PollLoop;
  /** Keys whose deposit is settled (deposited or written off): never looked at again. */
  private readonly settled = new Set<string>();

  constructor(o: DepositCompleterOptions) {
    this.o = o;
    this.loop = new PollLoop({
      intervalMs: o.pollIntervalMs,
      onError: (e) => o.logger.warn("Deposit completion failed; retrying", {}, e as Error),
    });
  }

  run(): Promise<void> {
    return this.loop.run(() => this.tick());
  }

  stop(): void {
    this.loop.stop();
  }

  /** One pass over this node's known validators (exported for tests through `run`). */
  async tick(now = Date.now()): Promise<void> {
    const { o } = this;
    const contracts = { operatorRegistry: o.registry };
    const turn = Math.floor(now / o.turnMs) % CLUSTER_SIZE;
    for (const { pubkey, position } of o.validators()) {
      if (this.settled.has(pubkey)) continue;
      const validatorId = await getValidatorIdByPubkey(o.publicClient, { contracts, pubkey });
      if (validatorId === 0n) continue;
      const { status } = await getValidator(o.publicClient, { contracts, validatorId });
      if (status !== "predeposited") {
        if (status !== "requested") this.settled.add(pubkey);
        continue;
      }
      if (position !== turn) continue;
      const proof = await fetchWithdrawalCredentialsProof(o.beacon.api, o.beacon.config, pubkey);
      if (proof === undefined) continue;
      const done = await completeDeposit(o.wallet, { contracts, ...proof });
      this.settled.add(pubkey);
      const context = { validatorId: validatorId.toString(), beaconIndex: proof.beaconIndex.toString(), tx: done.hash };
      if (done.deposited) o.logger.info("Deposit completed: 31 ETH sent after the credentials proof", context);
      else o.logger.warn("Validator key was front-run with foreign credentials: written off", context);
    }
  }
}
