/**
 * Gas of finalizing a frame by proofs (`OracleProver.startProofFrame` + `proveValidators`), shared by
 * `bench/oracle-operations.ts` (the oracle's table in `snapshots/gas-oracle.txt`).
 *
 * Per-validator cost depends on how deep the validators sit (the state's validator count) and on how close they are
 * to each other (neighbours share upper siblings and balance chunks). Measured on Lodestar SSZ states of 65,536 and
 * 4,096 validators (subtree depth 16 and 12) with the protocol's validators spread evenly — the worst case for
 * sharing, as on mainnet — and adjacent (the best case). The mainnet figure (~2.2M validators, depth 22) is
 * extrapolated linearly from the two measured depths: each level adds one sibling per validator in each tree.
 *
 * The batches come from 65 protocol validators whose public keys are written into the registry's
 * `validatorIdByPubkey` mapping with `hardhat_setStorageAt` (registering 65 validators through the DKG flow takes
 * minutes here; the lookup reads the same kind of slot either way), and the pool's deposited count is set to 65, so no
 * measured batch completes a frame. Each batch size runs in its own prover session (sessions are per account).
 */
import type { AnchoredBeaconState } from "@nektar/crypto";
import type { NetworkConnection } from "hardhat/types/network";
import { encodeAbiParameters, type Hex, keccak256, numberToHex } from "viem";
import {
  beaconState,
  deployOracleSystem,
  foreignPubkey,
  GWEI,
  type OracleSystem,
  type StateValidator,
} from "../test/unit/oracle/fixture.ts";

type Viem = NetworkConnection["viem"];
type Row = { name: string; gas: bigint; target?: bigint };

/** Issue 19's target for one validator proven in a batch. */
export const VALIDATOR_PROOF_TARGET = 60_000n;
/** Validators in the Ethereum mainnet state (late 2026, order of magnitude): subtree depth 22. */
const MAINNET_DEPTH = 22n;
const PROTOCOL_VALIDATORS = 65;
const BATCHES = [1, 8, 32, 64] as const;

/** Writes `validatorIdByPubkey(pubkey) = id` into the registry's storage (slot found from a registered key). */
async function registerPubkeys(s: OracleSystem, pubkeys: readonly Hex[]): Promise<void> {
  const known = s.pubkeys[0] as Hex;
  const id = await s.registry.read.validatorIdByPubkey([known]);
  const entry = (pubkey: Hex, slot: bigint) =>
    keccak256(encodeAbiParameters([{ type: "bytes32" }, { type: "uint256" }], [keccak256(pubkey), slot]));
  for (let slot = 0n; slot < 256n; slot++) {
    const value = await s.publicClient.getStorageAt({ address: s.registry.address, slot: entry(known, slot) });
    if (BigInt(value ?? "0x0") !== id) continue;
    for (const [k, pubkey] of pubkeys.entries()) {
      const value = numberToHex(1000n + BigInt(k), { size: 32 });
      await s.testClient.setStorageAt({ address: s.registry.address, index: entry(pubkey, slot), value });
    }
    return;
  }
  throw new Error("registry pubkey mapping slot not found");
}

/** A state of `length` validators whose protocol validators (`pubkeys`) sit at `positions`. */
function stateWith(s: OracleSystem, length: number, pubkeys: readonly Hex[], positions: readonly number[]) {
  const at = new Map(positions.map((p, k) => [p, pubkeys[k] as Hex]));
  const foreign = numberToHex(1n, { size: 32 });
  const validators: StateValidator[] = [];
  for (let i = 0; i < length; i++) {
    const pubkey = at.get(i);
    validators.push(
      pubkey
        ? { pubkey, credentials: s.credentials, balance: 32n * GWEI + BigInt(i) }
        : { pubkey: foreignPubkey(i), credentials: foreign, balance: 32n * GWEI },
    );
  }
  return beaconState(validators);
}

