/**
 * Gas of the accounting oracle's operations on the real contracts, shared by `bench/oracle-gas.ts` (prints the table
 * and writes `snapshots/gas-oracle.txt`) and `test/unit/oracle/OracleGasSnapshot.test.ts` (re-measures and compares).
 *
 * Posting is measured with the pool believing 10, 1,000 and 10,000 validators are deposited (its counter is set
 * with `hardhat_setStorageAt`): the report commits to a root, so nothing in it grows with the count. Disputes are
 * measured against a 3-validator tree (depth 2) and a 10,000-leaf tree (depth 14) to show the O(log n) part.
 */
import {
  EMPTY_LEAF_HASH,
  honestCombine,
  type ReportLeaf,
  ReportTree,
  type ReportTreeNode,
  reportInnerHash,
  reportLeafNode,
} from "@nektar/crypto";
import type { NetworkConnection } from "hardhat/types/network";
import { type Hex, numberToHex } from "viem";
import {
  CHALLENGE_WINDOW,
  deployOracleSystem,
  GWEI,
  honestState,
  type OracleSystem,
} from "../test/unit/oracle/fixture.ts";
import { measureProofFinalizationGas } from "./proof-finalization.ts";

type Viem = NetworkConnection["viem"];

export type OracleGasRow = { name: string; gas: bigint; target?: bigint };

export const POST_REPORT_TARGET = 150_000n;

/** Finds the pool's packed validator-counter slot (deposited count in the low 64 bits) by probing. */
export async function setDepositedValidators(s: OracleSystem, count: bigint): Promise<void> {
  const deposited = await s.pool.read.depositedValidators();
  for (let slot = 0n; slot < 32n; slot++) {
    const index = numberToHex(slot, { size: 32 });
    const value = BigInt((await s.publicClient.getStorageAt({ address: s.pool.address, slot: index })) ?? "0x0");
    if ((value & (2n ** 64n - 1n)) !== deposited) continue;
    const next = (value & ~(2n ** 64n - 1n)) | count;
    await s.testClient.setStorageAt({ address: s.pool.address, index, value: numberToHex(next, { size: 32 }) });
    if ((await s.pool.read.depositedValidators()) === count) return;
    await s.testClient.setStorageAt({ address: s.pool.address, index, value: numberToHex(value, { size: 32 }) });
  }
  throw new Error("pool counter slot not found");
}

