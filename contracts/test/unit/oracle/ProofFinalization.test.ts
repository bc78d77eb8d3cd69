import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { AnchoredBeaconState } from "@nektar/crypto";
import { network } from "hardhat";
import {
  type Account,
  type BaseError,
  ContractFunctionRevertedError,
  getAddress,
  type Hex,
  keccak256,
  numberToHex,
  zeroHash,
} from "viem";
import { prng } from "../../helpers/prng.ts";
import { Status } from "../operators/fixture.ts";
import {
  beaconState,
  deployOracleSystem,
  foreignPubkey,
  GWEI,
  honestState,
  type OracleSystem,
  ReportStatus,
  type StateValidator,
} from "./fixture.ts";

const { viem } = await network.create();

/** Opens `account`'s proof session of `frame` on `state` (anchored at `t`). */
function start(s: OracleSystem, frame: bigint, t: bigint, state: AnchoredBeaconState, account?: Account) {
  const r = state.proofFrameRoots();
  return s.prover.write.startProofFrame(
    [
      frame,
      t,
      r.listLength,
      r.validatorsSubtreeRoot,
      r.validatorsRootProof,
      r.balancesSubtreeRoot,
      r.balancesRootProof,
    ],
    account ? { account } : {},
  );
}

/** Proves the validators at `indices` of `state` in `account`'s session. */
function prove(s: OracleSystem, frame: bigint, state: AnchoredBeaconState, indices: number[], account?: Account) {
  const b = state.validatorBatchProof(indices);
  return s.prover.write.proveValidators([frame, b.records, b.balancesChunks, b.proof], account ? { account } : {});
}

const RECORD_BYTES = 129;

describe("AccountingOracle: finalizing a frame by proofs (no reporter needed)", () => {
  it("applies a frame once every deposited validator is proven, in batches, in beacon index order", async () => {
    const s = await deployOracleSystem(viem, 3);
    const frame = await s.currentFrame();
    const balances = [32n * GWEI + 1_000_000n, 32n * GWEI + 2_000_000n, 32n * GWEI + 3_000_000n];
    const state = honestState(s, balances);
    const t = await s.anchor(frame, state);
    const me = getAddress((await viem.getWalletClients())[0]?.account.address ?? "0x");
    await viem.assertions.emitWithArgs(start(s, frame, t, state), s.prover, "ProofFrameStarted", [
      frame,
      me,
      state.blockRoot,
      3n,
    ]);
    const [a, b, c] = s.leavesOf(state).map((l) => Number(l.beaconIndex));
    assert.ok(a !== undefined && b !== undefined && c !== undefined);
    // A foreign validator cannot be counted; order is enforced; the report cannot be posted meanwhile.
    await viem.assertions.revertWithCustomErrorWithArgs(prove(s, frame, state, [0]), s.prover, "NotProtocolValidator", [
      0n,
    ]);
    await viem.assertions.emitWithArgs(prove(s, frame, state, [a, b]), s.prover, "ValidatorsProven", [
      frame,
      me,
      2n,
      (balances[0] as bigint) + (balances[1] as bigint),
    ]);
    await viem.assertions.revertWithCustomErrorWithArgs(prove(s, frame, state, [a]), s.prover, "ValidatorOutOfOrder", [
      BigInt(a),
      BigInt(b + 1),
    ]);
    const vr = state.validatorsRootProof();
    await viem.assertions.revertWithCustomError(
      s.oracle.write.postReport([frame, t, vr.root, 3n, 0n], { account: s.reporter }),
      s.oracle,
      "FrameAlreadyReported",
    );
    await viem.assertions.emit(prove(s, frame, state, [c]), s.oracle, "ReportApplied");
    assert.equal((await s.oracle.read.getReport([frame])).status, ReportStatus.Applied);
    assert.deepEqual(await s.pool.read.beaconStats(), [3n, balances.reduce((x, y) => x + y, 0n) * GWEI]);
    await viem.assertions.revertWithCustomErrorWithArgs(prove(s, frame, state, [c]), s.prover, "NoProofFrame", [frame]);
  });
});

