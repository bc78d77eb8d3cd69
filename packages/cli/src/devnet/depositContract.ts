import { readFileSync } from "node:fs";
import { createPublicClient, type Hex, http } from "viem";
import { deployContract, waitForTransactionReceipt } from "viem/actions";
import type { DevnetClient } from "./accounts.ts";
import { CONTRACTS_DIR } from "./paths.ts";
import { DevnetProcessError } from "./processes.ts";

const ARTIFACT = `${CONTRACTS_DIR}artifacts/src/devnet/DepositContract.sol/DepositContract.json`;

/** The chain id an EVM JSON-RPC endpoint serves. */
export async function chainIdOf(rpcUrl: string): Promise<number> {
  return createPublicClient({ transport: http(rpcUrl) }).getChainId();
}

/**
 * Deploys the devnet's beacon deposit contract (from the built artifact) ahead of the other contracts, so the beacon
 * devnet that bridges it can start while the rest deploys; the deployment script then takes it as an existing one.
 */
export async function deployDepositContract(deployer: DevnetClient): Promise<Hex> {
  const artifact = JSON.parse(readFileSync(ARTIFACT, "utf8")) as { abi: unknown[]; bytecode: Hex };
  const hash = await deployContract(deployer, {
    abi: artifact.abi,
    bytecode: artifact.bytecode,
    account: deployer.account,
    chain: deployer.chain,
  });
  const receipt = await waitForTransactionReceipt(deployer, { hash });
  if (receipt.status !== "success" || !receipt.contractAddress) {
    throw new DevnetProcessError("deploy", ARTIFACT, `deposit contract deployment failed (tx ${hash})`);
  }
  return receipt.contractAddress;
}