export async function measureOracleGas(viem: Viem): Promise<OracleGasRow[]> {
  const rows: OracleGasRow[] = [];
  const s = await deployOracleSystem(viem, 3);
  const gasOf = async (tx: Promise<Hex>) =>
    (await s.publicClient.waitForTransactionReceipt({ hash: await tx })).gasUsed;
  const state = honestState(s, [32n * GWEI, 32n * GWEI, 32n * GWEI]);
  const leaves = s.leavesOf(state);
  const as = { account: s.disputer.account };
  let frame = await s.currentFrame();
  const post = (tree: ReportTree) => s.post(frame, state, tree);

  // ---------------------------------------------------------------- post (count-independent), void by dispute
  const big: ReportLeaf[] = [...leaves];
  for (let i = big.length; i < 10_000; i++) {
    big.push({ beaconIndex: 100n + BigInt(i), balance: 32n * GWEI, exited: false, slashed: false });
  }
  // ---------------------------------------------------------------- each dispute kind, 3-validator tree (depth 2)
  {
    const lie = leaves.map((l, i) => (i === 1 ? { ...l, balance: l.balance + GWEI } : l));
    const tree = new ReportTree(lie);
    await post(tree);
    const i = Number(lie[1]?.beaconIndex);
    const v = state.validatorProof(i);
    const b = state.balanceProof(i);
    rows.push({
      name: "disputeLeafFacts (validator + balance proof), depth 2",
      gas: await gasOf(
        s.oracle.write.disputeLeafFacts(
          [frame, 1n, lie[1] as ReportLeaf, tree.leafPath(1), v.validator, v.proof, b.chunk, b.proof],
          as,
        ),
      ),
    });
  }
  {
    const tree = new ReportTree(leaves, {
      combine: (l, r, d, p) => {
        const n = honestCombine(l, r, d, p);
        return d === 1 && p === 0 ? { ...n, sum: n.sum + 1n, hash: reportInnerHash(l, r) } : n;
      },
    });
    await post(tree);
    rows.push({
      name: "disputeNodeSum, depth 1 of 2",
      gas: await gasOf(
        s.oracle.write.disputeNodeSum(
          [frame, 1n, 0n, tree.node(1, 0), tree.node(2, 0), tree.node(2, 1), tree.path(1, 0)],
          as,
        ),
      ),
    });
  }
  {
    const tree = new ReportTree([leaves[0], leaves[2]] as ReportLeaf[]);
    await post(tree);
    const missing = Number(leaves[1]?.beaconIndex);
    const v = state.validatorProof(missing);
    rows.push({
      name: "disputeMissingValidator (2 leaves + validator proof)",
      gas: await gasOf(
        s.oracle.write.disputeMissingValidator(
          [
            frame,
            {
              position: 0n,
              below: tree.leaves[0] as ReportLeaf,
              belowPath: tree.leafPath(0),
              above: tree.leaves[1] as ReportLeaf,
              abovePath: tree.leafPath(1),
            },
            BigInt(missing),
            v.validator,
            v.proof,
          ],
          as,
        ),
      ),
    });
  }
  {
    const swapped = [leaves[1], leaves[0], leaves[2]] as ReportLeaf[];
    const tree = new ReportTree(swapped);
    await post(tree);
    rows.push({
      name: "disputeLeafOrder (2 leaves)",
      gas: await gasOf(
        s.oracle.write.disputeLeafOrder(
          [frame, 0n, swapped[0] as ReportLeaf, tree.leafPath(0), swapped[1] as ReportLeaf, tree.leafPath(1)],
          as,
        ),
      ),
    });
  }

  {
    // A leaf node claiming 1 gwei more than its leaf (the leaf's own hash): its opening contradicts it.
    const nodes = leaves.map(reportLeafNode);
    const lying = { ...(nodes[1] as ReportTreeNode), sum: (nodes[1] as ReportTreeNode).sum + 1n };
    nodes[1] = lying;
    const tree = new ReportTree(leaves, { leafNodes: nodes });
    await post(tree);
    rows.push({
      name: "disputeLeafSum (1 leaf), depth 2",
      gas: await gasOf(
        s.oracle.write.disputeLeafSum([frame, 1n, lying, leaves[1] as ReportLeaf, tree.leafPath(1)], as),
      ),
    });
  }
  {
    // Three validators claimed, the third placed at position 3 (past the count).
    const gap: ReportLeaf = { beaconIndex: 0n, balance: 0n, exited: false, slashed: false };
    const empty: ReportTreeNode = { hash: EMPTY_LEAF_HASH, count: 0n, sum: 0n };
    const placed = [leaves[0], leaves[1], gap, leaves[2]] as ReportLeaf[];
    const tree = new ReportTree(placed, {
      leafNodes: [
        reportLeafNode(placed[0] as ReportLeaf),
        reportLeafNode(placed[1] as ReportLeaf),
        empty,
        reportLeafNode(placed[3] as ReportLeaf),
      ],
    });
    await post(tree);
    rows.push({
      name: "disputeLeafPosition (1 leaf), depth 2",
      gas: await gasOf(s.oracle.write.disputeLeafPosition([frame, 3n, placed[3] as ReportLeaf, tree.leafPath(3)], as)),
    });
  }
  // A requested leaf the reporter does not reveal within the window.
  await post(new ReportTree([leaves[0], leaves[1]] as ReportLeaf[]));
  await s.oracle.write.requestLeaf([frame, 0n], { ...as, value: 10n ** 16n });
  await s.testClient.increaseTime({ seconds: Number(CHALLENGE_WINDOW) });
  await s.testClient.mine({ blocks: 1 });
  rows.push({
    name: "voidUnrevealed (a request left unanswered)",
    gas: await gasOf(s.oracle.write.voidUnrevealed([frame, 0n], as)),
  });

  // The first report into each of the 4 ring slots writes fresh storage (once per slot in the oracle's life): warm
  // them up with honest reports, then measure the steady state.
  for (let k = 0; k < 4; k++) {
    const gas = await gasOf(s.post(frame, state, new ReportTree(leaves)));
    if (k === 0) rows.push({ name: "postReport, 3 validators", gas });
    await s.testClient.increaseTime({ seconds: Number(CHALLENGE_WINDOW) });
    await s.testClient.mine({ blocks: 1 });
    const applied = await gasOf(s.oracle.write.applyReport([frame]));
    if (k === 3) rows.push({ name: "applyReport (no rewards, bond release)", gas: applied });
    frame = await s.nextFrame();
  }
  rows.push({
    name: "snapshotFrame (the frame's anchor + vault balance, once per frame)",
    gas: await gasOf(s.prover.write.snapshotFrame([frame])),
  });
  for (const count of [10, 1_000, 10_000]) {
    await setDepositedValidators(s, BigInt(count));
    const tree = new ReportTree(big.slice(0, count));
    rows.push({
      name: `postReport, ${count.toLocaleString("en-US")} validators`,
      gas: await gasOf(s.post(frame, state, tree)),
      target: POST_REPORT_TARGET,
    });
    // Void it (root count lie is impossible here: the tree is consistent) by the cheapest dispute: a leaf beyond the
    // beacon registry (fake leaves point past the 7-validator state).
    const list = state.validatorsRootProof();
    const pos = count - 1;
    const leaf = tree.leaves[pos] as ReportLeaf;
    if (count === 10_000) {
      // Data availability: a watcher asks for the leaf, the reporter reveals it with its path.
      rows.push({
        name: "  requestLeaf (0.01 ETH deposit)",
        gas: await gasOf(s.oracle.write.requestLeaf([frame, BigInt(pos)], { ...as, value: 10n ** 16n })),
      });
      rows.push({
        name: "  revealLeaf, depth 14",
        gas: await gasOf(
          s.oracle.write.revealLeaf([frame, BigInt(pos), tree.node(tree.depth, pos), leaf, tree.leafPath(pos)], {
            account: s.reporter,
          }),
        ),
      });
    }
    const g = await gasOf(
      s.oracle.write.disputeLeafBeyondRegistry(
        [frame, BigInt(pos), leaf, tree.leafPath(pos), list.dataRoot, list.length, list.proof],
        as,
      ),
    );
    rows.push({ name: `  disputeLeafBeyondRegistry, depth ${tree.depth}`, gas: g });
  }
  await setDepositedValidators(s, 3n);

  // ---------------------------------------------------------------- apply
  {
    const richer = honestState(s, [32n * GWEI + 1_000_000n, 32n * GWEI + 2_000_000n, 32n * GWEI + 3_000_000n]);
    await s.post(frame, richer, new ReportTree(s.leavesOf(richer)));
    await s.testClient.increaseTime({ seconds: Number(CHALLENGE_WINDOW) });
    await s.testClient.mine({ blocks: 1 });
    rows.push({
      name: "applyReport (rewards: rebase, operator fee, bond release)",
      gas: await gasOf(s.oracle.write.applyReport([frame])),
    });
  }

  // ---------------------------------------------------------------- finalize by proofs (a 5-validator system)
  {
    const p = await deployOracleSystem(viem, 5);
    const pGas = async (tx: Promise<Hex>) =>
      (await p.publicClient.waitForTransactionReceipt({ hash: await tx })).gasUsed;
    const pframe = await p.currentFrame();
    const next = honestState(p, [32n * GWEI + 5n, 32n * GWEI + 6n, 32n * GWEI + 7n, 32n * GWEI + 8n, 32n * GWEI + 9n]);
    const t = await p.anchor(pframe, next);
    const r = next.proofFrameRoots();
    rows.push({
      name: "startProofFrame (anchor + 2 data subtrees, 11 validators), first session",
      gas: await pGas(
        p.prover.write.startProofFrame([
          pframe,
          t,
          r.listLength,
          r.validatorsSubtreeRoot,
          r.validatorsRootProof,
          r.balancesSubtreeRoot,
          r.balancesRootProof,
        ]),
      ),
    });
    const indices = p.leavesOf(next).map((l) => Number(l.beaconIndex));
    const batch = (from: number, to: number) => {
      const b = next.validatorBatchProof(indices.slice(from, to));
      return p.prover.write.proveValidators([pframe, b.records, b.balancesChunks, b.proof]);
    };
    rows.push({ name: "proveValidators, batch of 4", gas: await pGas(batch(0, 4)) });
    rows.push({ name: "  last batch of 1, applies the frame", gas: await pGas(batch(4, 5)) });
  }
  rows.push(...(await measureProofFinalizationGas(viem, setDepositedValidators)));

  // ---------------------------------------------------------------- lifecycle by proof
  {
    const id = await s.registry.read.requestCount();
    const st = honestState(s, [32n * GWEI]);
    const t = (await s.publicClient.getBlock()).timestamp;
    await s.setBeaconRoot(t, st.blockRoot);
    const { slot, proof } = st.slotProof();
    // honestState puts registry validator k at beacon index 2k + 1; the last request is the last validator.
    const i = 2 * (s.pubkeys.length - 1) + 1;
    const v = st.validatorProof(i);
    rows.push({
      name: "proveValidatorStatus (slot + record proof) -> Active",
      gas: await gasOf(s.prover.write.proveValidatorStatus([id, t, slot, proof, BigInt(i), v.validator, v.proof])),
    });
  }
  return rows;
}

/** The snapshot table. */
export function formatOracleGas(rows: readonly OracleGasRow[]): string {
  const lines = [
    "# AccountingOracle gas (transaction gas, real contracts; regenerate: npx hardhat run bench/oracle-gas.ts)",
    "",
    "| operation | gas | target |",
    "| --- | ---: | ---: |",
    ...rows.map((r) => `| ${r.name} | ${r.gas} | ${r.target ?? ""} |`),
    "",
  ];
  return lines.join("\n");
}
