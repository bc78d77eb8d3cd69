import type { SecretKey } from "@chainsafe/blst";
import type { ChainForkConfig } from "@lodestar/config";
import { DOMAIN_DEPOSIT } from "@lodestar/params";
import { computeDomain, computeSigningRoot, ZERO_HASH } from "@lodestar/state-transition";
import { ssz } from "@lodestar/types";
import { depositContractAbi } from "@nektar/sdk";
import { type Address, createWalletClient, encodeFunctionData, type Hex, http } from "viem";

/** A signed deposit (DepositData) and its SSZ root, as the deposit contract checks it. */
export function makeDeposit(
  config: ChainForkConfig,
  sk: SecretKey,
  withdrawalCredentials: Uint8Array,
  amountGwei: number,
) {
  const pubkey = sk.toPublicKey().toBytes();
  const domain = computeDomain(DOMAIN_DEPOSIT, config.GENESIS_FORK_VERSION, ZERO_HASH);
  const message = { pubkey, withdrawalCredentials, amount: amountGwei };
  const signature = sk.sign(computeSigningRoot(ssz.phase0.DepositMessage, message, domain)).toBytes();
  const data = { ...message, signature };
  return { ...data, depositDataRoot: ssz.phase0.DepositData.hashTreeRoot(data) };
}

/** 0x01 withdrawal credentials paying `address` (`0x01 ‖ 11 zero bytes ‖ address`). */
export function executionCredentials(address: Address): Uint8Array {
  const wc = new Uint8Array(32);
  wc[0] = 0x01;
  wc.set(Buffer.from(address.slice(2), "hex"), 12);
  return wc;
}

/** Sends `deposit` with `valueWei` to the deposit contract from `from` (an unlocked node account); returns the tx hash. */
export function sendDeposit(p: {
  rpcUrl: string;
  depositContract: Address;
  from: Address;
  deposit: ReturnType<typeof makeDeposit>;
  valueWei: bigint;
}): Promise<Hex> {
  const wallet = createWalletClient({ transport: http(p.rpcUrl), account: p.from });
  const hex = (b: Uint8Array): Hex => `0x${Buffer.from(b).toString("hex")}`;
  return wallet.sendTransaction({
    chain: null,
    to: p.depositContract,
    value: p.valueWei,
    data: encodeFunctionData({
      abi: depositContractAbi,
      functionName: "deposit",
      args: [
        hex(p.deposit.pubkey),
        hex(p.deposit.withdrawalCredentials),
        hex(p.deposit.signature),
        hex(p.deposit.depositDataRoot),
      ],
    }),
  });
}
