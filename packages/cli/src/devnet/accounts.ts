import type { NektarWriteClient } from "@nektar/sdk";
import { type Chain, createTestClient, createWalletClient, custom, http, parseEther, publicActions } from "viem";
import { type HDAccount, mnemonicToAccount } from "viem/accounts";

/** Hardhat's development mnemonic: the devnet node funds its first 20 accounts; the rest are topped up. */
export const DEVNET_MNEMONIC = "test test test test test test test test test test test junk";

/** Account index layout on the devnet: 0 deploys and reports, 1..9 stakers, 19 the Distributor's holder, 20+ operators. */
export const DEPLOYER_ACCOUNT = 0;
export const FIRST_STAKER_ACCOUNT = 1;
export const DISTRIBUTOR_HOLDER_ACCOUNT = 19;
export const FIRST_OPERATOR_ACCOUNT = 20;

export type DevnetClient = NektarWriteClient & ReturnType<typeof publicActions>;

/** The devnet account at `index` of the development mnemonic (its private key is public knowledge: devnet only). */
export function mnemonicAccount(index: number): HDAccount {
  return mnemonicToAccount(DEVNET_MNEMONIC, { addressIndex: index });
}

export function devnetClient(chain: Chain, rpcUrl: string, index: number): DevnetClient {
  return createWalletClient({
    chain,
    account: mnemonicAccount(index),
    // The devnet's Hardhat node serves ~40 clients on 2 cores while 20 Stinger processes start: ride out a busy moment
    // (viem retries connection failures; 5 retries from 300 ms back off for ~9 s) instead of failing `npm start`.
    transport: http(rpcUrl, { retryCount: 5, retryDelay: 300 }),
  }).extend(publicActions) as DevnetClient;
}

/** Sets an account's balance (Hardhat's `hardhat_setBalance`, through viem's test action). */
export async function fund(client: DevnetClient, ether: string): Promise<void> {
  const hardhat = createTestClient({ mode: "hardhat", chain: client.chain, transport: custom(client) });
  await hardhat.setBalance({ address: client.account.address, value: parseEther(ether) });
}