describe("OracleProver: attacks on the batch format are refused with clear errors", () => {
  let s: OracleSystem;
  let frame: bigint;
  let state: AnchoredBeaconState;
  let t: bigint;
  let a: number;
  let b: number;
  let c: number;

  before(async () => {
    s = await deployOracleSystem(viem, 3);
    frame = await s.currentFrame();
    state = honestState(s, [32n * GWEI + 1n, 32n * GWEI + 2n, 32n * GWEI + 3n]);
    t = await s.anchor(frame, state);
    [a, b, c] = s.leavesOf(state).map((l) => Number(l.beaconIndex)) as [number, number, number];
    await start(s, frame, t, state);
  });

  it("counts no validator twice: a repeated record in one batch, or one proven by an earlier batch", async () => {
    const once = state.validatorBatchProof([a]);
    const twice = `0x${once.records.slice(2).repeat(2)}` as Hex;
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.prover.write.proveValidators([frame, twice, once.balancesChunks, once.proof]),
      s.prover,
      "ValidatorOutOfOrder",
      [BigInt(a), BigInt(a + 1)],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      prove(s, frame, state, [b, a]),
      s.prover,
      "ValidatorOutOfOrder",
      [BigInt(a), BigInt(b + 1)],
    );
  });

  it("refuses a forged sibling in the shared branch of the records and of the chunks", async () => {
    const batch = state.validatorBatchProof([a, b, c]);
    const roots = state.proofFrameRoots();
    const top = batch.recordsProofLength - 1; // the topmost records sibling, shared by the whole batch
    const forged = batch.proof.map((h, i) => (i === top ? keccak256(h) : h));
    await viem.assertions.revertWithCustomError(
      s.prover.write.proveValidators([frame, batch.records, batch.balancesChunks, forged]),
      s.prover,
      "InvalidMerkleProof",
    );
    const computed = await rootOf(
      s.prover.simulate.proveValidators([frame, batch.records, batch.balancesChunks, forged]),
    );
    assert.equal(computed.root, roots.validatorsSubtreeRoot);
    // One validator: its chunk's sibling (the other chunk of this small state) is the last hash of the proof.
    const single = state.validatorBatchProof([a]);
    assert.ok(single.proof.length > single.recordsProofLength);
    const forgedChunks = single.proof.map((h, i) => (i === single.proof.length - 1 ? keccak256(h) : h));
    const chunksErr = await rootOf(
      s.prover.simulate.proveValidators([frame, single.records, single.balancesChunks, forgedChunks]),
    );
    assert.equal(chunksErr.root, roots.balancesSubtreeRoot);
  });

  it("refuses a balances chunk from another list, another state, or edited to inflate a balance", async () => {
    const batch = state.validatorBatchProof([a, b, c]);
    const roots = state.proofFrameRoots();
    const richer = honestState(s, [64n * GWEI, 32n * GWEI + 2n, 32n * GWEI + 3n]);
    const fromRicher = richer.validatorBatchProof([a, b, c]).balancesChunks;
    const validatorLeaf = state.validatorBatchProof([a]).records; // any 32 bytes of the validators list
    const inflated = `0x${"ff".repeat(8)}${(batch.balancesChunks[0] as Hex).slice(18)}` as Hex;
    for (const chunks of [
      fromRicher,
      [`0x${validatorLeaf.slice(2, 66)}` as Hex, ...batch.balancesChunks.slice(1)],
      [inflated, ...batch.balancesChunks.slice(1)],
    ]) {
      const err = await rootOf(s.prover.simulate.proveValidators([frame, batch.records, chunks, batch.proof]));
      assert.equal(err.root, roots.balancesSubtreeRoot);
    }
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.prover.write.proveValidators([frame, batch.records, batch.balancesChunks.slice(1), batch.proof]),
      s.prover,
      "BalanceChunkCount",
      [BigInt(batch.balancesChunks.length - 1), BigInt(batch.balancesChunks.length)],
    );
  });

  it("refuses a record moved to another beacon index, past the list, or malformed", async () => {
    const batch = state.validatorBatchProof([b]);
    const moved = `0x${(b + 2).toString(16).padStart(16, "0")}${batch.records.slice(18)}` as Hex;
    const err = await rootOf(s.prover.simulate.proveValidators([frame, moved, batch.balancesChunks, batch.proof]));
    assert.equal(err.root, state.proofFrameRoots().validatorsSubtreeRoot);
    const length = state.state.validators.length;
    const beyond = `0x${length.toString(16).padStart(16, "0")}${batch.records.slice(18)}` as Hex;
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.prover.write.proveValidators([frame, beyond, batch.balancesChunks, batch.proof]),
      s.prover,
      "ValidatorBeyondList",
      [BigInt(length), BigInt(length)],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.prover.write.proveValidators([frame, `${batch.records}00`, batch.balancesChunks, batch.proof]),
      s.prover,
      "MalformedRecords",
      [BigInt(RECORD_BYTES + 1)],
    );
    await viem.assertions.revertWithCustomError(
      s.prover.write.proveValidators([frame, "0x", [], []]),
      s.prover,
      "EmptyBatch",
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.prover.write.proveValidators([frame, batch.records, batch.balancesChunks, batch.proof.slice(0, -1)]),
      s.prover,
      "MultiproofTooShort",
      [BigInt(batch.proof.length - 1)],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.prover.write.proveValidators([frame, batch.records, batch.balancesChunks, [...batch.proof, zeroHash]]),
      s.prover,
      "MultiproofTooLong",
      [BigInt(batch.proof.length + 1), BigInt(batch.proof.length)],
    );
  });

  it("refuses a wrong list length: the mixed-in length and the subtree depth are bound to the list roots", async () => {
    const r = state.proofFrameRoots();
    const other = s.accounts.bob.account;
    for (const listLength of [r.listLength + 1n, r.listLength - 1n, 4n, 1000n]) {
      await viem.assertions.revertWithCustomError(
        s.prover.write.startProofFrame(
          [
            frame,
            t,
            listLength,
            r.validatorsSubtreeRoot,
            r.validatorsRootProof,
            r.balancesSubtreeRoot,
            r.balancesRootProof,
          ],
          { account: other },
        ),
        s.prover,
        "InvalidMerkleProof",
      );
    }
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.prover.write.startProofFrame(
        [
          frame,
          t,
          2n ** 40n,
          r.validatorsSubtreeRoot,
          r.validatorsRootProof,
          r.balancesSubtreeRoot,
          r.balancesRootProof,
        ],
        { account: other },
      ),
      s.prover,
      "ListTooLong",
      [2n ** 40n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      start(s, frame, t + 1n, state, other),
      s.prover,
      "AnchorMismatch",
      [t + 1n, t],
    );
  });

  it("a batch that skips a validator spoils only its own session: an honest prover still finalizes the frame", async () => {
    const griefer = s.accounts.carol.account;
    await start(s, frame, t, state, griefer);
    // The skipping batch is valid as far as it goes, but the skipped validator can never be added after it…
    await prove(s, frame, state, [a, c], griefer);
    await viem.assertions.revertWithCustomErrorWithArgs(
      prove(s, frame, state, [b], griefer),
      s.prover,
      "ValidatorOutOfOrder",
      [BigInt(b), BigInt(c + 1)],
    );
    const spoiled = await s.prover.read.proofSession([griefer.address]);
    assert.equal(spoiled.proof.count, 2n);
    assert.equal((await s.oracle.read.getReport([frame])).status, ReportStatus.None);
    // …and an honest prover's own session is untouched by it.
    const honest = s.accounts.bob.account;
    await start(s, frame, t, state, honest);
    await prove(s, frame, state, [a], honest);
    await viem.assertions.emit(prove(s, frame, state, [b, c], honest), s.oracle, "ReportApplied");
    assert.deepEqual(await s.pool.read.beaconStats(), [3n, (96n * GWEI + 6n) * GWEI]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      prove(s, frame, state, [b], griefer),
      s.prover,
      "NoProofFrame",
      [frame],
    );
  });
});

