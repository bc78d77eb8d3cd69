// `nektar-deploy`: deploys and wires every Nektar contract on any JSON-RPC endpoint with the SDK's `deployNektar`,
// then writes the deployment manifest atomically.
//
//   nektar-deploy --rpc http://127.0.0.1:8545 --manifest .nektar/devnet/manifest.json [--deployer-key-file <file>]
//
// Without --deployer-key-file the node's first unlocked account deploys (a Hardhat node). Without --deposit-contract
// the devnet deposit contract is deployed, which is refused on a chain that is not a local one.
import {
  deployNektar,
  loadKeyFile,
  type NektarManifest,
  parseAddress,
  printCliError,
  writeManifest,
} from "@nektar/sdk";
import { Command, CommanderError, InvalidArgumentError } from "commander";
import type { Address, Hex } from "viem";

export type DeployIo = { out(line: string): void; err(line: string): void };

const processIo: DeployIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

type DeployFlags = {
  rpc: string;
  manifest: string;
  deployerKeyFile?: string;
  network: string;
  beaconUrl?: string;
  depositContract?: Address;
  genesisTime?: number;
  secondsPerSlot: number;
  slotsPerEpoch: number;
  frameSlots: number;
  challengeWindow: number;
  maxIncreaseBpPerDay: number;
  dkgTimeout: number;
  genesisForkVersion: Hex;
  withNative?: boolean;
};

function forkVersion(value: string): Hex {
  if (!/^0x[0-9a-fA-F]{8}$/.test(value)) {
    throw new InvalidArgumentError("give the 4-byte fork version as 0x-prefixed hex, e.g. 0x00000000 (mainnet)");
  }
  return value.toLowerCase() as Hex;
}

function address(value: string): Address {
  try {
    return parseAddress(value);
  } catch {
    throw new InvalidArgumentError("not an address");
  }
}

function integer(value: string): number {
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
    throw new InvalidArgumentError("not a non-negative integer");
  }
  return Number(value);
}

function program(io: DeployIo): Command {
  return new Command("nektar-deploy")
    .description("Deploy and wire every Nektar contract, then write the manifest atomically")
    .requiredOption("--rpc <url>", "JSON-RPC URL")
    .requiredOption("--manifest <file>", "where to write the manifest")
    .option(
      "--deployer-key-file <file>",
      "file (mode 600) holding the deployer's private key (default: the node's first unlocked account)",
    )
    .option("--network <name>", "network name stored in the manifest", "devnet")
    .option("--beacon-url <url>", "Beacon API URL stored in the manifest")
    .option(
      "--deposit-contract <address>",
      "the network's beacon deposit contract (default: deploy the devnet one; local chains only)",
      address,
    )
    .option(
      "--genesis-time <seconds>",
      "beacon genesis time for the oracle's frames (default: latest block time)",
      integer,
    )
    .option("--seconds-per-slot <seconds>", "beacon slot length", integer, 12)
    .option("--slots-per-epoch <slots>", "beacon slots per epoch", integer, 32)
    .option("--frame-slots <slots>", "oracle frame length in slots (one report per frame)", integer, 7200)
    .option("--challenge-window <seconds>", "seconds a posted report can be disputed", integer, 3_600)
    .option("--max-increase-bp-per-day <bp>", "oracle share-rate increase limit per day", integer, 10)
    .option("--dkg-timeout <seconds>", "seconds a request has to complete its DKG", integer, 3_600)
    .option(
      "--genesis-fork-version <hex>",
      "the beacon chain's GENESIS_FORK_VERSION, the domain deposit signatures are checked in",
      forkVersion,
      "0x00000000",
    )
    .option(
      "--with-native",
      "TEST/DEV ONLY: also deploy native restaking and Distributors; the deployer plays the registry and oracle for " +
        "the native vault (a trusted key) until those drive it",
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError();
}

/** Runs the deployment command line; resolves with the process exit code. */
export async function runDeploy(argv: string[], io: DeployIo = processIo): Promise<number> {
  let flags: DeployFlags;
  try {
    flags = program(io).parse(argv, { from: "user" }).opts<DeployFlags>();
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    throw e;
  }
  try {
    // The key file is checked before the chain is contacted: a bad file fails fast and locally.
    const account = flags.deployerKeyFile === undefined ? undefined : loadKeyFile(flags.deployerKeyFile);
    const manifest: NektarManifest = await deployNektar({
      rpcUrl: flags.rpc,
      account,
      network: flags.network,
      beaconUrl: flags.beaconUrl,
      depositContract: flags.depositContract,
      oracle: {
        ...(flags.genesisTime === undefined ? {} : { genesisTime: BigInt(flags.genesisTime) }),
        secondsPerSlot: BigInt(flags.secondsPerSlot),
        slotsPerEpoch: BigInt(flags.slotsPerEpoch),
        frameSlots: BigInt(flags.frameSlots),
        challengeWindow: BigInt(flags.challengeWindow),
      },
      maxIncreaseBpPerDay: BigInt(flags.maxIncreaseBpPerDay),
      dkgTimeoutSeconds: BigInt(flags.dkgTimeout),
      genesisForkVersion: flags.genesisForkVersion,
      withNative: flags.withNative === true,
    });
    writeManifest(flags.manifest, manifest);
    io.out(`deployed on chain ${manifest.chainId}; manifest written to ${flags.manifest}`);
    for (const [name, addr] of Object.entries(manifest.contracts)) io.out(`  ${name.padEnd(18)} ${addr}`);
    return 0;
  } catch (e) {
    // Bad input (a key file, a flag the chain refuses) exits 2, other failures 1, as in the other CLIs.
    return printCliError(e, { json: false, verbose: false }, io);
  }
}
