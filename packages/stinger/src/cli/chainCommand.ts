import { positiveInt } from "@nektar/command-line";
import { createNektarClients, DEFAULT_DEVNET_MANIFEST, loadManifest, type NektarManifest } from "@nektar/sdk";
import { Command } from "commander";
import type { LocalAccount } from "viem";
import type { CliIo } from "./io.ts";
import { addCommonOptions, type CommonFlags } from "./options.ts";

// The chain connection shared by the operator commands (`operator.ts`) and the restaking ones (`restaking.ts`).

export type ChainFlags = CommonFlags & { manifest: string; rpc?: string; chainId?: number; json?: boolean };

export function chainCommand(name: string, description: string): Command {
  return addCommonOptions(new Command(name).description(description))
    .option("--manifest <file>", "deployment manifest (contracts, chain id, RPC)", DEFAULT_DEVNET_MANIFEST)
    .option("--rpc <url>", "JSON-RPC URL (default: the manifest's)")
    .option("--chain-id <id>", "refuse to run unless the RPC serves this chain (default: the manifest's)", positiveInt)
    .option("--json", "print the result as JSON");
}

/** Manifest, checked chain and clients; the wallet signs with `account` when given. */
export async function connect(flags: ChainFlags, account?: LocalAccount) {
  const manifest: NektarManifest = loadManifest(flags.manifest);
  const { publicClient, contracts, connectAccount } = await createNektarClients({
    rpc: flags.rpc,
    manifest: { ...manifest, chainId: flags.chainId ?? manifest.chainId },
  });
  const wallet = account ? connectAccount(account) : undefined;
  return { manifest, publicClient, wallet, contracts };
}

export function print(io: CliIo, flags: ChainFlags, value: Record<string, unknown>, text: string): void {
  if (flags.json) io.out(JSON.stringify(value, (_, v) => (typeof v === "bigint" ? v.toString() : v)));
  else io.out(text);
}
