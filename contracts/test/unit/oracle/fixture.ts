import { ssz } from "@lodestar/types";
import { AnchoredBeaconState, type ReportLeaf, type ReportTree } from "@nektar/crypto";
import type { NetworkConnection } from "hardhat/types/network";
import { type Address, type Hex, hexToBytes, numberToHex, parseEther } from "viem";
import { deployOperatorRegistry } from "../operators/fixture.ts";

type Viem = NetworkConnection["viem"];

export const SECONDS_PER_SLOT = 12n;
export const SLOTS_PER_EPOCH = 8n;
export const FRAME_SLOTS = 32n;
export const FRAME_SECONDS = FRAME_SLOTS * SECONDS_PER_SLOT;
export const CHALLENGE_WINDOW = 120n;
/** 100 bond units of 1e16 shares: 1 divETH at the bootstrap rate. */
export const REPORTER_BOND_UNITS = 100;
export const BOND_UNIT_SHARES = 10n ** 16n;
export const GWEI = 10n ** 9n;
export const FAR_FUTURE_EPOCH = 2n ** 64n - 1n;
export const BEACON_ROOTS: Address = "0x000F3df6D732807Ef1319fB7B8bB8522d0Beac02";
export const BEFORE_FIRST = 2n ** 256n - 1n;
export const ReportStatus = { None: 0, Pending: 1, Voided: 2, Applied: 3, Rejected: 4, Superseded: 5 } as const;
export const DisputeKind = {
  NodeSum: 0,
  LeafSum: 1,
  LeafPosition: 2,
  LeafFacts: 3,
  LeafBeyondRegistry: 4,
  LeafOrder: 5,
  MissingValidator: 6,
  Unrevealed: 7,
} as const;

/** One validator of a test beacon state. */
export type StateValidator = {
  pubkey: Hex;
  credentials: Hex;
  balance: bigint;
  slashed?: boolean;
  exitEpoch?: bigint;
  activationEpoch?: bigint;
  /** Its activation eligibility epoch is unset (`FAR_FUTURE_EPOCH`): a 1 ETH predeposit whose top-up is not applied. */
  predeposit?: boolean;
  withdrawableEpoch?: bigint;
  effectiveBalance?: bigint;
};

/** An Electra beacon state holding `validators` (Lodestar SSZ), wrapped with a block header at `slot`. */
export function beaconState(validators: readonly StateValidator[], slot = 100): AnchoredBeaconState {
  const state = ssz.electra.BeaconState.defaultViewDU();
  state.slot = slot;
  for (const v of validators) {
    state.validators.push(
      ssz.phase0.Validator.toViewDU({
        pubkey: hexToBytes(v.pubkey),
        withdrawalCredentials: hexToBytes(v.credentials),
        effectiveBalance: Number(v.effectiveBalance ?? (v.balance > 32n * GWEI * GWEI ? 32n * GWEI : v.balance)),
        slashed: v.slashed ?? false,
        activationEligibilityEpoch: v.predeposit ? Infinity : 0,
        activationEpoch: v.predeposit ? Infinity : Number(v.activationEpoch ?? 0n),
        exitEpoch: v.exitEpoch === undefined || v.exitEpoch === FAR_FUTURE_EPOCH ? Infinity : Number(v.exitEpoch),
        withdrawableEpoch:
          v.withdrawableEpoch === undefined || v.withdrawableEpoch === FAR_FUTURE_EPOCH
            ? Infinity
            : Number(v.withdrawableEpoch),
      }),
    );
    state.balances.push(Number(v.balance));
  }
  return new AnchoredBeaconState(state, {
    slot,
    proposerIndex: 0,
    parentRoot: new Uint8Array(32),
    bodyRoot: new Uint8Array(32).fill(7),
  });
}

/** A fake validator public key (48 bytes) that is not in the registry. */
export function foreignPubkey(i: number): Hex {
  return numberToHex(BigInt(i) + 0xabcdefn, { size: 48 });
}

/**
 * The Diva pool with the real `AccountingOracle` and operator registry, 16 bonded fleet operators and `validators`
 * deposited validators, on a fresh chain whose beacon genesis lies 10 frames in the past (each operator bonds
 * `operatorBond`; more validators need more bond).
 */
