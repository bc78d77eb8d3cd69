import { type Address, getAddress } from "viem";
import { deployContract, getChainId, waitForTransactionReceipt } from "viem/actions";
import type { NektarWriteClient } from "../client.ts";
import { depositContractAbi } from "../generated/abis.ts";
import { depositContractBytecode } from "../generated/bytecode.ts";
import { DeploymentError, DepositContractChainError } from "./errors.ts";

/**
 * Chain ids on which the devnet deposit contract may be deployed: Hardhat/EDR and Anvil (31337, also the chain of
 * `nektar devnet`'s Hardhat node), Ganache and `geth --dev` (1337).
 */
export const LOCAL_CHAIN_IDS: readonly number[] = [31_337, 1_337];

/** Throws `DepositContractChainError` unless `chainId` is a local development chain (`LOCAL_CHAIN_IDS`). */
export function assertLocalChain(chainId: number): void {
  if (!LOCAL_CHAIN_IDS.includes(chainId)) throw new DepositContractChainError(chainId, LOCAL_CHAIN_IDS);
}

export type DeployDepositContractReturnType = Address;

/**
 * Deploys the devnet's beacon deposit contract (`contracts/src/devnet/DepositContract.sol`, the consensus spec's
 * contract). The only place that deploys it: `deployNektar` calls it when no existing deposit contract is given, and
 * the devnet deploys it on its own first so the beacon devnet that bridges it can start while the rest deploys.
 * Refuses (before sending anything) on a chain whose id the node reports is not in `LOCAL_CHAIN_IDS`.
 */
export async function deployDepositContract(client: NektarWriteClient): Promise<DeployDepositContractReturnType> {
  assertLocalChain(await getChainId(client));
  const hash = await deployContract(client, {
    abi: depositContractAbi,
    bytecode: depositContractBytecode,
    account: client.account,
    chain: client.chain,
  });
  const receipt = await waitForTransactionReceipt(client, { hash });
  if (receipt.status !== "success" || !receipt.contractAddress) {
    throw new DeploymentError("DepositContract", `deploying DepositContract failed (tx ${hash})`);
  }
  return getAddress(receipt.contractAddress);
}