describe("OracleProver: property test over random validator sets (Lodestar SSZ states, real contracts)", () => {
  it("finalizes random states split into random batches to exactly the protocol validators' balance sum", async () => {
    const s = await deployOracleSystem(viem, 5);
    const random = prng(19);
    const int = (n: number) => Math.floor(random() * n);
    for (let round = 0; round < 6; round++) {
      const frame = round === 0 ? await s.currentFrame() : await s.nextFrame();
      // 5 protocol validators among 4..300 foreign ones (some with the pool's credentials), at random positions.
      const foreign = 4 + int(297);
      const slots = new Set<number>();
      while (slots.size < s.pubkeys.length) slots.add(int(foreign + s.pubkeys.length));
      const validators: StateValidator[] = [];
      let next = 0;
      let sum = 0n;
      for (let i = 0; i < foreign + s.pubkeys.length; i++) {
        if (slots.has(i)) {
          const balance = 32n * GWEI + BigInt(int(1_000_000));
          sum += balance;
          validators.push({ pubkey: s.pubkeys[next++] as Hex, credentials: s.credentials, balance });
        } else {
          const credentials = random() < 0.5 ? s.credentials : numberToHex(BigInt(1 + int(100)), { size: 32 });
          validators.push({ pubkey: foreignPubkey(1000 + i), credentials, balance: BigInt(int(64)) * GWEI });
        }
      }
      const state = beaconState(validators);
      const t = await s.anchor(frame, state);
      await start(s, frame, t, state);
      const indices = s.leavesOf(state).map((l) => Number(l.beaconIndex));
      assert.deepEqual(
        indices,
        [...slots].sort((x, y) => x - y),
      );
      let from = 0;
      while (from < indices.length) {
        const size = 1 + int(indices.length - from);
        await prove(s, frame, state, indices.slice(from, from + size));
        from += size;
      }
      const report = await s.oracle.read.getReport([frame]);
      assert.equal(report.status, ReportStatus.Applied, `round ${round}`);
      assert.deepEqual(await s.pool.read.beaconStats(), [5n, sum * GWEI], `round ${round}`);
    }
  });
});

