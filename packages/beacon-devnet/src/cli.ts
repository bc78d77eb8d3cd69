// The preset must be set before any other @lodestar module is evaluated: keep this import first.
import "./preset.ts";
import { readFile } from "node:fs/promises";
import { integerFlag } from "@nektar/command-line";
import { Command, InvalidArgumentError } from "commander";
import { pino } from "pino";
import { type Hex, hexToBytes } from "viem";
import { createEvmBridge } from "./bridge/evmBridge.ts";
import type { GenesisValidator } from "./chain/genesis.ts";
import { DEVNET_VERSION, startDevnet } from "./node/devnet.ts";
import { formatProgress } from "./node/progress.ts";

function address(value: string): `0x${string}` {
  if (!/^0x[0-9a-fA-F]{40}$/.test(value)) throw new InvalidArgumentError("expected a 0x-prefixed 20-byte address");
  return value as `0x${string}`;
}

/** Extra genesis validators from a JSON file: [{ "pubkey": "0x…", "withdrawal_credentials": "0x…", "balance"?: "gwei" }]. */
async function readExtraValidators(path: string): Promise<GenesisValidator[]> {
  const json = JSON.parse(await readFile(path, "utf8")) as unknown;
  if (!Array.isArray(json)) throw new InvalidArgumentError(`${path}: expected a JSON array`);
  return json.map((v: { pubkey?: string; withdrawal_credentials?: string; balance?: string | number }, i) => {
    if (typeof v.pubkey !== "string" || !/^0x[0-9a-fA-F]{96}$/.test(v.pubkey)) {
      throw new InvalidArgumentError(`${path}[${i}].pubkey: expected 0x + 48 bytes hex`);
    }
    if (typeof v.withdrawal_credentials !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(v.withdrawal_credentials)) {
      throw new InvalidArgumentError(`${path}[${i}].withdrawal_credentials: expected 0x + 32 bytes hex`);
    }
    return {
      pubkey: hexToBytes(v.pubkey as Hex),
      withdrawalCredentials: hexToBytes(v.withdrawal_credentials as Hex),
      ...(v.balance !== undefined ? { balance: Number(v.balance) } : {}),
    };
  });
}

const program = new Command()
  .name("beacon-devnet")
  .description(
    "Single-node Ethereum consensus devnet (Lodestar state transition) with the Beacon API and an EVM bridge",
  )
  .version(DEVNET_VERSION)
  .option("--validators <n>", "interop validators held by the built-in validator client", integerFlag(0, 100_000), 64)
  .option("--extra-validators <file>", "JSON file of extra genesis validators (keys not held)")
  .option("--seconds-per-slot <s>", "whole seconds per slot", integerFlag(1, 60), 2)
  .option(
    "--genesis-time <unix>",
    "genesis time, Unix seconds (default: now); lets a caller share the slot grid with contracts deployed alongside",
    integerFlag(0, 2 ** 40),
  )
  .option("--port <port>", "Beacon API port", integerFlag(0, 65535), 5052)
  .option("--host <host>", "Beacon API host", "127.0.0.1")
  .option("--el-rpc <url>", "EVM JSON-RPC URL (a Hardhat node) to bridge to")
  .option("--deposit-contract <address>", "deposit contract on the EVM node", address)
  .option("--fulu", "activate Fulu at genesis instead of Electra", false)
  .option("--blobs-per-block <n>", "blobs (real KZG commitments) each produced block carries", integerFlag(0, 9), 0)
  .option("--builder", "start the local builder (builder API) and serve blinded blocks through it", false)
  .option("--builder-url <url>", "connect the builder flow to this builder API instead of the local builder")
  .option("--builder-port <port>", "local builder port (0: a free one)", integerFlag(0, 65535), 18550)
  .option(
    "--builder-bid-gwei <gwei>",
    "value of the local builder's bids in gwei",
    integerFlag(0, 1_000_000_000),
    10_000_000,
  )
  .option("--log-level <level>", "pino log level", "info");

program.parse();
const opts = program.opts<{
  validators: number;
  extraValidators?: string;
  secondsPerSlot: number;
  genesisTime?: number;
  port: number;
  host: string;
  elRpc?: string;
  depositContract?: `0x${string}`;
  fulu: boolean;
  blobsPerBlock: number;
  builder: boolean;
  builderUrl?: string;
  builderPort: number;
  builderBidGwei: number;
  logLevel: string;
}>();

if ((opts.elRpc === undefined) !== (opts.depositContract === undefined)) {
  program.error("--el-rpc and --deposit-contract go together");
}

const logger = pino({ level: opts.logLevel });
const elRpc = opts.elRpc;
const depositContract = opts.depositContract;
const devnet = await startDevnet({
  validators: opts.validators,
  extraValidators: opts.extraValidators !== undefined ? await readExtraValidators(opts.extraValidators) : [],
  secondsPerSlot: opts.secondsPerSlot,
  ...(opts.genesisTime !== undefined ? { genesisTime: opts.genesisTime } : {}),
  port: opts.port,
  host: opts.host,
  fulu: opts.fulu,
  blobsPerBlock: opts.blobsPerBlock,
  logger,
  onProgress: (p) => process.stdout.write(`${formatProgress(p)}\n`),
  ...(opts.builderUrl !== undefined
    ? { builder: { url: opts.builderUrl } }
    : opts.builder
      ? { builder: { port: opts.builderPort, bidValueWei: BigInt(opts.builderBidGwei) * 10n ** 9n } }
      : {}),
  ...(depositContract !== undefined ? { depositContract } : {}),
  ...(elRpc !== undefined && depositContract !== undefined
    ? { bridge: (chain, log) => createEvmBridge({ chain, logger: log, rpcUrl: elRpc, depositContract }) }
    : {}),
});
process.stdout.write(`beacon-devnet listening on ${devnet.url}\n`);
if (devnet.localBuilder !== null) process.stdout.write(`local builder listening on ${devnet.localBuilder.url}\n`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void devnet.stop().then(() => process.exit(0));
  });
}
