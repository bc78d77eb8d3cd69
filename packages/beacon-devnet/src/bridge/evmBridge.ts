import { MAX_DEPOSIT_REQUESTS_PER_PAYLOAD, MAX_WITHDRAWAL_REQUESTS_PER_PAYLOAD } from "@lodestar/params";
import { computeTimeAtSlot } from "@lodestar/state-transition";
import type { electra } from "@lodestar/types";
import type { Logger } from "pino";
import { bytesToHex, createPublicClient, getAddress, type Hex, http, numberToHex, type PublicClient } from "viem";
import type { BeaconChain } from "../chain/chain.ts";
import type { StoredBlock } from "../chain/types.ts";
import { DevnetError } from "../errors.ts";
import type { DevnetBridge } from "../node/devnet.ts";
import { BEACON_ROOTS_ADDRESS, beaconRootStorageWrites } from "./beaconRoots.ts";
import { DEPOSIT_EVENT_TOPIC, depositRequestFromLog, isDepositEventError } from "./depositEvents.ts";
import {
  WITHDRAWAL_REQUEST_ADDRESS,
  WITHDRAWAL_REQUEST_STUB_CODE,
  withdrawalRequestFromLog,
} from "./withdrawalRequests.ts";

export type EvmBridgeOptions = {
  chain: BeaconChain;
  logger: Logger;
  /** JSON-RPC URL of a Hardhat (EDR) node. */
  rpcUrl: string;
  /** Deposit contract emitting `DepositEvent`s. */
  depositContract: `0x${string}`;
  /** First EL block to scan for deposits (default 0: deposits made before the devnet started count too). */
  fromBlock?: bigint;
};

/** Where the bridge's EIP-7002 support comes from on this EVM node. */
export type WithdrawalRequestSupport = "native" | "devnet-stub";

/**
 * Connects the devnet to an EVM node:
 * - `DepositEvent`s of the deposit contract become EIP-6110 deposit requests of the next block;
 * - EIP-7002 withdrawal request logs become withdrawal requests of the next block;
 * - each block's withdrawals are credited to their EL addresses with `hardhat_setBalance`;
 * - each block's parent root is written to the EIP-4788 contract for the block's timestamp (mainnet semantics:
 *   the root of beacon block B is readable at the timestamp of B's child);
 * - an EL block is mined at each beacon block's timestamp, so EL time follows slots.
 */
export class EvmBridge implements DevnetBridge {
  readonly client: PublicClient;
  private readonly chain: BeaconChain;
  private readonly logger: Logger;
  private readonly depositContract: `0x${string}`;
  private nextBlock: bigint;
  private deposits: electra.DepositRequest[] = [];
  /** Highest deposit index ever queued: the deposit contract's indices only grow, so a lower or equal one is a repeat. */
  private lastQueuedDepositIndex = -1n;
  /** The poll in flight: a slot's poll can outlast the slot on a loaded host, and the next one must not overlap it. */
  private polling: Promise<void> | null = null;
  /**
   * Highest deposit request index included by each imported block's chain (block root hex → index, -1 for none).
   * `afterBlock` runs behind the EL calls of earlier blocks, so the queue alone can still hold a request the parent
   * chain included; a second inclusion would credit the validator twice (the beacon chain does not deduplicate).
   */
  private readonly depositIndexByBlock = new Map<string, bigint>();
  private withdrawalRequests: electra.WithdrawalRequest[] = [];
  private readonly backlog: { block: StoredBlock; credited: number }[] = [];
  withdrawalRequestSupport: WithdrawalRequestSupport = "native";

  constructor(opts: EvmBridgeOptions) {
    this.chain = opts.chain;
    this.logger = opts.logger;
    this.depositContract = getAddress(opts.depositContract);
    this.nextBlock = opts.fromBlock ?? 0n;
    this.client = createPublicClient({ transport: http(opts.rpcUrl, { retryCount: 0, timeout: 10_000 }) });
  }

