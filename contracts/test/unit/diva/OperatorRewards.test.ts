import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, describe, it } from "node:test";
import { SecretKey } from "@chainsafe/blst";
import {
  buildRewardsDistribution,
  computePerformanceSigningRoot,
  emptyShareLeaf,
  operatorLeafHash,
  positionalTree,
  type RewardsCommitment,
  type RewardsDistribution,
  type RewardsValidator,
  type ShareLeaf,
  shareLeafHash,
} from "@nektar/crypto";
import { network } from "hardhat";
import { bytesToHex, type Hex, hexToBytes, parseEther } from "viem";
import { type GasOperation, gasSnapshotProblems, parseGasSnapshot, writeSnapshot } from "../../../bench/snapshot.ts";
import { g1Point, g2Point } from "../../helpers/bls.ts";
import { deployDiva } from "../../helpers/fixture.ts";
import { prng } from "../../helpers/prng.ts";

const BOND = parseEther("1");
const WINDOW = 3_600n;
const MARGIN = 300n;
const FORK: Hex = "0x00000000";
const SEQ_MAX = 2n ** 256n - 1n;

// Gas of the money paths, re-measured by this test against snapshots/gas-rewards.txt (UPDATE_GAS_SNAPSHOT=1 rewrites it).
const SNAPSHOT = new URL("../../../snapshots/gas-rewards.txt", import.meta.url);
const GAS_OPERATIONS: GasOperation[] = [
  { name: "claim (CSM claimRewardsStETH: 90,944)", target: 90_000n },
  { name: "post a distribution (3 validators, 5 operators)", target: undefined },
  { name: "disputeStatement (one statement, EIP-2537)", target: undefined },
];
const measured = new Map<string, bigint>();
async function measure(name: string, hash: Hex): Promise<bigint> {
  const gas = (await d.publicClient.waitForTransactionReceipt({ hash })).gasUsed;
  measured.set(name, gas);
  return gas;
}

const { viem } = await network.create();
const d = await deployDiva(viem, {
  operatorRewards: { bond: BOND, challengeWindow: WINDOW, marginBps: MARGIN, forkVersion: FORK },
});
if (!d.operatorRewards) throw new Error("fixture without OperatorRewards");
const rewards = d.operatorRewards;
const { alice, bob, carol } = d.accounts;
const chainId = BigInt(await d.publicClient.getChainId());

// Five operators: alice owns 1, bob owns 2, carol owns 3, 4 and 5 are owned by generated addresses.
const OWNERS = [alice.account.address, bob.account.address, carol.account.address];
for (let id = 1; id <= 5; id++) {
  await d.registry.write.setOperator([BigInt(id), OWNERS[id - 1] ?? `0x${id.toString(16).padStart(40, "0")}`]);
}
// Three validators with their own keys (a cluster's threshold signature verifies as the validator key's signature).
const keys = [1, 2, 3].map((i) => SecretKey.fromKeygen(new Uint8Array(32).fill(i)));
const SEATS: number[][] = [
  [1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1],
  [2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2],
  [5, 4, 3, 2, 1, 5, 4, 3, 2, 1, 5, 4, 3, 2, 1, 5],
];
type Seats = Parameters<typeof d.registry.write.setValidator>[0][2];
for (const [i, key] of keys.entries()) {
  await d.registry.write.setValidator([
    BigInt(i + 1),
    bytesToHex(key.toPublicKey().toBytes()),
    SEATS[i] as unknown as Seats,
  ]);
}

function shareArg(dist: { leaves: readonly ShareLeaf[]; shareProof(p: number): Hex[] }, position: number) {
  return {
    position: BigInt(position),
    leaf: { ...(dist.leaves[position] as ShareLeaf) },
    proof: dist.shareProof(position),
  };
}
const NO_SHARE = { position: SEQ_MAX, leaf: emptyShareLeaf(), proof: [] as Hex[] };
const NO_PRIOR = { cumulative: 0n, proof: [] as Hex[] };

/** Signs validator `index`'s statement for `frame` with its key. */
function signStatement(index: number, frame: bigint, expected: number[], contributed: number[]) {
  const key = keys[index] as SecretKey;
  const statement = {
    chainId,
    oracle: d.oracle.address,
    validatorPubkey: key.toPublicKey().toBytes(),
    frame,
    expected,
    contributed,
  };
  const sig = key.sign(computePerformanceSigningRoot(statement, hexToBytes(FORK)));
  return {
    statement: { ...statement, validatorPubkey: bytesToHex(statement.validatorPubkey) },
    pubkeyPoint: g1Point(key.toPublicKey()),
    signature: bytesToHex(sig.toBytes()),
    signaturePoint: g2Point(sig),
  };
}

