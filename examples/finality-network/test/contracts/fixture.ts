import { aggregateSignatures, SecretKey } from "@chainsafe/blst";
import { g1PointFromPublicKey, g2PointFromSignature } from "@nektar/crypto";
import type { NetworkConnection } from "hardhat/types/network";
import { bytesToHex, type Hex, hexToBytes, maxUint256, parseEther, type WalletClient } from "viem";
import type { Statement } from "../../module/statement.ts";

type Viem = NetworkConnection["viem"];

/** Restaking vault epoch and commission delay in these tests. */
export const VAULT_EPOCH = 3_600n;
export const SECONDS_PER_SLOT = 6n;
export const SLOTS_PER_EPOCH = 8n;
export const REWARD_PER_EPOCH = parseEther("1");
export const BEACON_ROOTS = "0x000F3df6D732807Ef1319fB7B8bB8522d0Beac02";

/** One operator: its wallet and its Network BLS key. */
export type Member = { wallet: WalletClient; address: Hex; sk: SecretKey; pubkey: Hex; point: Hex };

export function networkKey(seed: number): Pick<Member, "sk" | "pubkey" | "point"> {
  const ikm = new Uint8Array(32).fill(seed & 0xff);
  ikm[0] = 0x42;
  ikm[1] = seed >> 8;
  const sk = SecretKey.fromKeygen(ikm);
  const pk = sk.toPublicKey().toBytes();
  return { sk, pubkey: bytesToHex(pk), point: bytesToHex(g1PointFromPublicKey(pk)) };
}

export function signG2(sk: SecretKey, digest: Hex): Hex {
  return bytesToHex(g2PointFromSignature(sk.sign(hexToBytes(digest)).toBytes()));
}

export function aggregateG2(sks: SecretKey[], digest: Hex): Hex {
  const sig = aggregateSignatures(sks.map((sk) => sk.sign(hexToBytes(digest))));
  return bytesToHex(g2PointFromSignature(sig.toBytes()));
}

/**
 * The Nektar restaking stack (divETH pool, vault, registry) and the finality relay registered as a Network, with
 * `count` operators that registered in the vault, self-staked `stakes[i]` divETH, opted in and registered a key.
 */
export async function deployFinality(viem: Viem, stakes: bigint[], opts: { fund?: bigint } = {}) {
  const publicClient = await viem.getPublicClient();
  const testClient = await viem.getTestClient();
  const [deployer, operatorsAccount, outsider, delegator] = await viem.getWalletClients();
  if (!deployer || !operatorsAccount || !outsider || !delegator) throw new Error("need 4 accounts");
  const depositContract = await viem.deployContract("DepositContract");
  const pool = await viem.deployContract("StakingPool", [depositContract.address, operatorsAccount.account.address], {
    value: parseEther("0.001"),
  });
  const wrapper = await viem.deployContract("WrappedDivETH", [pool.address]);
  const vault = await viem.deployContract("RestakingVault", [pool.address, wrapper.address, VAULT_EPOCH, VAULT_EPOCH]);
  const registry = await viem.deployContract("NetworkRegistry", [vault.address]);
  await vault.write.wireNetworkRegistry([registry.address]);
  const genesis = (await publicClient.getBlock()).timestamp;
  const relay = await viem.deployContract(
    "FinalityRelay",
    [
      registry.address,
      REWARD_PER_EPOCH,
      parseEther("1000000"),
      genesis,
      SECONDS_PER_SLOT,
      SLOTS_PER_EPOCH,
      "ipfs://fr",
    ],
    { value: opts.fund ?? parseEther("100") },
  );
  const networkId = await relay.read.networkId();
  const consumer = await viem.deployContract("FinalizedBlockConsumer", [relay.address]);

  const members: Member[] = [];
  for (let i = 0; i < stakes.length; i++) {
    const pk = `0x${(0x1000 + i).toString(16).padStart(64, "0")}` as Hex;
    const { privateKeyToAccount } = await import("viem/accounts");
    const account = privateKeyToAccount(pk);
    await testClient.setBalance({ address: account.address, value: parseEther("1000000") });
    const wallet = await viem.getWalletClient(account.address, { account });
    members.push({ wallet, address: account.address, ...networkKey(i + 1) });
  }

  const now = async () => (await publicClient.getBlock()).timestamp;
  async function nextVaultEpoch(offset = 10n) {
    const g = await vault.read.GENESIS();
    const t = await now();
    await testClient.setNextBlockTimestamp({ timestamp: g + ((t - g) / VAULT_EPOCH + 1n) * VAULT_EPOCH + offset });
    await testClient.mine({ blocks: 1 });
  }
  const keyRegistrations: Hex[] = [];
  async function registerKey(m: Member) {
    const pop = await relay.read.popMessage([m.address, m.pubkey]);
    const hash = await relay.write.registerKey([m.pubkey, m.point, signG2(m.sk, pop)], { account: m.wallet.account });
    keyRegistrations.push(hash);
    return hash;
  }
  for (const [i, m] of members.entries()) {
    const account = m.wallet.account;
    if (!account) throw new Error("no account");
    await vault.write.registerOperator([1_000n], { account });
    const stake = stakes[i] ?? 0n;
    await pool.write.stake({ account, value: stake + parseEther("1") });
    await pool.write.approve([vault.address, maxUint256], { account });
    await vault.write.deposit([m.address, stake], { account });
    await registry.write.optIn([networkId], { account });
    await registerKey(m);
  }
  await nextVaultEpoch();
  await nextVaultEpoch();

  /** The statement for the latest finalizable epoch (root and hash derived from the epoch). */
  async function statement(epoch?: bigint): Promise<Statement> {
    const e = epoch ?? (await relay.read.latestFinalizableEpoch());
    return {
      epoch: e,
      checkpointRoot: `0x${(0xaa00n + e).toString(16).padStart(64, "0")}`,
      executionBlockHash: `0x${(0xbb00n + e).toString(16).padStart(64, "0")}`,
    };
  }
  /** Arguments of `submitCertificate` signed by `signers` (member indices, any order). */
  async function certificate(s: Statement, signers: number[]) {
    const digest = await relay.read.statementDigest([s]);
    const sorted = [...signers].sort((a, b) => a - b);
    const chosen = sorted.map((i) => members[i] as Member);
    const keys = `0x${chosen.map((m) => m.point.slice(2)).join("")}` as Hex;
    return [
      s,
      sorted.map(BigInt),
      keys,
      aggregateG2(
        chosen.map((m) => m.sk),
        digest,
      ),
    ] as const;
  }
  /** Writes the EIP-4788 root of the slot after `epoch`'s checkpoint slot. */
  async function setBeaconRoot(epoch: bigint, root: Hex) {
    const timestamp = genesis + (epoch * SLOTS_PER_EPOCH + 1n) * SECONDS_PER_SLOT;
    const ring = timestamp % 8191n;
    const word = (n: bigint) => `0x${n.toString(16).padStart(64, "0")}` as Hex;
    await testClient.setStorageAt({ address: BEACON_ROOTS, index: word(ring), value: word(timestamp) });
    await testClient.setStorageAt({ address: BEACON_ROOTS, index: word(ring + 8191n), value: root });
  }

  return {
    publicClient,
    testClient,
    accounts: { deployer, outsider, delegator },
    pool,
    vault,
    registry,
    relay,
    consumer,
    networkId,
    members,
    keyRegistrations,
    genesis,
    now,
    nextVaultEpoch,
    registerKey,
    statement,
    certificate,
    setBeaconRoot,
  };
}

export { maxUint256 };
