import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { Status } from "../operators/fixture.ts";
import { deployOracleSystem, GWEI, honestState, ReportStatus } from "./fixture.ts";

const { viem } = await network.create();

describe("AccountingOracle: finalizing a frame by proofs (no reporter needed)", () => {
  it("applies a frame once every deposited validator is proven, in batches, in beacon index order", async () => {
    const s = await deployOracleSystem(viem, 3);
    const frame = await s.currentFrame();
    const balances = [32n * GWEI + 1_000_000n, 32n * GWEI + 2_000_000n, 32n * GWEI + 3_000_000n];
    const state = honestState(s, balances);
    const t = await s.anchor(frame, state);
    const vr = state.validatorsRootProof();
    const br = state.balancesRootProof();
    await viem.assertions.emitWithArgs(
      s.prover.write.startProofFrame([frame, t, vr.root, vr.proof, br.root, br.proof, 0n]),
      s.prover,
      "ProofFrameStarted",
      [frame, state.blockRoot, 3n],
    );
    const item = (i: number) => {
      const b = state.balanceInListProof(i);
      return {
        beaconIndex: BigInt(i),
        validator: state.validator(i),
        validatorProof: state.validatorInListProof(i),
        balancesChunk: b.chunk,
        balanceProof: b.proof,
      };
    };
    const [a, b, c] = s.leavesOf(state).map((l) => Number(l.beaconIndex));
    assert.ok(a !== undefined && b !== undefined && c !== undefined);
    // A foreign validator cannot be counted; order is enforced; the report cannot be posted meanwhile.
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.prover.write.proveValidators([frame, [item(0)]]),
      s.prover,
      "NotProtocolValidator",
      [0n],
    );
    await s.prover.write.proveValidators([frame, [item(a), item(b)]]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.prover.write.proveValidators([frame, [item(a)]]),
      s.prover,
      "ValidatorOutOfOrder",
      [BigInt(a), BigInt(b + 1)],
    );
    await viem.assertions.revertWithCustomError(
      s.oracle.write.postReport([frame, t, vr.root, 3n, 0n, 0n], { account: s.reporter }),
      s.oracle,
      "FrameAlreadyReported",
    );
    await viem.assertions.emit(s.prover.write.proveValidators([frame, [item(c)]]), s.oracle, "ReportApplied");
    assert.equal((await s.oracle.read.getReport([frame])).status, ReportStatus.Applied);
    assert.deepEqual(await s.pool.read.beaconStats(), [3n, balances.reduce((x, y) => x + y, 0n) * GWEI]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.prover.write.proveValidators([frame, [item(c)]]),
      s.prover,
      "NoProofFrame",
      [frame],
    );
  });
});

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