/** Validators 1 and 2 signed statements, validator 3 did not; share 16 of validator 1 missed most duties. */
const EXPECTED = Array<number>(16).fill(100);
const CONTRIB_1 = [...Array<number>(15).fill(100), 10];
const CONTRIB_2 = [...Array<number>(14).fill(98), 97, 96];
function validators(contrib1 = CONTRIB_1): RewardsValidator[] {
  return [
    { validatorId: 1, operatorIds: SEATS[0] as number[], statement: { expected: EXPECTED, contributed: contrib1 } },
    { validatorId: 2, operatorIds: SEATS[1] as number[], statement: { expected: EXPECTED, contributed: CONTRIB_2 } },
    { validatorId: 3, operatorIds: SEATS[2] as number[] },
  ];
}

/** Applies a report with `gain` wei of rewards (the pool mints 10 % as operator fee to the rewards contract). */
async function reportRewards(gain: bigint): Promise<{ sequence: bigint; frame: bigint; fee: bigint }> {
  const [validatorsOnChain, balance] = await d.pool.read.beaconStats();
  await d.report(validatorsOnChain, balance + gain);
  const sequence = (await rewards.read.feeCount()) - 1n;
  const dist = await rewards.read.getDistribution([sequence]);
  return { sequence, frame: dist.frame, fee: dist.feeShares };
}

async function advance(seconds: bigint) {
  await d.testClient.increaseTime({ seconds: Number(seconds) });
  await d.testClient.mine({ blocks: 1 });
}

let prior: bigint[] = [];
let priorDist: RewardsDistribution | undefined;
function build(fee: bigint, contrib1 = CONTRIB_1) {
  return buildRewardsDistribution({
    feeShares: fee,
    marginBps: MARGIN,
    validators: validators(contrib1),
    operatorCount: 5,
    priorCumulative: prior,
  });
}
/** A commitment whose share leaves are `leaves` (roots recomputed), with the honest totals unless overridden. */
function tampered(dist: RewardsDistribution, leaves: ShareLeaf[], over: Partial<RewardsCommitment> = {}) {
  const tree = positionalTree(leaves.map(shareLeafHash));
  return {
    commitment: { ...dist.commitment, sharesRoot: tree.root, ...over },
    leaves,
    shareProof: (p: number) => tree.proof(p),
  };
}

async function expectVoided(sequence: bigint, disputer: Hex = carol.account.address) {
  const dist = await rewards.read.getDistribution([sequence]);
  assert.equal(dist.status, 2, "voided");
  assert.equal((await rewards.read.withdrawableEther([disputer])) >= BOND, true);
}

