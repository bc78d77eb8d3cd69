import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  CONTRACT_NAMES,
  createNektarClients,
  loadKeyFile,
  loadManifest,
  type NektarContracts,
  type NektarManifest,
  type NektarWalletClient,
  parseAddress,
} from "@nektar/sdk";
import type { Account, Chain, Hex, PublicClient } from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import { DEFAULT_DEVNET_DIR } from "./devnet/paths.ts";
import { CliUsageError } from "./errors.ts";
import type { CliIo } from "./io.ts";

/** Flags every command accepts (declared on the root program). */
export type GlobalFlags = {
  manifest?: string;
  rpc?: string;
  address?: string[];
  account?: string;
  privateKeyFile?: string;
  json?: boolean;
};

/** Hardhat's well-known development mnemonic: its accounts are only ever used on the local chain (31337). */
const DEVNET_MNEMONIC = "test test test test test test test test test test test junk";
const DEVNET_CHAIN_ID = 31337;
/** Default devnet account of CLI users (0 deploys and reports, operators use 10+). */
const DEFAULT_DEVNET_ACCOUNT = 1;

export type CommandContext = {
  io: CliIo;
  json: boolean;
  chainId: number;
  chain: Chain;
  contracts: NektarContracts;
  manifest: NektarManifest | undefined;
  publicClient: PublicClient;
  /** The signing client; throws a CliUsageError when no account is configured. */
  wallet(): NektarWalletClient;
};

/** The manifest path: --manifest, else $NEKTAR_MANIFEST, else the local devnet's (.nektar/devnet in the repository). */
export function manifestPath(flags: GlobalFlags): string {
  return resolve(flags.manifest ?? process.env.NEKTAR_MANIFEST ?? join(DEFAULT_DEVNET_DIR, "manifest.json"));
}

/** Resolves the chain, contracts and account from the flags; checks the RPC serves the manifest's chain. */
export async function commandContext(flags: GlobalFlags, io: CliIo): Promise<CommandContext> {
  const overrides = parseAddressOverrides(flags.address ?? []);
  const path = manifestPath(flags);
  const useManifest = flags.manifest !== undefined || flags.rpc === undefined || existsSync(path);
  const manifest = useManifest ? loadManifest(path) : undefined;
  const contracts = { ...manifest?.contracts, ...overrides } as Partial<NektarContracts>;
  const missing = CONTRACT_NAMES.filter((name) => contracts[name] === undefined);
  if (missing.length > 0) {
    throw new CliUsageError(
      `missing contract addresses: ${missing.join(", ")}`,
      "Give --manifest <file>, or --address <name>=<0x…> for each.",
    );
  }
  // Checks the RPC URL, that the RPC serves the manifest's chain and that every contract has code there.
  const clients = await createNektarClients({
    rpc: flags.rpc,
    manifest: { chainId: manifest?.chainId, rpcUrl: manifest?.rpcUrl, contracts: contracts as NektarContracts },
  });
  let walletClient: NektarWalletClient | undefined;
  return {
    io,
    json: flags.json === true,
    chainId: clients.chainId,
    chain: clients.chain,
    contracts: clients.contracts,
    manifest,
    publicClient: clients.publicClient,
    wallet() {
      walletClient ??= clients.connectAccount(resolveAccount(flags, clients.chainId));
      return walletClient;
    },
  };
}

function parseAddressOverrides(values: readonly string[]): Partial<NektarContracts> {
  const out: Partial<NektarContracts> = {};
  for (const value of values) {
    const [name, address] = value.split("=");
    if (!name || address === undefined || !(CONTRACT_NAMES as readonly string[]).includes(name)) {
      throw new CliUsageError(
        `invalid --address "${value}"`,
        `Use <name>=<0x…> with name one of ${CONTRACT_NAMES.join(", ")}.`,
      );
    }
    out[name as keyof NektarContracts] = parseAddress(address, `${name} address`);
  }
  return out;
}

/**
 * The signing account: --private-key-file (chmod 600, see `loadKeyFile`), $NEKTAR_PRIVATE_KEY, or (devnet only)
 * --account <index>. Keys never come from argv.
 */
function resolveAccount(flags: GlobalFlags, chainId: number): Account {
  if (flags.privateKeyFile !== undefined) return loadKeyFile(flags.privateKeyFile);
  const key = process.env.NEKTAR_PRIVATE_KEY;
  if (key !== undefined) {
    if (!/^0x[0-9a-fA-F]{64}$/.test(key)) throw new CliUsageError("$NEKTAR_PRIVATE_KEY is not 32 bytes of 0x-hex");
    return privateKeyToAccount(key as Hex);
  }
  if (chainId !== DEVNET_CHAIN_ID) {
    throw new CliUsageError(
      `no account to sign with on chain ${chainId}`,
      "Set NEKTAR_PRIVATE_KEY or pass --private-key-file <file>.",
    );
  }
  const index = flags.account === undefined ? DEFAULT_DEVNET_ACCOUNT : Number(flags.account);
  if (!Number.isSafeInteger(index) || index < 0 || index > 1000) {
    throw new CliUsageError(`invalid --account "${flags.account}": expected a devnet account index 0..1000`);
  }
  return mnemonicToAccount(DEVNET_MNEMONIC, { addressIndex: index });
}