  /** Check the node is reachable and install the devnet EIP-7002 stand-in if the node lacks the contract. */
  async init(): Promise<void> {
    await this.rpc("eth_chainId", () => this.client.getChainId());
    const code = await this.rpc("eth_getCode", () => this.client.getCode({ address: WITHDRAWAL_REQUEST_ADDRESS }));
    if (code === undefined || code === "0x") {
      await this.request("hardhat_setCode", [WITHDRAWAL_REQUEST_ADDRESS, WITHDRAWAL_REQUEST_STUB_CODE]);
      this.withdrawalRequestSupport = "devnet-stub";
      this.logger.info(
        { address: WITHDRAWAL_REQUEST_ADDRESS },
        "EVM node has no EIP-7002 contract: installed the devnet stand-in",
      );
    }
    const rootsCode = await this.rpc("eth_getCode", () => this.client.getCode({ address: BEACON_ROOTS_ADDRESS }));
    if (rootsCode === undefined || rootsCode === "0x") {
      throw new DevnetError({
        code: "ERR_DEVNET_EL_RPC",
        method: "eth_getCode",
        reason: "the EVM node has no EIP-4788 beacon roots contract; run it with hardfork cancun or later",
      });
    }
  }

  /**
   * Pull the EL's new deposit and EIP-7002 logs. Calls never overlap: a call made while a poll runs waits for it (two
   * overlapping polls would read the same block range and queue the same deposit twice, crediting its validator twice).
   */
  beforeSlot(): Promise<void> {
    if (this.polling === null) {
      this.polling = this.poll().finally(() => {
        this.polling = null;
      });
    }
    return this.polling;
  }

  private async poll(): Promise<void> {
    await this.drain();
    const latest = await this.rpc("eth_blockNumber", () => this.client.getBlockNumber({ cacheTime: 0 }));
    if (latest < this.nextBlock) return;
    const [depositLogs, requestLogs] = await Promise.all([
      this.rpc("eth_getLogs", () =>
        this.client.request({
          method: "eth_getLogs",
          params: [
            {
              address: this.depositContract,
              topics: [DEPOSIT_EVENT_TOPIC],
              fromBlock: numberToHex(this.nextBlock),
              toBlock: numberToHex(latest),
            },
          ],
        }),
      ),
      this.rpc("eth_getLogs", () =>
        this.client.request({
          method: "eth_getLogs",
          params: [
            {
              address: WITHDRAWAL_REQUEST_ADDRESS,
              fromBlock: numberToHex(this.nextBlock),
              toBlock: numberToHex(latest),
            },
          ],
        }),
      ),
    ]);
    for (const log of depositLogs) {
      const request = depositRequestFromLog({ data: log.data, topics: log.topics as [Hex, ...Hex[]] });
      if (isDepositEventError(request)) {
        this.logger.warn({ tx: log.transactionHash, reason: request.reason }, "skipped malformed DepositEvent");
        continue;
      }
      if (request.index <= this.lastQueuedDepositIndex) {
        this.logger.warn(
          { tx: log.transactionHash, index: request.index.toString() },
          "skipped a repeated DepositEvent",
        );
        continue;
      }
      this.lastQueuedDepositIndex = request.index;
      this.deposits.push(request);
    }
    for (const log of requestLogs) {
      const request = withdrawalRequestFromLog(log.data);
      if (request === null) {
        this.logger.warn({ tx: log.transactionHash }, "skipped malformed EIP-7002 log");
        continue;
      }
      this.withdrawalRequests.push(request);
    }
    this.nextBlock = latest + 1n;
  }