/** Rows for finalizing by proofs at scale: batches of 1/8/32/64, per validator. */
export async function measureProofFinalizationGas(
  viem: Viem,
  setDeposited: (s: OracleSystem, count: bigint) => Promise<void>,
): Promise<Row[]> {
  const rows: Row[] = [];
  const s = await deployOracleSystem(viem, 1);
  const provers = (await viem.getWalletClients()).slice(10, 10 + BATCHES.length + 1);
  const pubkeys = Array.from({ length: PROTOCOL_VALIDATORS }, (_, k) => foreignPubkey(5_000_000 + k));
  await registerPubkeys(s, pubkeys);
  await setDeposited(s, BigInt(PROTOCOL_VALIDATORS));
  const known = new Set(pubkeys.map((p) => p.toLowerCase()));
  const leavesOf = (state: AnchoredBeaconState) =>
    state.protocolLeaves((pk, wc) => known.has(pk.toLowerCase()) && wc.toLowerCase() === s.credentials.toLowerCase());
  const gasOf = async (tx: Promise<Hex>) =>
    (await s.publicClient.waitForTransactionReceipt({ hash: await tx })).gasUsed;

  /** Opens one session per prover on `state` in the next frame; returns a batch prover. */
  async function open(state: AnchoredBeaconState, count: number) {
    const frame = await s.nextFrame();
    const t = await s.anchor(frame, state);
    const r = state.proofFrameRoots();
    const starts: bigint[] = [];
    for (const prover of provers.slice(0, count)) {
      const gas = await gasOf(
        s.prover.write.startProofFrame(
          [
            frame,
            t,
            r.listLength,
            r.validatorsSubtreeRoot,
            r.validatorsRootProof,
            r.balancesSubtreeRoot,
            r.balancesRootProof,
          ],
          { account: prover.account },
        ),
      );
      starts.push(gas);
    }
    const indices = leavesOf(state).map((l) => Number(l.beaconIndex));
    return {
      /** The frame's first session (anchors the frame in the oracle). */
      startGas: starts[0] ?? 0n,
      prove: (session: number, size: number) => {
        const b = state.validatorBatchProof(indices.slice(0, size));
        const account = provers[session]?.account;
        if (!account) throw new Error("no prover account");
        return gasOf(s.prover.write.proveValidators([frame, b.records, b.balancesChunks, b.proof], { account }));
      },
    };
  }
  const spread = (length: number) => pubkeys.map((_, k) => Math.floor(((k + 0.5) * length) / PROTOCOL_VALIDATORS));
  const perValidator: bigint[] = [];
  let floorPerValidator = 0n;
  /**
   * The last transaction's calldata tokens (zero byte 1, other byte 4): its EIP-7623 floor is 21,000 + 10 per token,
   * its standard price 21,000 + 4 per token + execution.
   */
  const lastTokens = async () => {
    const block = await s.publicClient.getBlock({ includeTransactions: true });
    const input = block.transactions.at(-1)?.input ?? "0x";
    let tokens = 0n;
    for (let i = 2; i < input.length; i += 2) tokens += input.slice(i, i + 2) === "00" ? 1n : 4n;
    return tokens;
  };
  for (const length of [65_536, 4_096]) {
    const depth = Math.log2(length);
    const session = await open(stateWith(s, length, pubkeys, spread(length)), BATCHES.length);
    rows.push({
      name: `startProofFrame, ${length.toLocaleString("en-US")} validators (depth ${depth}), first session`,
      gas: session.startGas,
    });
    for (const [i, size] of BATCHES.entries()) {
      if (length !== 65_536 && size !== 64) continue;
      const gas = await session.prove(i, size);
      rows.push({
        name: `  proveValidators, batch of ${size} spread over ${length.toLocaleString("en-US")}: per validator`,
        gas: gas / BigInt(size),
        ...(size === 64 ? { target: VALIDATOR_PROOF_TARGET } : {}),
      });
      if (size === 64) perValidator.push(gas / 64n);
      if (size === 64 && length === 65_536) {
        const tokens = await lastTokens();
        floorPerValidator = (21_000n + 10n * tokens) / 64n;
        rows.push({ name: "    of which: calldata floor (EIP-7623) per validator", gas: floorPerValidator });
        rows.push({ name: "    of which: execution per validator", gas: (gas - 21_000n - 4n * tokens) / 64n });
      }
    }
  }
  // Deeper states add one sibling per validator per level in each tree. Execution grows by the measured slope; the
  // calldata floor by 2 · 32 non-zero bytes · 40 gas per level; a transaction pays the larger of the two.
  const [deep, shallow] = perValidator as [bigint, bigint];
  const levels = MAINNET_DEPTH - 16n;
  const linear = deep + ((deep - shallow) / 4n) * levels;
  const floor = floorPerValidator + 2n * 32n * 40n * levels;
  rows.push({
    name: `  batch of 64 at mainnet depth ${MAINNET_DEPTH} (~2.2M validators, extrapolated): per validator`,
    gas: linear > floor ? linear : floor,
    target: VALIDATOR_PROOF_TARGET,
  });
  {
    const adjacent = pubkeys.map((_, k) => 1000 + k);
    const session = await open(stateWith(s, 4_096, pubkeys, adjacent), 1);
    rows.push({
      name: "  proveValidators, batch of 64 adjacent validators (4,096): per validator",
      gas: (await session.prove(0, 64)) / 64n,
      target: VALIDATOR_PROOF_TARGET,
    });
  }
  return rows;
}
