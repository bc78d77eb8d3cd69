import { fileURLToPath } from "node:url";
import { createHardhatRuntimeEnvironment, importUserConfig } from "hardhat/hre";
import { type Address, createWalletClient, custom, getAddress, type Hex, keccak256, publicActions, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { nektarChain } from "../../src/chain.ts";
import { deployNektar, type NektarManifest } from "../../src/index.ts";

// The Hardhat project whose in-process network the tests run on (a test-time input, like the build's artifacts).
const CONTRACTS = fileURLToPath(new URL("../../../../contracts/", import.meta.url));

/** An in-process Hardhat (EDR) network with every Nektar contract deployed by `deployNektar`. */
export async function startNetwork(opts: { maxIncreaseBpPerDay?: bigint } = {}) {
  const config = await importUserConfig(`${CONTRACTS}hardhat.config.ts`);
  const hre = await createHardhatRuntimeEnvironment(config, {}, CONTRACTS);
  const connection = await hre.network.create();
  const transport = custom(connection.provider);
  const accounts = (await connection.provider.request({ method: "eth_accounts" })) as Address[];
  const manifest = await deployNektar({
    rpcUrl: "http://127.0.0.1:8545",
    transport,
    maxIncreaseBpPerDay: opts.maxIncreaseBpPerDay ?? 10_000n,
  });
  const chain = nektarChain(manifest.chainId, manifest.rpcUrl);
  /** A write client for one of the node's unlocked accounts (index 0 deployed and holds the roles). */
  function client(index: number) {
    const account = accounts[index];
    if (!account) throw new Error(`no account ${index}`);
    return createWalletClient({ chain, account: getAddress(account), transport }).extend(publicActions);
  }
  /** A write client for a fresh local key (no ether unless funded). */
  function localClient(seed: string) {
    const account = privateKeyToAccount(keccak256(toHex(seed)) as Hex);
    return createWalletClient({ chain, account, transport }).extend(publicActions);
  }
  async function increaseTime(seconds: number) {
    await connection.provider.request({ method: "evm_increaseTime", params: [seconds] });
    await connection.provider.request({ method: "evm_mine", params: [] });
  }
  return {
    manifest: manifest as NektarManifest,
    contracts: manifest.contracts,
    accounts,
    client,
    localClient,
    increaseTime,
    close: () => connection.close(),
  };
}