  noteBlock(block: StoredBlock): void {
    const message = block.signedBlock.message;
    const parent = this.depositIndexByBlock.get(bytesToHex(message.parentRoot)) ?? -1n;
    const own = message.body.executionRequests.deposits.reduce((m, d) => (d.index > m ? d.index : m), -1n);
    this.depositIndexByBlock.set(block.rootHex, own > parent ? own : parent);
    // Forks on the devnet are a few slots deep at most: keep the last 1,024 blocks.
    if (this.depositIndexByBlock.size > 1024) {
      const oldest = this.depositIndexByBlock.keys().next().value as string;
      this.depositIndexByBlock.delete(oldest);
    }
  }

  getExecutionRequests(parentRoot: Uint8Array): electra.ExecutionRequests {
    const included = this.depositIndexByBlock.get(bytesToHex(parentRoot)) ?? -1n;
    return {
      deposits: this.deposits.filter((d) => d.index > included).slice(0, MAX_DEPOSIT_REQUESTS_PER_PAYLOAD),
      withdrawals: this.withdrawalRequests.slice(0, MAX_WITHDRAWAL_REQUESTS_PER_PAYLOAD),
      consolidations: [],
    };
  }

  /** Deposit requests seen on the EL and not yet included in a block. */
  get pendingDepositRequests(): number {
    return this.deposits.length;
  }

  async afterBlock(block: StoredBlock): Promise<void> {
    if (!this.chain.isCanonical(block.rootHex)) return;
    const included = block.signedBlock.message.body.executionRequests;
    const maxIndex = included.deposits.reduce((m, d) => (d.index > m ? d.index : m), -1n);
    this.deposits = this.deposits.filter((d) => d.index > maxIndex);
    this.withdrawalRequests.splice(0, included.withdrawals.length);
    this.backlog.push({ block, credited: 0 });
    await this.drain();
  }

  /** Blocks whose withdrawals / 4788 root are not yet reflected on the EL (kept across RPC failures). */
  get unreflectedBlocks(): number {
    return this.backlog.length;
  }

  /**
   * Reflect blocks on the EL in order. A failure leaves the block (and how many of its withdrawals were already
   * credited) in the backlog, so the next call resumes without losing or double-crediting a withdrawal.
   */
  private async drain(): Promise<void> {
    for (;;) {
      const item = this.backlog[0];
      if (item === undefined) return;
      const { block } = item;
      const message = block.signedBlock.message;
      const timestamp = BigInt(computeTimeAtSlot(this.chain.config, block.slot, this.chain.genesisTime));
      const latest = await this.rpc("eth_getBlockByNumber", () => this.client.getBlock({ blockTag: "latest" }));
      if (latest.timestamp < timestamp) {
        await this.request("evm_mine", [Number(timestamp)]);
      }
      const withdrawals = message.body.executionPayload.withdrawals;
      while (item.credited < withdrawals.length) {
        const w = withdrawals[item.credited] as (typeof withdrawals)[number];
        const address = getAddress(bytesToHex(w.address));
        const balance = await this.rpc("eth_getBalance", () => this.client.getBalance({ address }));
        await this.request("hardhat_setBalance", [address, numberToHex(balance + BigInt(w.amount) * 1_000_000_000n)]);
        item.credited++;
      }
      for (const { slot, value } of beaconRootStorageWrites(timestamp, message.parentRoot)) {
        await this.request("hardhat_setStorageAt", [BEACON_ROOTS_ADDRESS, slot, value]);
      }
      this.backlog.shift();
    }
  }

  async stop(): Promise<void> {}

  private async request(method: string, params: unknown[]): Promise<unknown> {
    return this.rpc(method, () => this.client.request({ method: method as never, params: params as never }));
  }

  private async rpc<T>(method: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw new DevnetError({
        code: "ERR_DEVNET_EL_RPC",
        method,
        reason: (e as Error).message.split("\n")[0] ?? "unknown",
      });
    }
  }
}

/** Create and initialise the bridge (for `startDevnet({ bridge })`). */
export async function createEvmBridge(opts: EvmBridgeOptions): Promise<EvmBridge> {
  const bridge = new EvmBridge(opts);
  await bridge.init();
  return bridge;
}