/** The `InvalidMerkleProof(root, computed)` a simulated call reverts with. */
async function rootOf(call: Promise<unknown>): Promise<{ root: Hex; computed: Hex }> {
  try {
    await call;
  } catch (e) {
    const err = (e as BaseError).walk((x) => x instanceof ContractFunctionRevertedError);
    if (err instanceof ContractFunctionRevertedError && err.data?.errorName === "InvalidMerkleProof") {
      const [root, computed] = err.data.args as [Hex, Hex];
      return { root, computed };
    }
    throw e;
  }
  throw new Error("the call did not revert");
}

describe("AccountingOracle: validator lifecycle by proof (replaces the lifecycle reporter role)", () => {
  it("moves a validator to Active, Exiting and Withdrawn from beacon records; refuses other validators' records", async () => {
    const s = await deployOracleSystem(viem, 1);
    const id = (await s.registry.read.requestCount()) as bigint;
    const prove = async (extra: Parameters<typeof honestState>[2]) => {
      const state = honestState(s, [32n * GWEI], extra);
      const t = (await s.publicClient.getBlock()).timestamp;
      await s.setBeaconRoot(t, state.blockRoot);
      const { slot: provenSlot, proof } = state.slotProof();
      const v = state.validatorProof(1);
      return s.prover.write.proveValidatorStatus([id, t, provenSlot, proof, 1n, v.validator, v.proof]);
    };
    // The test states are at slot 100: epoch 12 (8 slots per epoch).
    await viem.assertions.revertWithCustomErrorWithArgs(prove([{ activationEpoch: 50n }]), s.prover, "NoStatusChange", [
      id,
    ]);
    await viem.assertions.emitWithArgs(prove([{ activationEpoch: 5n }]), s.registry, "ValidatorStatusChanged", [
      id,
      Status.Active,
    ]);
    await viem.assertions.revertWithCustomErrorWithArgs(prove([{ activationEpoch: 5n }]), s.prover, "NoStatusChange", [
      id,
    ]);
    await viem.assertions.emitWithArgs(
      prove([{ activationEpoch: 5n, exitEpoch: 40n }]),
      s.registry,
      "ValidatorStatusChanged",
      [id, Status.Exiting],
    );
    await viem.assertions.emitWithArgs(
      prove([{ activationEpoch: 5n, exitEpoch: 10n, withdrawableEpoch: 11n, effectiveBalance: 0n }]),
      s.registry,
      "ValidatorStatusChanged",
      [id, Status.Withdrawn],
    );
    // Another validator's record cannot move this one.
    const state = honestState(s, [32n * GWEI]);
    const t = (await s.publicClient.getBlock()).timestamp;
    await s.setBeaconRoot(t, state.blockRoot);
    const { slot, proof } = state.slotProof();
    const other = state.validatorProof(0);
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.prover.write.proveValidatorStatus([id, t, slot, proof, 0n, other.validator, other.proof]),
      s.prover,
      "ValidatorMismatch",
      [id, 0n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.prover.write.proveValidatorStatus([id + 1n, t, slot, proof, 0n, other.validator, other.proof]),
      s.prover,
      "UnknownValidator",
      [id + 1n],
    );
  });
});