describe("OperatorRewards", async () => {
  after(() => {
    if (process.env.UPDATE_GAS_SNAPSHOT === "1") {
      const rows = GAS_OPERATIONS.map((o) => `| ${o.name.padEnd(50)} | ${String(measured.get(o.name)).padStart(7)} |`);
      writeSnapshot(
        SNAPSHOT.pathname,
        [
          "# OperatorRewards gas snapshot (transaction gas), re-measured by test/unit/diva/OperatorRewards.test.ts.",
          "# Regenerate: UPDATE_GAS_SNAPSHOT=1 npx hardhat test nodejs test/unit/diva/OperatorRewards.test.ts",
          `| ${"operation".padEnd(50)} |     gas |`,
          `|${"-".repeat(52)}|---------|`,
          ...rows,
          "",
        ].join("\n"),
      );
      return;
    }
    const problems = gasSnapshotProblems(GAS_OPERATIONS, parseGasSnapshot(readFileSync(SNAPSHOT, "utf8")), measured);
    assert.deepEqual(problems, [], "run with UPDATE_GAS_SNAPSHOT=1 and commit snapshots/gas-rewards.txt");
  });

  await d.pool.write.stake({ account: alice.account, value: parseEther("64") });
  await d.depositValidator();
  await d.depositValidator();
  await d.report(2n, parseEther("64"));

  it("records each applied report's operator fee with its frame", async () => {
    const before = await rewards.read.feeCount();
    const { sequence, fee } = await reportRewards(parseEther("1"));
    assert.equal(sequence, before);
    assert.ok(fee > 0n);
    assert.equal(await d.pool.read.sharesOf([rewards.address]), fee);
  });

  it("refuses bad posts: wrong sequence, bond, counts, a total above the fee, a second pending post", async () => {
    const fee = (await rewards.read.getDistribution([0n])).feeShares;
    const { commitment } = build(fee);
    await assert.rejects(rewards.write.post([1n, commitment], { value: BOND }), /NotNextDistribution/);
    await assert.rejects(rewards.write.post([0n, commitment], { value: BOND - 1n }), /WrongBond/);
    await assert.rejects(
      rewards.write.post([0n, { ...commitment, operatorCount: 4 }], { value: BOND }),
      /CountsMismatch/,
    );
    await assert.rejects(
      rewards.write.post([0n, { ...commitment, totalPaid: fee + 1n }], { value: BOND }),
      /PaysMoreThanFee/,
    );
  });

  it("voids a leaf contradicting the cluster's signed statement and pays the bond to the disputer", async () => {
    const { sequence, frame } = { sequence: 0n, frame: (await rewards.read.getDistribution([0n])).frame };
    const fee = (await rewards.read.getDistribution([0n])).feeShares;
    // The poster credits share 16 of validator 1 with full performance; the cluster signed 10 of 100.
    const lie = build(fee, Array<number>(16).fill(100));
    await rewards.write.post([sequence, lie.commitment], { value: BOND });
    await assert.rejects(rewards.write.post([sequence, lie.commitment], { value: BOND }), /DistributionExists/);
    const position = lie.leaves.findIndex((l) => l.validatorId === 1 && l.shareIndex === 16);
    const signed = signStatement(0, frame, EXPECTED, CONTRIB_1);
    // The statement of another validator does not match the leaf.
    await assert.rejects(
      rewards.write.disputeStatement(
        [sequence, shareArg(lie, position), signStatement(1, frame, EXPECTED, CONTRIB_2)],
        {
          account: carol.account,
        },
      ),
      /StatementMismatch/,
    );
    // A forged signature (another key's) does not verify.
    const forged = signStatement(1, frame, EXPECTED, CONTRIB_1);
    await assert.rejects(
      rewards.write.disputeStatement(
        [
          sequence,
          shareArg(lie, position),
          { ...forged, statement: signed.statement, pubkeyPoint: signed.pubkeyPoint },
        ],
        { account: carol.account },
      ),
      /InvalidStatementSignature/,
    );
    // A share leaf that agrees with the statement is no contradiction.
    const agreeing = lie.leaves.findIndex((l) => l.validatorId === 1 && l.shareIndex === 1);
    await assert.rejects(
      rewards.write.disputeStatement([sequence, shareArg(lie, agreeing), signed], { account: carol.account }),
      /NoContradiction/,
    );
    const hash = await rewards.write.disputeStatement([sequence, shareArg(lie, position), signed], {
      account: carol.account,
    });
    await measure("disputeStatement (one statement, EIP-2537)", hash);
    await expectVoided(sequence);
  });

  it("voids a leaf whose amount is not the split rule's", async () => {
    const fee = (await rewards.read.getDistribution([0n])).feeShares;
    const honest = build(fee);
    const leaves = honest.leaves.map((l) => ({ ...l }));
    const k = leaves.findIndex((l) => l.amount > 0n);
    (leaves[k] as ShareLeaf).amount += 1n;
    const wrong = tampered(honest, leaves);
    await rewards.write.post([0n, wrong.commitment], { value: BOND });
    // An honest leaf of the same tree is no contradiction.
    await assert.rejects(rewards.write.disputeShare([0n, shareArg(wrong, k + 1)]), /NoContradiction/);
    await assert.rejects(
      rewards.write.disputeShare([0n, { ...shareArg(wrong, k), proof: wrong.shareProof(k + 1) }]),
      /InvalidProof/,
    );
    await rewards.write.disputeShare([0n, shareArg(wrong, k)], { account: carol.account });
    await expectVoided(0n);
  });

  it("voids a leaf seated on the wrong operator, and fields without a statement", async () => {
    const fee = (await rewards.read.getDistribution([0n])).feeShares;
    const honest = build(fee);
    for (const mutate of [
      (l: ShareLeaf) => {
        l.operatorId = l.operatorId === 5 ? 4 : l.operatorId + 1;
      },
      (l: ShareLeaf) => {
        l.expected = 1;
      },
    ]) {
      const leaves = honest.leaves.map((l) => ({ ...l }));
      const k = leaves.findIndex((l) => l.validatorId === 3);
      mutate(leaves[k] as ShareLeaf);
      const wrong = tampered(honest, leaves);
      await rewards.write.post([0n, wrong.commitment], { value: BOND });
      await rewards.write.disputeShare([0n, shareArg(wrong, k)], { account: carol.account });
      await expectVoided(0n);
    }
  });

  it("voids broken running sums: a prefix, the totals at the end, an operator's running cumulative", async () => {
    const fee = (await rewards.read.getDistribution([0n])).feeShares;
    const honest = build(fee);
    const count = honest.leaves.length;
    // A prefix that does not add up.
    let leaves = honest.leaves.map((l) => ({ ...l }));
    (leaves[10] as ShareLeaf).prefixPaid += 1n;
    let wrong = tampered(honest, leaves);
    await rewards.write.post([0n, wrong.commitment], { value: BOND });
    await assert.rejects(
      rewards.write.disputeLink([0n, 5n, shareArg(wrong, 4), shareArg(wrong, 5), NO_PRIOR]),
      /NoContradiction/,
    );
    await rewards.write.disputeLink([0n, 10n, shareArg(wrong, 9), shareArg(wrong, 10), NO_PRIOR], {
      account: carol.account,
    });
    await expectVoided(0n);
    // Totals that the last leaf does not reach (the poster keeps a wei back from the holders' part).
    wrong = tampered(
      honest,
      honest.leaves.map((l) => ({ ...l })),
      { totalPaid: honest.commitment.totalPaid - 1n },
    );
    await rewards.write.post([0n, wrong.commitment], { value: BOND });
    await assert.rejects(
      rewards.write.disputeLink([0n, 0n, shareArg(wrong, 0), shareArg(wrong, 0), NO_PRIOR]),
      /NoContradiction/,
    );
    await rewards.write.disputeLink([0n, BigInt(count), shareArg(wrong, count - 1), NO_SHARE, NO_PRIOR], {
      account: carol.account,
    });
    await expectVoided(0n);
    // Two leaves swapped: out of order.
    leaves = honest.leaves.map((l) => ({ ...l }));
    [leaves[20], leaves[21]] = [leaves[21] as ShareLeaf, leaves[20] as ShareLeaf];
    wrong = tampered(honest, leaves);
    await rewards.write.post([0n, wrong.commitment], { value: BOND });
    await rewards.write.disputeLink([0n, 21n, shareArg(wrong, 20), shareArg(wrong, 21), NO_PRIOR], {
      account: carol.account,
    });
    await expectVoided(0n);
  });

  it("voids an operator total that is not its leaves' running cumulative", async () => {
    const fee = (await rewards.read.getDistribution([0n])).feeShares;
    const honest = build(fee);
    const cumulative = [...honest.cumulative];
    cumulative[2] = (cumulative[2] as bigint) + 1n;
    const tree = positionalTree(cumulative.map((c, id) => operatorLeafHash(id, c)));
    await rewards.write.post([0n, { ...honest.commitment, operatorsRoot: tree.root }], { value: BOND });
    const last = honest.leaves.findLastIndex((l) => l.operatorId === 2);
    const operator = { operatorId: 2n, cumulative: cumulative[2] as bigint, proof: tree.proof(2) };
    // Not located: `below` is not operator 2's last leaf.
    await assert.rejects(
      rewards.write.disputeOperatorTotal([0n, operator, shareArg(honest, last - 1), shareArg(honest, last), NO_PRIOR]),
      /OperatorNotLocated/,
    );
    // Operator 1 is right.
    await assert.rejects(
      rewards.write.disputeOperatorTotal([
        0n,
        { operatorId: 1n, cumulative: cumulative[1] as bigint, proof: tree.proof(1) },
        shareArg(
          honest,
          honest.leaves.findLastIndex((l) => l.operatorId === 1),
        ),
        shareArg(honest, honest.leaves.findLastIndex((l) => l.operatorId === 1) + 1),
        NO_PRIOR,
      ]),
      /NoContradiction/,
    );
    // Operator 0 (undrawn seats: none here) holds its prior cumulative: located before the first leaf.
    await assert.rejects(
      rewards.write.disputeOperatorTotal([
        0n,
        { operatorId: 0n, cumulative: 0n, proof: tree.proof(0) },
        NO_SHARE,
        shareArg(honest, 0),
        NO_PRIOR,
      ]),
      /NoContradiction/,
    );
    await rewards.write.disputeOperatorTotal(
      [0n, operator, shareArg(honest, last), shareArg(honest, last + 1), NO_PRIOR],
      { account: carol.account },
    );
    await expectVoided(0n);
  });

  it("finalizes an honest distribution after the window: Σ paid + burned = fee; operators claim once", async () => {
    const dist0 = await rewards.read.getDistribution([0n]);
    const honest = build(dist0.feeShares);
    const postHash = await rewards.write.post([0n, honest.commitment], { value: BOND, account: bob.account });
    await measure("post a distribution (3 validators, 5 operators)", postHash);
    await assert.rejects(rewards.write.finalize([0n]), /DisputeWindowOpen/);
    await assert.rejects(
      rewards.write.claim([1n, honest.cumulative[1] as bigint, honest.operatorProof(1)], { account: alice.account }),
      /NothingFinal/,
    );
    await advance(WINDOW);
    await assert.rejects(rewards.write.disputeShare([0n, shareArg(honest, 0)]), /DisputeWindowClosed/);
    const totalBefore = await d.pool.read.getTotalShares();
    await rewards.write.finalize([0n]);
    await assert.rejects(rewards.write.finalize([0n]), /NotPending/);
    // The unpaid part was burned: the contract holds exactly Σ paid of this fee.
    assert.equal(await d.pool.read.sharesOf([rewards.address]), honest.commitment.totalPaid + (await otherFees(0n)));
    assert.equal(totalBefore - (await d.pool.read.getTotalShares()), honest.toHolders);
    assert.equal(honest.commitment.totalPaid + honest.toHolders, dist0.feeShares);
    // Share 16 of validator 1 (operator 1) was below the threshold and validator 3 had no statement: they earn 0.
    assert.ok(honest.leaves.some((l) => l.validatorId === 1 && l.shareIndex === 16 && l.amount === 0n));
    assert.ok(honest.leaves.filter((l) => l.validatorId === 3).every((l) => l.amount === 0n));

    // Claims: wrong proof, another operator's proof, someone else's operator; then one claim and a double claim.
    const cum1 = honest.cumulative[1] as bigint;
    await assert.rejects(
      rewards.write.claim([1n, cum1 + 1n, honest.operatorProof(1)], { account: alice.account }),
      /InvalidProof/,
    );
    await assert.rejects(
      rewards.write.claim([1n, honest.cumulative[2] as bigint, honest.operatorProof(2)], { account: alice.account }),
      /InvalidProof/,
    );
    await assert.rejects(
      rewards.write.claim([2n, honest.cumulative[2] as bigint, honest.operatorProof(2)], { account: alice.account }),
      /NotOperatorOwner/,
    );
    const before = await d.pool.read.sharesOf([alice.account.address]);
    const hash = await rewards.write.claim([1n, cum1, honest.operatorProof(1)], { account: alice.account });
    const claimGas = await measure("claim (CSM claimRewardsStETH: 90,944)", hash);
    assert.ok(claimGas <= 90_000n, `claim ${claimGas} > 90k`);
    assert.equal((await d.pool.read.sharesOf([alice.account.address])) - before, cum1);
    await assert.rejects(
      rewards.write.claim([1n, cum1, honest.operatorProof(1)], { account: alice.account }),
      /NothingToClaim/,
    );
    // The poster's bond and the disputers' payouts are withdrawable once.
    await rewards.write.withdrawEther({ account: bob.account });
    await assert.rejects(rewards.write.withdrawEther({ account: bob.account }), /NothingToWithdraw/);
    await rewards.write.withdrawEther({ account: carol.account });
    prior = [...honest.cumulative];
    priorDist = honest;
  });

  it("chains cumulative amounts across fees: the next distribution continues each operator's prior total", async () => {
    const { sequence, fee } = await reportRewards(parseEther("0.7"));
    const next = build(fee);
    // A running cumulative that restarts from 0 instead of the prior total is disputed with the prior leaf.
    const leaves = next.leaves.map((l) => ({ ...l }));
    const first2 = leaves.findIndex((l) => l.operatorId === 2);
    for (const l of leaves) if (l.operatorId === 2) l.operatorCumulative -= prior[2] as bigint;
    const wrong = tampered(next, leaves);
    await rewards.write.post([sequence, wrong.commitment], { value: BOND });
    const priorLeaf = { cumulative: prior[2] as bigint, proof: (priorDist as RewardsDistribution).operatorProof(2) };
    await assert.rejects(
      rewards.write.disputeLink([
        sequence,
        BigInt(first2),
        shareArg(wrong, first2 - 1),
        shareArg(wrong, first2),
        { ...priorLeaf, cumulative: 0n },
      ]),
      /InvalidProof/,
    );
    await rewards.write.disputeLink(
      [sequence, BigInt(first2), shareArg(wrong, first2 - 1), shareArg(wrong, first2), priorLeaf],
      { account: carol.account },
    );
    await expectVoided(sequence);
    await rewards.write.post([sequence, next.commitment], { value: BOND });
    await advance(WINDOW);
    await rewards.write.finalize([sequence]);
    const before = await d.pool.read.sharesOf([alice.account.address]);
    await rewards.write.claim([1n, next.cumulative[1] as bigint, next.operatorProof(1)], { account: alice.account });
    assert.equal(
      (await d.pool.read.sharesOf([alice.account.address])) - before,
      (next.cumulative[1] as bigint) - (prior[1] as bigint),
    );
    prior = [...next.cumulative];
    priorDist = next;
  });

  it("property: for random performance and fees, Σ paid + Σ burned = the fee to the wei and claims drain exactly Σ paid", async () => {
    const random = prng(13);
    for (let round = 0; round < 4; round++) {
      const { sequence, fee } = await reportRewards(BigInt(Math.floor(random() * 1e6)) * 10n ** 12n + 1n);
      const contrib = Array.from({ length: 16 }, () => Math.floor(random() * 101));
      const next = build(fee, contrib);
      await rewards.write.post([sequence, next.commitment], { value: BOND });
      await advance(WINDOW);
      const totalBefore = await d.pool.read.getTotalShares();
      await rewards.write.finalize([sequence]);
      const burned = totalBefore - (await d.pool.read.getTotalShares());
      assert.equal(next.commitment.totalPaid + burned, fee);
      prior = [...next.cumulative];
      priorDist = next;
    }
    // Every operator claims everything: the contract is left with nothing.
    for (let id = 1; id <= 3; id++) {
      const owner = [alice, bob, carol][id - 1];
      const cum = prior[id] as bigint;
      if (cum > (await rewards.read.claimed([BigInt(id)]))) {
        await rewards.write.claim([BigInt(id), cum, (priorDist as RewardsDistribution).operatorProof(id)], {
          account: owner?.account,
        });
      }
    }
    const unclaimed = (prior[4] as bigint) + (prior[5] as bigint);
    assert.equal(await d.pool.read.sharesOf([rewards.address]), unclaimed);
  });

  it("access control and bad input", async () => {
    await assert.rejects(rewards.write.onOperatorFee([1n]), /NotStakingPool/);
    await assert.rejects(rewards.write.finalize([99n]), /NotPending/);
    await assert.rejects(rewards.write.disputeShare([99n, NO_SHARE]), /NotPending/);
    await assert.rejects(rewards.write.claim([0n, 0n, []], { account: alice.account }), /NotOperatorOwner/);
    for (const args of [
      ["0x0000000000000000000000000000000000000000", BOND, WINDOW, MARGIN, FORK],
      [d.pool.address, 0n, WINDOW, MARGIN, FORK],
      [d.pool.address, BOND, 0n, MARGIN, FORK],
      [d.pool.address, BOND, WINDOW, 10_001n, FORK],
    ] as const) {
      await assert.rejects(viem.deployContract("OperatorRewards", [...args]), /InvalidConfig/);
    }
    // Only the registry and the rewards recipient burn through the pool.
    await assert.rejects(d.pool.write.burnShares([1n], { account: alice.account }), /NotValidatorRegistry/);
  });
});

/** Shares of fees after `sequence` that are held by the contract (not yet distributed). */
async function otherFees(sequence: bigint): Promise<bigint> {
  let total = 0n;
  const count = await rewards?.read.feeCount();
  for (let s = sequence + 1n; s < (count ?? 0n); s++)
    total += (await rewards?.read.getDistribution([s]))?.feeShares ?? 0n;
  return total;
}
