import type { NektarWriteClient } from "@nektar/sdk/browser";
import { type Chain, createWalletClient, http } from "viem";
import { mnemonicToAccount } from "viem/accounts";

// Development mode only (loaded on demand, so a production build's first page does not carry it): the devnet's
// accounts are derived from its public mnemonic and sign in the page. Their keys are public knowledge.

export function devnetWalletClient(chain: Chain, rpcUrl: string, mnemonic: string, index: number): NektarWriteClient {
  return createWalletClient({
    chain,
    account: mnemonicToAccount(mnemonic, { addressIndex: index }),
    transport: http(rpcUrl),
  });
}

export function devnetAddress(mnemonic: string, index: number): `0x${string}` {
  return mnemonicToAccount(mnemonic, { addressIndex: index }).address;
}