export async function deployOracleSystem(viem: Viem, validators = 3, operatorBond = parseEther("40")) {
  const publicClient = await viem.getPublicClient();
  const now = (await publicClient.getBlock()).timestamp;
  const genesisTime = now - 10n * FRAME_SECONDS;
  const s = await deployOperatorRegistry(viem, {
    oracleConfig: {
      genesisTime,
      secondsPerSlot: SECONDS_PER_SLOT,
      slotsPerEpoch: SLOTS_PER_EPOCH,
      frameSlots: FRAME_SLOTS,
      challengeWindow: CHALLENGE_WINDOW,
      reporterBondUnits: REPORTER_BOND_UNITS,
      maxIncreaseBpPerDay: 1000,
      maxDecreaseBpPerReport: 500,
    },
  });
  const deployed = s.accountingOracle;
  if (!deployed) throw new Error("oracle not deployed");
  const oracle = deployed;
  const prover = await viem.getContractAt("OracleProver", await oracle.read.prover());
  const { ids, signers } = await s.addFleet(Array.from({ length: 16 }, () => operatorBond));
  if (validators > 0) await s.fundBuffer(32n * BigInt(validators) * parseEther("1"));
  const pubkeys: Hex[] = [];
  for (let i = 0; i < validators; i++) {
    const req = await s.requestValidator();
    const { result } = await s.completeRequest(req.requestId, req.operatorIds);
    // The 1 ETH predeposit, then the credentials proof and the 31 ETH top-up: a fully deposited validator.
    await s.completeDeposit(result.groupPubkey);
    pubkeys.push(result.groupPubkey);
  }
  const reporter = signers[0];
  const reporterId = ids[0];
  const disputer = s.accounts.carol;
  if (!reporter || reporterId === undefined) throw new Error("no fleet operator");
  await s.testClient.setBalance({ address: reporter.address, value: parseEther("10") });

  /** The current frame, with chain time moved at least one slot past its reference time. */
  async function currentFrame(): Promise<bigint> {
    const frame = await oracle.read.currentFrame();
    const ref = await oracle.read.frameReferenceTime([frame]);
    const latest = (await publicClient.getBlock()).timestamp;
    if (latest < ref + SECONDS_PER_SLOT + 1n) {
      await s.testClient.increaseTime({ seconds: Number(ref + SECONDS_PER_SLOT + 1n - latest) });
      await s.testClient.mine({ blocks: 1 });
    }
    return frame;
  }

  /** Moves to the next frame. */
  async function nextFrame(): Promise<bigint> {
    await s.testClient.increaseTime({ seconds: Number(FRAME_SECONDS) });
    await s.testClient.mine({ blocks: 1 });
    return currentFrame();
  }

  /** Makes the EIP-4788 contract hold `blockRoot` for `timestamp` (what the execution client's system call does). */
  async function setBeaconRoot(timestamp: bigint, blockRoot: Hex) {
    const word = (n: bigint) => numberToHex(n, { size: 32 });
    await s.testClient.setStorageAt({ address: BEACON_ROOTS, index: word(timestamp % 8191n), value: word(timestamp) });
    await s.testClient.setStorageAt({
      address: BEACON_ROOTS,
      index: word((timestamp % 8191n) + 8191n),
      value: blockRoot,
    });
  }

  /** The frame's snapshot anchor, taking the snapshot (`OracleProver.snapshotFrame`) if nobody has yet. */
  async function snapshot(frame: bigint): Promise<bigint> {
    const [taken] = await prover.read.frameSnapshot([frame]);
    if (taken !== 0n) return taken;
    await prover.write.snapshotFrame([frame]);
    const [t] = await prover.read.frameSnapshot([frame]);
    return t;
  }

  /**
   * Anchors `state` for `frame` at the frame's snapshot anchor (taking the snapshot if needed), makes chain time
   * reach it and returns the anchor timestamp.
   */
  async function anchor(frame: bigint, state: AnchoredBeaconState): Promise<bigint> {
    const t = await snapshot(frame);
    await setBeaconRoot(t, state.blockRoot);
    const latest = (await publicClient.getBlock()).timestamp;
    if (latest < t) {
      await s.testClient.increaseTime({ seconds: Number(t - latest) });
      await s.testClient.mine({ blocks: 1 });
    }
    return t;
  }

  /** The protocol leaves of `state` (registry public keys and the pool's credentials). */
  function leavesOf(state: AnchoredBeaconState): ReportLeaf[] {
    const known = new Set(pubkeys.map((p) => p.toLowerCase()));
    return state.protocolLeaves(
      (pk, wc) => known.has(pk.toLowerCase()) && wc.toLowerCase() === s.credentials.toLowerCase(),
    );
  }

  /** Posts `tree` for `frame` anchored at `state` as the reporter (operator `reporterId`'s signer). */
  async function post(frame: bigint, state: AnchoredBeaconState, tree: ReportTree) {
    const t = await anchor(frame, state);
    const root = tree.root;
    return oracle.write.postReport([frame, t, root.hash, root.count, root.sum], { account: reporter });
  }

  /** Total pooled ether and total shares: what the share rate is made of. */
  async function poolNumbers() {
    return {
      pooled: await s.pool.read.getTotalPooledEther(),
      shares: await s.pool.read.getTotalShares(),
      beacon: await s.pool.read.beaconStats(),
    };
  }

  return {
    ...s,
    oracle,
    prover,
    genesisTime,
    pubkeys,
    reporter,
    reporterId,
    disputer,
    currentFrame,
    nextFrame,
    setBeaconRoot,
    snapshot,
    anchor,
    leavesOf,
    post,
    poolNumbers,
  };
}

export type OracleSystem = Awaited<ReturnType<typeof deployOracleSystem>>;

/** The honest state of `s`'s validators: each protocol validator with `balances[i]` gwei, plus foreign validators. */
export function honestState(s: OracleSystem, balances: readonly bigint[], extra: Partial<StateValidator>[] = []) {
  const validators: StateValidator[] = [{ pubkey: foreignPubkey(0), credentials: s.credentials, balance: 32n * GWEI }];
  s.pubkeys.forEach((pubkey, i) => {
    validators.push({ pubkey, credentials: s.credentials, balance: balances[i] ?? 32n * GWEI, ...extra[i] });
    validators.push({ pubkey: foreignPubkey(i + 1), credentials: numberToHex(1n, { size: 32 }), balance: 32n * GWEI });
  });
  return beaconState(validators);
}
