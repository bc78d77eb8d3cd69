import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { ContainerType } from "@chainsafe/ssz";
import { ssz } from "@lodestar/types";
import { network } from "hardhat";
import { bytesToHex, type Hex, numberToHex } from "viem";
import {
  type BeaconProofFixtures,
  concatGindices,
  type MerkleNode,
  singleProof,
  splitAtList,
  uint64Chunk,
  validatorStruct,
} from "../../helpers/beaconProofs.ts";
import { prng } from "../../helpers/prng.ts";

const { viem } = await network.create();
const harness = await viem.deployContract("BeaconProofsHarness");
const testClient = await viem.getTestClient();

const BEACON_ROOTS = "0x000F3df6D732807Ef1319fB7B8bB8522d0Beac02";
const HISTORY_BUFFER_LENGTH = 8191n;
/** `BeaconProofs.ValidatorField` order. */
const FIELDS = [
  "pubkey",
  "withdrawalCredentials",
  "effectiveBalance",
  "slashed",
  "activationEligibilityEpoch",
  "activationEpoch",
  "exitEpoch",
  "withdrawableEpoch",
] as const;

const fixtures = JSON.parse(
  readFileSync(new URL("../../fixtures/beacon-proofs.json", import.meta.url), "utf8"),
) as BeaconProofFixtures;

/**
 * Gindex of a `Validator` field inside the record. Lodestar's `Validator` is a node struct whose gindex lookups stop at
 * the record, so a plain container over the same field types answers.
 */
const ValidatorContainer = new ContainerType(ssz.phase0.Validator.fields);
function validatorFieldGindex(field: (typeof FIELDS)[number]): bigint {
  const gindex = ValidatorContainer.getPropertyGindex(field);
  assert.ok(gindex !== null, field);
  return gindex;
}

/** Mainnet-preset gindices from Lodestar's types (this process runs the default, mainnet, preset). */
function mainnetGindices(index: number) {
  const stateRoot = ssz.electra.BeaconBlock.getPathInfo(["stateRoot"]).gindex;
  const state = ssz.electra.BeaconState;
  const validator = concatGindices(stateRoot, state.getPathInfo(["validators", index]).gindex);
  return {
    validator,
    fields: FIELDS.map((f) => concatGindices(validator, validatorFieldGindex(f))),
    balance: concatGindices(stateRoot, state.getPathInfo(["balances", index]).gindex),
  };
}

describe("BeaconProofs: generalized indices", () => {
  it("match the mainnet-preset Electra (and Fulu) SSZ types of @lodestar/types", async () => {
    const [stateRoot, validators, balances, depth] = await harness.read.layout();
    assert.equal(stateRoot, ssz.electra.BeaconBlock.getPathInfo(["stateRoot"]).gindex);
    assert.equal(stateRoot, ssz.phase0.BeaconBlockHeader.getPathInfo(["stateRoot"]).gindex);
    for (const state of [ssz.electra.BeaconState, ssz.fulu.BeaconState]) {
      assert.equal(validators, state.getPathInfo(["validators"]).gindex);
      assert.equal(balances, state.getPathInfo(["balances"]).gindex);
      assert.equal(depth, BigInt(state.depth));
      assert.equal(state.fields.validators.limit, 2 ** 40);
    }
    for (const index of [0, 1, 3, 4, 1_000_003, 2 ** 40 - 1]) {
      const [validator, fields, balance] = await harness.read.gindices([BigInt(index)]);
      const expected = mainnetGindices(index);
      assert.equal(validator, expected.validator);
      assert.deepEqual([...fields], expected.fields);
      assert.equal(balance, expected.balance);
    }
  });

  it("match the devnet's minimal-preset types (fixtures from packages/beacon-devnet)", async () => {
    assert.equal(fixtures.preset, "minimal");
    const [stateRoot, validators, balances] = await harness.read.layout();
    assert.equal(BigInt(fixtures.gindices.stateRootInBlock), stateRoot);
    assert.equal(BigInt(fixtures.gindices.validatorsInState), validators);
    assert.equal(BigInt(fixtures.gindices.balancesInState), balances);
    assert.equal(BigInt(fixtures.gindices.validatorRegistryLimit), 2n ** 40n);
    assert.deepEqual(
      FIELDS.map((f) => BigInt(fixtures.gindices.validatorFields[f] ?? 0)),
      FIELDS.map((_, i) => 8n + BigInt(i)),
    );
    for (const v of fixtures.validators) {
      const [validator, fields, balance] = await harness.read.gindices([BigInt(v.index)]);
      assert.equal(validator, BigInt(v.validatorProof.gindex));
      assert.equal(balance, BigInt(v.balanceProof.gindex));
      for (const [i, f] of FIELDS.entries()) assert.equal(fields[i], BigInt(v.fieldProofs[f]?.gindex ?? 0), f);
    }
  });

  it("refuse a validator index beyond the registry limit", async () => {
    await viem.assertions.revertWithCustomErrorWithArgs(
      harness.read.gindices([2n ** 40n]),
      harness,
      "ValidatorIndexOutOfRange",
      [2n ** 40n],
    );
  });
});

