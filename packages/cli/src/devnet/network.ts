import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { deployFinalityRelay, getFinalityRelayState } from "@nektar/finality-network/client";
import {
  depositRestake,
  getRestakingRewards,
  type NektarContracts,
  type NektarReadClient,
  registerRestakingOperator,
  setNetworkMembership,
  stake,
} from "@nektar/sdk";
import { type Address, parseEther, zeroAddress } from "viem";
import type { DevnetClient } from "./accounts.ts";
import type { DevnetOperator } from "./operators.ts";
import { SLOTS_PER_EPOCH } from "./status.ts";

/**
 * The example finality-relay Network (`examples/finality-network`) on the devnet: the relay is deployed and registers
 * itself as a Network; the first half of the operators opt in with a self-stake and run its module inside their
 * `stinger run` (`--networks`); a staker delegates to three of them. With `--demo-slash` the last opted-in operator's
 * module equivocates once a certificate it signed landed, and the others slash it on-chain.
 */

/** Wei the relay pays per certified epoch, and what it is funded with. */
const REWARD_PER_EPOCH = parseEther("0.01");
const RELAY_FUNDS = parseEther("100");
/**
 * Each opted-in operator's own restaked divETH, and what the delegating staker restakes with each of three. Small on
 * purpose: the ether staked for them lands in the pool's buffer, and the operators' nodes request a validator for
 * every 32 ETH there, so bonds + these stakes + the stakers' stakes must stay under (validators + 1) × 32 ETH.
 */
const SELF_STAKE = parseEther("2");
const DELEGATION = parseEther("2");
/** The module as Stinger imports it. */
const MODULE = "@nektar/finality-network/module";
/** The relay's record beside the manifest (the `finality-network` CLI reads it). */
export const FINALITY_NETWORK_FILE = "finality-network.json";
/** Restaking-vault epochs on the devnet: this many beacon epochs, so stake activates and rewards pay within minutes. */
export const DEVNET_VAULT_EPOCH_BEACON_EPOCHS = 4;

export type DevnetFinalityNetwork = {
  relay: Address;
  networkId: bigint;
  deploymentBlock: bigint;
  /** Operator indices (0-based) that opt in and run the module. */
  members: number[];
  /** The demo-slash operator (`--demo-slash`), if any. */
  equivocator: number | undefined;
  /** `networks.json` of operator `index` for `stinger run --networks`, or undefined for non-members. */
  networksFile(index: number): string | undefined;
};

/** Seconds of a restaking-vault epoch on the devnet. */
export function devnetVaultEpochSeconds(slotSeconds: number): bigint {
  return BigInt(DEVNET_VAULT_EPOCH_BEACON_EPOCHS * SLOTS_PER_EPOCH * slotSeconds);
}

/**
 * Deploys the relay (it registers as a Network) and writes the members' `networks.json` and the relay record beside
 * the manifest. Runs before the Stinger nodes start, so the members start with the module.
 */
export async function deployFinalityNetwork(p: {
  deployer: DevnetClient;
  contracts: NektarContracts;
  manifestPath: string;
  dir: string;
  beaconGenesis: number;
  slotSeconds: number;
  operators: number;
  demoSlash: boolean;
}): Promise<DevnetFinalityNetwork> {
  const d = await deployFinalityRelay(p.deployer, {
    registry: p.contracts.networkRegistry,
    rewardPerEpoch: REWARD_PER_EPOCH,
    maxStakePerOperator: parseEther("1000000"),
    beaconGenesis: BigInt(p.beaconGenesis),
    secondsPerSlot: BigInt(p.slotSeconds),
    slotsPerEpoch: BigInt(SLOTS_PER_EPOCH),
    metadataURI: "finality relay (examples/finality-network)",
    fund: RELAY_FUNDS,
  });
  const members = Array.from({ length: Math.floor(p.operators / 2) }, (_, i) => i);
  const equivocator = p.demoSlash ? members.at(-1) : undefined;
  writeFileSync(
    join(dirname(p.manifestPath), FINALITY_NETWORK_FILE),
    JSON.stringify({ relay: d.relay, networkId: d.networkId.toString(), deploymentBlock: d.blockNumber.toString() }),
  );
  const networksDir = join(p.dir, "networks");
  mkdirSync(networksDir, { recursive: true });
  for (const i of members) {
    const options = i === equivocator ? { unsafeEquivocateOnceCertified: true } : {};
    const entry = { module: MODULE, contract: d.relay, networkId: d.networkId.toString(), options };
    writeFileSync(join(networksDir, `op-${i + 1}.json`), JSON.stringify({ networks: [entry] }, null, 2));
  }
  return {
    relay: d.relay,
    networkId: d.networkId,
    deploymentBlock: d.blockNumber,
    members,
    equivocator,
    networksFile: (i) => (members.includes(i) ? join(networksDir, `op-${i + 1}.json`) : undefined),
  };
}

