import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { deployNektar, type NektarManifest, nektarChain, writeManifest } from "@nektar/sdk";
import {
  type Chain,
  createPublicClient,
  createWalletClient,
  type Hex,
  http,
  keccak256,
  parseEther,
  publicActions,
  toHex,
} from "viem";
import { type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";

const CONTRACTS_DIR = new URL("../../../../contracts/", import.meta.url).pathname;
const HARDHAT_CLI = new URL("../../../../node_modules/hardhat/dist/src/cli.js", import.meta.url).pathname;

export type HardhatNode = { child: ChildProcess; rpcUrl: string; stop(): Promise<void> };

/** Start `hardhat node` on 127.0.0.1:`port` as its own process and wait until it answers JSON-RPC. */
export async function startHardhatNode(port: number, timeoutMs = 60_000): Promise<HardhatNode> {
  const child = spawn(process.execPath, [HARDHAT_CLI, "node", "--hostname", "127.0.0.1", "--port", String(port)], {
    cwd: CONTRACTS_DIR,
    stdio: ["ignore", "ignore", "pipe"],
  });
  const rpcUrl = `http://127.0.0.1:${port}`;
  const client = createPublicClient({ transport: http(rpcUrl, { retryCount: 0 }) });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`hardhat node exited with ${child.exitCode}`);
    try {
      await client.getChainId();
      return { child, rpcUrl, stop };
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`hardhat node did not answer on ${rpcUrl} within ${timeoutMs} ms`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** Deploy the whole system with the SDK's `deployNektar` and write its manifest to `path`. */
export async function deploySystem(rpcUrl: string, path: string, genesisForkVersion: Hex): Promise<NektarManifest> {
  const manifest = await deployNektar({ rpcUrl, network: "stinger-e2e", genesisForkVersion });
  writeManifest(path, manifest);
  return manifest;
}

/** A deterministic funded test account (Hardhat's `hardhat_setBalance`) and its 0600 key file under `dir`. */
export async function fundedKey(
  rpcUrl: string,
  chain: Chain,
  dir: string,
  name: string,
  ether = "100",
): Promise<{ account: PrivateKeyAccount; keyFile: string; client: ReturnType<typeof walletFor> }> {
  const key = keccak256(toHex(`stinger-onchain-e2e-${name}`)) as Hex;
  const account = privateKeyToAccount(key);
  const keyFile = join(dir, `${name}.key`);
  writeFileSync(keyFile, `${key}\n`, { mode: 0o600 });
  const client = walletFor(rpcUrl, chain, account);
  await client.request({
    method: "hardhat_setBalance" as never,
    params: [account.address, `0x${parseEther(ether).toString(16)}`] as never,
  });
  return { account, keyFile, client };
}

export function walletFor(rpcUrl: string, chain: Chain, account: PrivateKeyAccount) {
  return createWalletClient({ chain, account, transport: http(rpcUrl) }).extend(publicActions);
}

export function chainOf(manifest: NektarManifest, rpcUrl: string): Chain {
  return nektarChain(manifest.chainId, rpcUrl);
}