describe("BeaconProofs: a real devnet state", () => {
  const { blockRoot } = fixtures;

  it("proves the state root in the block", async () => {
    await harness.read.verifyStateRoot([blockRoot, fixtures.stateRoot, fixtures.stateRootProof]);
    await viem.assertions.revertWithCustomError(
      harness.read.verifyStateRoot([blockRoot, blockRoot, fixtures.stateRootProof]),
      harness,
      "InvalidMerkleProof",
    );
  });

  it("proves every validator record, every field and every balance", async () => {
    for (const v of fixtures.validators) {
      const index = BigInt(v.index);
      const validator = validatorStruct(v.validator);
      assert.equal(await harness.read.validatorRoot([validator]), v.validatorProof.leaf);
      await harness.read.verifyValidator([blockRoot, index, validator, v.validatorProof.proof]);
      for (const [i, field] of FIELDS.entries()) {
        const p = v.fieldProofs[field];
        assert.ok(p !== undefined, field);
        await harness.read.verifyValidatorField([blockRoot, index, i, p.leaf, p.proof]);
      }
      // The leaves a caller builds from the record are the proved ones.
      assert.equal(v.fieldProofs.withdrawalCredentials?.leaf, validator.withdrawalCredentials);
      assert.equal(v.fieldProofs.effectiveBalance?.leaf, uint64Chunk(validator.effectiveBalance));
      assert.equal(v.fieldProofs.exitEpoch?.leaf, uint64Chunk(validator.exitEpoch));
      assert.equal(
        await harness.read.verifyBalance([blockRoot, index, v.balanceProof.leaf, v.balanceProof.proof]),
        BigInt(v.balance),
      );
    }
    assert.ok(fixtures.validators.some((v) => v.validator.withdrawal_credentials.startsWith("0x02")));
    assert.ok(
      fixtures.validators.some((v) => BigInt(v.balance) % 1_000_000_000n !== 0n),
      "rewards accrued",
    );
  });

  it("reads the balance of each validator sharing a balances chunk from one proof", async () => {
    const v = fixtures.validators.find((x) => x.index === 16);
    const next = fixtures.validators.find((x) => x.index === 17);
    assert.ok(v !== undefined && next !== undefined);
    assert.equal(v.balanceProof.leaf, next.balanceProof.leaf);
    assert.equal(
      await harness.read.verifyBalance([blockRoot, 17n, v.balanceProof.leaf, v.balanceProof.proof]),
      BigInt(next.balance),
    );
  });

  it("refuses a wrong index, root, field, record or leaf", async () => {
    const [a, b] = fixtures.validators;
    assert.ok(a !== undefined && b !== undefined);
    const va = validatorStruct(a.validator);
    const pa = a.validatorProof.proof;
    const credentials = a.fieldProofs.withdrawalCredentials;
    assert.ok(credentials !== undefined);
    const wrong: Promise<unknown>[] = [
      harness.read.verifyValidator([blockRoot, BigInt(b.index), va, pa]),
      harness.read.verifyValidator([blockRoot, BigInt(a.index) + 1n, va, pa]),
      harness.read.verifyValidator([fixtures.stateRoot, BigInt(a.index), va, pa]),
      harness.read.verifyValidator([blockRoot, BigInt(a.index), validatorStruct(b.validator), pa]),
      harness.read.verifyValidator([blockRoot, BigInt(a.index), { ...va, slashed: true }, pa]),
      harness.read.verifyValidator([
        blockRoot,
        BigInt(a.index),
        { ...va, effectiveBalance: va.effectiveBalance - 1n },
        pa,
      ]),
      harness.read.verifyValidator([blockRoot, BigInt(a.index), { ...va, exitEpoch: 7n }, pa]),
      harness.read.verifyValidator([blockRoot, BigInt(a.index), va, [...pa.slice(0, 10), blockRoot, ...pa.slice(11)]]),
      harness.read.verifyValidatorField([blockRoot, BigInt(a.index), 0, credentials.leaf, credentials.proof]),
      harness.read.verifyValidatorField([
        blockRoot,
        BigInt(a.index),
        1,
        `0x02${credentials.leaf.slice(4)}`,
        credentials.proof,
      ]),
      harness.read.verifyBalance([blockRoot, BigInt(a.index) + 4n, a.balanceProof.leaf, a.balanceProof.proof]),
      harness.read.verifyBalance([blockRoot, BigInt(a.index), uint64Chunk(64_000_000_000n), a.balanceProof.proof]),
    ];
    for (const [i, call] of wrong.entries()) {
      await viem.assertions.revertWithCustomError(call, harness, "InvalidMerkleProof").catch((e: unknown) => {
        throw new Error(`case ${i}: ${String(e)}`);
      });
    }
  });

  it("refuses proofs of the wrong length and pubkeys that are not 48 bytes", async () => {
    const [a] = fixtures.validators;
    assert.ok(a !== undefined);
    const va = validatorStruct(a.validator);
    const pa = a.validatorProof.proof;
    const index = BigInt(a.index);
    await viem.assertions.revertWithCustomErrorWithArgs(
      harness.read.verifyValidator([blockRoot, index, va, pa.slice(1)]),
      harness,
      "InvalidProofLength",
      [49n, 50n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      harness.read.verifyValidator([blockRoot, index, va, [...pa, blockRoot]]),
      harness,
      "InvalidProofLength",
      [51n, 50n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      harness.read.verifyBalance([blockRoot, index, a.balanceProof.leaf, []]),
      harness,
      "InvalidProofLength",
      [0n, 48n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      harness.read.verifyStateRoot([blockRoot, fixtures.stateRoot, fixtures.stateRootProof.slice(0, 2)]),
      harness,
      "InvalidProofLength",
      [2n, 3n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      harness.read.verifyValidator([blockRoot, index, { ...va, pubkey: va.pubkey.slice(0, -2) as Hex }, pa]),
      harness,
      "InvalidPubkeyLength",
      [47n],
    );
  });
});

describe("BeaconProofs: list roots proved once per block (batches)", () => {
  const { blockRoot } = fixtures;

  it("proves each record from the validators root and each balance from the balances root", async () => {
    for (const v of fixtures.validators) {
      const record = splitAtList(v.validatorProof.leaf, v.validatorProof.proof, BigInt(v.validatorProof.gindex), 41);
      assert.equal(record.rootProof.length, 9);
      const validator = validatorStruct(v.validator);
      const index = BigInt(v.index);
      await harness.read.verifyValidatorInRegistry([
        blockRoot,
        record.listRoot,
        record.rootProof,
        index,
        validator,
        record.inList,
      ]);
      await viem.assertions.revertWithCustomError(
        harness.read.verifyValidatorInRegistry([
          blockRoot,
          record.listRoot,
          record.rootProof,
          index + 1n,
          validator,
          record.inList,
        ]),
        harness,
        "InvalidMerkleProof",
      );
      await viem.assertions.revertWithCustomError(
        harness.read.verifyValidatorInRegistry([
          blockRoot,
          blockRoot,
          record.rootProof,
          index,
          validator,
          record.inList,
        ]),
        harness,
        "InvalidMerkleProof",
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        harness.read.verifyValidatorInRegistry([
          blockRoot,
          record.listRoot,
          record.rootProof,
          index,
          validator,
          v.validatorProof.proof,
        ]),
        harness,
        "InvalidProofLength",
        [50n, 41n],
      );
    }
  });

  it("verifies a batch of balances against one EIP-4788 root", async () => {
    const timestamp = BigInt(Math.floor(Date.now() / 1000)) + 200_000n;
    const ring = timestamp % HISTORY_BUFFER_LENGTH;
    const word = (n: bigint) => numberToHex(n, { size: 32 });
    await testClient.setStorageAt({ address: BEACON_ROOTS, index: word(ring), value: word(timestamp) });
    await testClient.setStorageAt({
      address: BEACON_ROOTS,
      index: word(ring + HISTORY_BUFFER_LENGTH),
      value: blockRoot,
    });
    const parts = fixtures.validators.map((v) =>
      splitAtList(v.balanceProof.leaf, v.balanceProof.proof, BigInt(v.balanceProof.gindex), 39),
    );
    const [first] = parts;
    assert.ok(first !== undefined);
    assert.ok(parts.every((p) => p.listRoot === first.listRoot));
    const args = [
      timestamp,
      first.listRoot,
      first.rootProof,
      fixtures.validators.map((v) => BigInt(v.index)),
      fixtures.validators.map((v) => v.balanceProof.leaf),
      parts.map((p) => p.inList),
    ] as const;
    assert.deepEqual(
      await harness.read.verifyBalancesAtTimestamp([...args]),
      fixtures.validators.map((v) => BigInt(v.balance)),
    );
    await viem.assertions.revertWithCustomError(
      harness.read.verifyBalancesAtTimestamp([args[0], blockRoot, args[2], args[3], args[4], args[5]]),
      harness,
      "InvalidMerkleProof",
    );
  });
});

describe("BeaconProofs: roots from the EIP-4788 contract", () => {
  const word = (n: bigint) => numberToHex(n, { size: 32 });
  /** The two storage writes of the EIP-4788 system call for a block with `timestamp` and parent root `root`. */
  async function storeRoot(timestamp: bigint, root: Hex) {
    const ring = timestamp % HISTORY_BUFFER_LENGTH;
    await testClient.setStorageAt({ address: BEACON_ROOTS, index: word(ring), value: word(timestamp) });
    await testClient.setStorageAt({ address: BEACON_ROOTS, index: word(ring + HISTORY_BUFFER_LENGTH), value: root });
  }
  // Far from the timestamps of the blocks this test mines, so the chain's own system calls never touch its ring slot.
  const timestamp = BigInt(Math.floor(Date.now() / 1000)) + 100_000n;
  const [v] = fixtures.validators;
  assert.ok(v !== undefined);
  const args = [BigInt(v.index), validatorStruct(v.validator), v.validatorProof.proof] as const;

  it("verifies a validator, its credentials and its balance against the root stored for a timestamp", async () => {
    await storeRoot(timestamp, fixtures.blockRoot);
    assert.equal(await harness.read.beaconBlockRoot([timestamp]), fixtures.blockRoot);
    await harness.read.verifyValidatorAtTimestamp([timestamp, ...args]);
    const wc = v.fieldProofs.withdrawalCredentials;
    assert.ok(wc !== undefined);
    await harness.read.verifyCredentialsAtTimestamp([timestamp, BigInt(v.index), wc.leaf, wc.proof]);
    assert.equal(
      await harness.read.verifyBalanceAtTimestamp([
        timestamp,
        BigInt(v.index),
        v.balanceProof.leaf,
        v.balanceProof.proof,
      ]),
      BigInt(v.balance),
    );
  });

  it("refuses an unknown timestamp, timestamp 0 and a root of another block", async () => {
    await storeRoot(timestamp, fixtures.blockRoot);
    for (const t of [timestamp + 1n, 0n]) {
      await viem.assertions.revertWithCustomErrorWithArgs(
        harness.read.verifyValidatorAtTimestamp([t, ...args]),
        harness,
        "BeaconRootNotFound",
        [t],
      );
    }
    await storeRoot(timestamp + 12n, fixtures.stateRoot);
    await viem.assertions.revertWithCustomError(
      harness.read.verifyValidatorAtTimestamp([timestamp + 12n, ...args]),
      harness,
      "InvalidMerkleProof",
    );
  });

  it("refuses a root older than the ring buffer (its slot was overwritten 8191 blocks later)", async () => {
    await storeRoot(timestamp, fixtures.blockRoot);
    await harness.read.verifyValidatorAtTimestamp([timestamp, ...args]);
    // The block 8191 slots later lands on the same ring slot and overwrites both words.
    await storeRoot(timestamp + HISTORY_BUFFER_LENGTH, bytesToHex(new Uint8Array(32).fill(9)));
    await viem.assertions.revertWithCustomErrorWithArgs(
      harness.read.verifyValidatorAtTimestamp([timestamp, ...args]),
      harness,
      "BeaconRootNotFound",
      [timestamp],
    );
  });
});

describe("BeaconProofs: property test over random validator sets (mainnet preset)", () => {
  const FAR_FUTURE = Number.POSITIVE_INFINITY; // Lodestar's number for FAR_FUTURE_EPOCH (2^64 - 1)

  it("verifies every proved fact and refuses it at another index, for random states", async () => {
    for (const seed of [1, 2, 3, 4]) {
      const rand = prng(seed);
      const int = (n: number) => Math.floor(rand() * n);
      const randomBytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
      const epoch = () => (rand() < 0.4 ? FAR_FUTURE : int(2 ** 32));
      const count = 1 + int(60);
      const state = ssz.electra.BeaconState.defaultViewDU();
      const values = Array.from({ length: count }, () => ({
        pubkey: randomBytes(48),
        withdrawalCredentials: randomBytes(32),
        effectiveBalance: int(2048) * 1_000_000_000,
        slashed: rand() < 0.3,
        activationEligibilityEpoch: epoch(),
        activationEpoch: epoch(),
        exitEpoch: epoch(),
        withdrawableEpoch: epoch(),
      }));
      const balances = values.map(() => int(2 ** 53));
      for (const [i, value] of values.entries()) {
        state.validators.push(ssz.phase0.Validator.toViewDU(value));
        state.balances.push(balances[i] ?? 0);
      }
      state.slot = int(2 ** 32);
      state.commit();
      const header = ssz.phase0.BeaconBlockHeader.toViewDU({
        slot: state.slot,
        proposerIndex: int(count),
        parentRoot: randomBytes(32),
        stateRoot: state.hashTreeRoot(),
        bodyRoot: randomBytes(32),
      });
      const blockRoot = bytesToHex(header.hashTreeRoot());
      const stateWitnesses = singleProof(header.node as MerkleNode, 11n).witnesses;
      const prove = (gindexInState: bigint) => {
        const p = singleProof(state.node as MerkleNode, gindexInState);
        return { leaf: bytesToHex(p.leaf), proof: [...p.witnesses, ...stateWitnesses].map((w) => bytesToHex(w)) };
      };

      for (let k = 0; k < 3; k++) {
        const index = int(count);
        const value = values[index];
        assert.ok(value !== undefined);
        const json = ssz.phase0.Validator.toJson(value) as Parameters<typeof validatorStruct>[0];
        const validator = validatorStruct(json);
        const record = prove(ssz.electra.BeaconState.getPathInfo(["validators", index]).gindex);
        await harness.read.verifyValidator([blockRoot, BigInt(index), validator, record.proof]);
        const field = int(8);
        const fieldName = FIELDS[field] ?? "pubkey";
        const fieldGindex = concatGindices(
          ssz.electra.BeaconState.getPathInfo(["validators", index]).gindex,
          validatorFieldGindex(fieldName),
        );
        const fieldProof = prove(fieldGindex);
        await harness.read.verifyValidatorField([blockRoot, BigInt(index), field, fieldProof.leaf, fieldProof.proof]);
        const balance = prove(ssz.electra.BeaconState.getPathInfo(["balances", index]).gindex);
        assert.equal(
          await harness.read.verifyBalance([blockRoot, BigInt(index), balance.leaf, balance.proof]),
          BigInt(balances[index] ?? -1),
        );
        // The same facts at another validator index (outside this balances chunk) are refused.
        const other = BigInt(index + 4 + int(1000));
        await viem.assertions.revertWithCustomError(
          harness.read.verifyValidator([blockRoot, other, validator, record.proof]),
          harness,
          "InvalidMerkleProof",
        );
        await viem.assertions.revertWithCustomError(
          harness.read.verifyBalance([blockRoot, other, balance.leaf, balance.proof]),
          harness,
          "InvalidMerkleProof",
        );
      }
    }
  });
});