/**
 * Runs a transaction again when its nonce was taken: the operator's own Stinger node signs upkeep transactions
 * (validator requests, reports) from the same account at the same time. A refused nonce means nothing was sent.
 */
async function retryOnNonce<T>(send: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await send();
    } catch (e) {
      if (i >= attempts || !/nonce/i.test((e as Error).message)) throw e;
      await new Promise((r) => setTimeout(r, 500 * i));
    }
  }
}

/**
 * The members become restaking operators (10% commission), restake `SELF_STAKE` of their own and opt in (their
 * modules then register their Network keys); `delegator` restakes `DELEGATION` with each of the first three.
 */
export async function joinFinalityNetwork(p: {
  network: DevnetFinalityNetwork;
  operators: readonly DevnetOperator[];
  delegator: DevnetClient | undefined;
  contracts: NektarContracts;
}): Promise<string[]> {
  const { contracts, network } = p;
  const members = p.operators.filter((o) => network.members.includes(o.index));
  await Promise.all(
    members.map(async ({ client }) => {
      await retryOnNonce(() => registerRestakingOperator(client, { contracts, commissionBps: 1_000n }));
      await retryOnNonce(() => stake(client, { contracts, amount: SELF_STAKE + parseEther("0.01") }));
      await retryOnNonce(() =>
        depositRestake(client, { contracts, operator: client.account.address, amount: SELF_STAKE }),
      );
      await retryOnNonce(() =>
        setNetworkMembership(client, { contracts, networkId: network.networkId, membership: "in" }),
      );
    }),
  );
  const events = [`${members.length} operators opted in to the finality relay (Network #${network.networkId})`];
  const delegator = p.delegator;
  if (delegator) {
    const targets = members.slice(0, 3);
    await stake(delegator, { contracts, amount: DELEGATION * BigInt(targets.length) + parseEther("0.01") });
    for (const t of targets) {
      await depositRestake(delegator, { contracts, operator: t.client.account.address, amount: DELEGATION });
    }
    events.push(`staker ${delegator.account.address} delegated 2 divETH to each of ${targets.length} relay operators`);
  }
  return events;
}

export type FinalityStatus = {
  networkId: bigint;
  relay: Address;
  optedIn: number;
  keyed: number;
  lastEpoch: bigint | undefined;
  lastSigners: number;
  certificates: number;
  rewardsEarned: bigint;
  rewardsPaid: bigint;
  /** Rewards the vault holds for the members' operators (commission and self-stake) and their delegators. */
  claimable: bigint;
  offences: { operator: Address; epoch: bigint; offence: string }[];
};

/** Reads the relay and the vault for the status screen. */
export async function readFinalityStatus(
  client: NektarReadClient,
  p: { network: DevnetFinalityNetwork; delegator: Address | undefined; contracts: NektarContracts },
): Promise<FinalityStatus> {
  const s = await getFinalityRelayState(client, { relay: p.network.relay, fromBlock: p.network.deploymentBlock });
  // Each member: its commission and its self-stake's rewards; the delegator: its rewards at every member.
  const members = s.operators.map(({ operator }) => operator);
  const rewards = await Promise.all([
    ...members.map((operator) =>
      getRestakingRewards(client, {
        contracts: p.contracts,
        account: operator,
        operators: [operator],
        tokens: [zeroAddress],
      }),
    ),
    ...(p.delegator
      ? [
          getRestakingRewards(client, {
            contracts: p.contracts,
            account: p.delegator,
            operators: members,
            tokens: [zeroAddress],
          }),
        ]
      : []),
  ]);
  const claimable = rewards.flat().reduce((a, r) => a + r.amount, 0n);
  return {
    networkId: s.networkId,
    relay: s.relay,
    optedIn: p.network.members.length,
    keyed: s.operators.length,
    lastEpoch: s.latest?.epoch,
    lastSigners: s.latest?.signers.length ?? 0,
    certificates: s.certificates,
    rewardsEarned: s.rewardsEarned,
    rewardsPaid: s.rewardsPaid,
    claimable,
    offences: s.offences,
  };
}

/** Event lines for what changed since the previous status (keys, certificates every few, offences). */
export function finalityEvents(previous: FinalityStatus | undefined, now: FinalityStatus): string[] {
  const out: string[] = [];
  if (now.keyed > (previous?.keyed ?? 0)) out.push(`finality relay: ${now.keyed} Network keys registered`);
  if (now.certificates > (previous?.certificates ?? 0) && now.lastEpoch !== undefined) {
    out.push(`finality relay: epoch ${now.lastEpoch} certified by ${now.lastSigners} operators`);
  }
  if (now.rewardsPaid > (previous?.rewardsPaid ?? 0n)) out.push("finality relay: rewards paid through the vault");
  for (const o of now.offences.slice(previous?.offences.length ?? 0)) {
    out.push(`finality relay: operator ${o.operator} slashed (${o.offence}, epoch ${o.epoch})`);
  }
  return out;
}
