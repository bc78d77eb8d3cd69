import { SecretKey } from "@chainsafe/blst";
import { generateKeyPair } from "@libp2p/crypto/keys";
import { computeDepositDataRoot, computeDepositMessageSigningRoot } from "@nektar/crypto";
import { bondOperator, drawCluster, registerOperator, requestValidator, stake } from "@nektar/sdk";
import { startNetwork } from "@nektar/sdk/testing";
import { type Hex, hexToBytes, keccak256, type LocalAccount, parseEther, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { DkgResult } from "../../../src/chain/dkgResult.ts";

export type RegistryNetwork = Awaited<ReturnType<typeof startNetwork>>;

/** A registered operator: its owner is a node account; its DKG-result signer a local key; its node identity real. */
export type FixtureOperator = {
  operatorId: bigint;
  signer: LocalAccount;
  identityPubkey: `0x${string}`;
  peerSeed: number;
};

/**
 * An in-process Hardhat network with every Nektar contract deployed by the SDK's `deployNektar`, 16 operators registered
 * (node accounts 1..16 own them) and bonded, and each signer funded for gas.
 */
export async function registryWith16Operators(): Promise<{ net: RegistryNetwork; operators: FixtureOperator[] }> {
  const net = await startNetwork();
  const { contracts } = net;
  const operators: FixtureOperator[] = [];
  for (let i = 1; i <= 16; i++) {
    const owner = net.client(i);
    const signer = privateKeyToAccount(keccak256(toHex(`stinger-chain-test-signer-${i}`)));
    const key = await generateKeyPair("Ed25519");
    const identityPubkey = toHex(key.publicKey.raw);
    const { operatorId } = await registerOperator(owner, {
      contracts,
      signer: signer.address,
      nodeIdentity: identityPubkey,
    });
    await bondOperator(owner, { contracts, operatorId, amount: parseEther("2") });
    await owner.sendTransaction({ to: signer.address, value: parseEther("1") });
    operators.push({ operatorId, signer, identityPubkey, peerSeed: i });
  }
  return { net, operators };
}

/** Stake 32 ETH and draw a validator; returns the request id. */
export async function requestOneValidator(net: RegistryNetwork): Promise<bigint> {
  await net.increaseTime(1);
  await stake(net.client(17), { contracts: net.contracts, amount: parseEther("32") });
  const { requestId, drawBlock } = await requestValidator(net.client(0), { contracts: net.contracts });
  // Step 2: the draw block must be mined before its RANDAO mix can seed the draw.
  const current = await net.client(0).getBlockNumber({ cacheTime: 0 });
  if (current <= drawBlock) await net.mine(Number(drawBlock - current + 1n));
  await drawCluster(net.client(0), { contracts: net.contracts, requestId });
  return requestId;
}

/** A result with a real BLS key signing the 1 ETH deposit message (the test network's fork version is mainnet's). */
export function fakeResult(requestId: bigint, withdrawalCredentials: Hex): DkgResult {
  const sk = SecretKey.fromKeygen(new Uint8Array(32).fill(Number(requestId % 200n) + 1));
  const pubkey = sk.toPublicKey().toBytes();
  const message = { pubkey, withdrawalCredentials: hexToBytes(withdrawalCredentials), amountGwei: 1_000_000_000n };
  const signature = sk.sign(computeDepositMessageSigningRoot({ ...message, forkVersion: new Uint8Array(4) })).toBytes();
  return {
    requestId,
    groupPubkey: toHex(pubkey),
    sharePubkeys: toHex(new Uint8Array(16 * 48).fill(9)),
    depositSignature: toHex(signature),
    depositDataRoot: toHex(computeDepositDataRoot({ ...message, signature })),
  };
}
