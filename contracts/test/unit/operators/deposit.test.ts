import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { type Hex, numberToHex, parseEther, parseEventLogs } from "viem";
import { BEACON_ROOTS, HISTORY_BUFFER_LENGTH, setBeaconRoot } from "../../helpers/beaconState.ts";
import { depositDataRootOf, makeDepositData } from "../../helpers/depositData.ts";
import { BOND_UNIT_SHARES, CLUSTER_SIZE, deployOperatorRegistry, Status } from "./fixture.ts";

const { viem } = await network.create();

/** 18 operators, 64 ETH of buffer, one validator predeposited (1 ETH out, 31 ETH reserved). */
async function withPredeposit() {
  const s = await deployOperatorRegistry(viem);
  await s.addFleet(Array(18).fill(parseEther("3")));
  await s.fundBuffer(parseEther("64"));
  const req = await s.requestValidator();
  const { result } = await s.completeRequest(req.requestId, req.operatorIds);
  // Proof errors come from the registry's deposit verifier (they propagate through `completeDeposit`).
  const verifier = await viem.getContractAt("DepositVerifier", await s.registry.read.DEPOSIT_VERIFIER());
  return { s, req, pubkey: result.groupPubkey, verifier };
}

/** Credentials of an attacker's address (0x01 prefix). */
const FOREIGN_CREDENTIALS = `0x01${"00".repeat(11)}${"ab".repeat(20)}` as Hex;

describe("OperatorRegistry: completing a deposit from a beacon-state proof", () => {
  it("deposits the remaining 31 ETH once the state shows the key with the protocol's credentials", async () => {
    const { s, req, pubkey } = await withPredeposit();
    const unreserved = await s.pool.read.unreservedBufferedEther();
    const pooled = await s.pool.read.getTotalPooledEther();
    const { carol } = s.accounts; // permissionless: anyone may complete a deposit
    const receipt = await s.completeDeposit(pubkey, s.credentials, carol.account);

    const [deposit] = parseEventLogs({ abi: s.depositContract.abi, logs: receipt.logs, eventName: "DepositEvent" });
    assert.equal(deposit?.args.pubkey, pubkey);
    assert.equal(deposit?.args.withdrawal_credentials, s.credentials);
    assert.equal(deposit?.args.amount, "0x0076be3707000000"); // 31 ETH in gwei, little-endian
    assert.equal(deposit?.args.signature, `0x${"00".repeat(96)}`);
    const [deposited] = parseEventLogs({ abi: s.registry.abi, logs: receipt.logs, eventName: "ValidatorDeposited" });
    assert.equal(deposited?.args.validatorId, req.requestId);
    assert.equal((await s.registry.read.getRequest([req.requestId])).status, Status.Deposited);
    assert.equal(await s.publicClient.getBalance({ address: s.depositContract.address }), parseEther("32"));
    assert.equal(await s.pool.read.pendingTopUps(), 0n);
    assert.equal(await s.pool.read.depositedValidators(), 1n);
    assert.equal(await s.pool.read.reservedEther(), 0n);
    // The top-up spends the reservation, not the free buffer, and moves no value: pooled ether is unchanged.
    assert.equal(await s.pool.read.unreservedBufferedEther(), unreserved);
    assert.equal(await s.pool.read.getTotalPooledEther(), pooled);
    // The deposit contract's own tree agrees with the deposit data root the pool computed.
    assert.equal(await s.depositContract.read.get_deposit_count(), "0x0200000000000000");
    // Bonds stay locked while the validator runs.
    const op = await s.registry.read.getOperator([BigInt(req.operatorIds[0] ?? 0)]);
    assert.equal(op.bondUnits - op.freeUnits, 100n);
  });

  it("accepts the compounding (0x02) form of the protocol's credentials", async () => {
    const { s, req, pubkey } = await withPredeposit();
    const compounding = `0x02${s.credentials.slice(4)}` as Hex;
    await s.completeDeposit(pubkey, compounding);
    assert.equal((await s.registry.read.getRequest([req.requestId])).status, Status.Deposited);
    assert.equal(await s.pool.read.depositedValidators(), 1n);
  });

  it("front-running: a foreign-credentials deposit for the group key is detected before the 31 ETH leave", async () => {
    const { s, req, pubkey } = await withPredeposit();
    // The attack: 11 colluding operators sign a deposit for the group key with their own credentials and land it
    // before the pool's. The beacon chain keeps the first credentials it sees for a key.
    const attack = makeDepositData(77, FOREIGN_CREDENTIALS, 1_000_000_000n);
    await s.depositContract.write.deposit(
      [
        pubkey,
        FOREIGN_CREDENTIALS,
        attack.signature,
        depositDataRootOf(pubkey, FOREIGN_CREDENTIALS, attack.signature, 1_000_000_000n),
      ],
      { value: parseEther("1") },
    );
    const depositBalance = await s.publicClient.getBalance({ address: s.depositContract.address });
    const pooled = await s.pool.read.getTotalPooledEther();
    const shares = await s.pool.read.getTotalShares();
    const unreserved = await s.pool.read.unreservedBufferedEther();
    const ids = req.operatorIds.map(BigInt);
    const before = await Promise.all(ids.map((id) => s.registry.read.getOperator([id])));

    const receipt = await s.completeDeposit(pubkey, FOREIGN_CREDENTIALS);

    // The 31 ETH never left the pool; the validator is unusable.
    assert.equal(await s.publicClient.getBalance({ address: s.depositContract.address }), depositBalance);
    assert.equal((await s.registry.read.getRequest([req.requestId])).status, Status.Unusable);
    assert.equal(await s.pool.read.pendingTopUps(), 0n);
    assert.equal(await s.pool.read.reservedEther(), 0n);
    assert.equal(await s.pool.read.depositedValidators(), 0n);
    assert.equal(await s.pool.read.unreservedBufferedEther(), unreserved + parseEther("31"));
    // The 1 ETH is written off and covered by the cluster's bond: the share rate does not fall.
    const [frontRun] = parseEventLogs({ abi: s.registry.abi, logs: receipt.logs, eventName: "DepositFrontRun" });
    assert.ok(frontRun);
    assert.equal(frontRun.args.withdrawalCredentials, FOREIGN_CREDENTIALS);
    const slashed = frontRun.args.slashedUnits;
    // 1 ETH at a rate of ~1 share per wei: ceil(1e18 / 16 / 1e16) = 7 units each.
    assert.equal(slashed, 7n);
    const burnt = slashed * BigInt(CLUSTER_SIZE) * BOND_UNIT_SHARES;
    assert.equal(await s.pool.read.getTotalPooledEther(), pooled - parseEther("1"));
    assert.equal(await s.pool.read.getTotalShares(), shares - burnt);
    // rate after >= rate before: (pooled - 1 ETH) / (shares - burnt) >= pooled / shares
    assert.ok((pooled - parseEther("1")) * shares >= pooled * (shares - burnt));
    // Each operator lost the slashed units from its bond; the rest of its lock is free again.
    for (const [i, id] of ids.entries()) {
      const op = await s.registry.read.getOperator([id]);
      const was = before[i];
      assert.ok(was);
      assert.equal(op.bondUnits, was.bondUnits - slashed);
      assert.equal(op.freeUnits, op.bondUnits);
    }
    // Nothing more can be done with it.
    await viem.assertions.revertWithCustomErrorWithArgs(s.completeDeposit(pubkey), s.registry, "InvalidStatus", [
      req.requestId,
      Status.Unusable,
    ]);
  });

  it("refuses proofs against an unknown, stale or wrong beacon root", async () => {
    const { s, pubkey, verifier } = await withPredeposit();
    const { timestamp, state } = await s.publishBeaconState([{ pubkey, withdrawalCredentials: s.credentials }]);
    const { proof } = state.credentialsProof(0);
    const call = (ts: bigint, p: Hex[] = proof, index = 0n, credentials = s.credentials) =>
      s.registry.write.completeDeposit([pubkey, ts, index, credentials, p]);
    // No root for this timestamp.
    await viem.assertions.revertWithCustomErrorWithArgs(call(timestamp + 1n), verifier, "BeaconRootNotFound", [
      timestamp + 1n,
    ]);
    // A root of another state (here: the key with other credentials) does not match the proof.
    const other = await s.publishBeaconState([{ pubkey, withdrawalCredentials: FOREIGN_CREDENTIALS }]);
    await viem.assertions.revertWithCustomError(call(other.timestamp), verifier, "InvalidMerkleProof");
    // Claiming other credentials than the state holds.
    await viem.assertions.revertWithCustomError(
      call(timestamp, proof, 0n, FOREIGN_CREDENTIALS),
      verifier,
      "InvalidMerkleProof",
    );
    // Stale: the ring buffer slot was overwritten 8191 blocks later.
    await setBeaconRoot(s.testClient, timestamp + HISTORY_BUFFER_LENGTH, other.state.blockRoot);
    await viem.assertions.revertWithCustomErrorWithArgs(call(timestamp), verifier, "BeaconRootNotFound", [timestamp]);
    assert.equal(
      await s.publicClient.getStorageAt({
        address: BEACON_ROOTS,
        slot: numberToHex(timestamp % HISTORY_BUFFER_LENGTH, { size: 32 }),
      }),
      numberToHex(timestamp + HISTORY_BUFFER_LENGTH, { size: 32 }),
    );
    assert.equal(await s.pool.read.pendingTopUps(), 1n);
  });

  it("refuses malformed proofs, other keys' records and validators not awaiting a top-up", async () => {
    const { s, req, pubkey, verifier } = await withPredeposit();
    const stranger = makeDepositData(55, s.credentials).pubkey;
    const { timestamp, state } = await s.publishBeaconState([
      { pubkey: stranger, withdrawalCredentials: FOREIGN_CREDENTIALS },
      { pubkey, withdrawalCredentials: s.credentials },
    ]);
    const good = state.credentialsProof(1).proof;
    const call = (key: Hex, index: bigint, p: Hex[]) =>
      s.registry.write.completeDeposit([key, timestamp, index, s.credentials, p]);
    // Unknown key (also any key of the wrong length).
    await viem.assertions.revertWithCustomErrorWithArgs(
      call(stranger, 1n, good),
      s.registry,
      "UnknownValidatorPubkey",
      [stranger],
    );
    await viem.assertions.revertWithCustomError(call("0x1234", 1n, good), s.registry, "UnknownValidatorPubkey");
    // The record at index 0 is another key: the bottom sibling is not this key's root.
    const atZero = state.credentialsProof(0).proof;
    await viem.assertions.revertWithCustomErrorWithArgs(call(pubkey, 0n, atZero), verifier, "PubkeyNotAtBeaconIndex", [
      0n,
    ]);
    await viem.assertions.revertWithCustomErrorWithArgs(call(pubkey, 1n, []), verifier, "PubkeyNotAtBeaconIndex", [1n]);
    // The right proof at the wrong index, truncated or extended.
    await viem.assertions.revertWithCustomError(call(pubkey, 3n, good), verifier, "InvalidMerkleProof");
    await viem.assertions.revertWithCustomError(call(pubkey, 1n, good.slice(0, 52)), verifier, "InvalidProofLength");
    await viem.assertions.revertWithCustomError(
      call(pubkey, 1n, [...good, good[0] as Hex]),
      verifier,
      "InvalidProofLength",
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      call(pubkey, 1n << 40n, good),
      verifier,
      "ValidatorIndexOutOfRange",
      [1n << 40n],
    );
    // Completed once; a second time is refused, and so is a request that has no result yet.
    await call(pubkey, 1n, good);
    await viem.assertions.revertWithCustomErrorWithArgs(call(pubkey, 1n, good), s.registry, "InvalidStatus", [
      req.requestId,
      Status.Deposited,
    ]);
  });

  it("only the registry may top up or write off a predeposit in the pool", async () => {
    const { s, pubkey } = await withPredeposit();
    const { bob } = s.accounts;
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.pool.write.topUpValidator([pubkey], { account: bob.account }),
      s.pool,
      "NotValidatorRegistry",
      [bob.account.address],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.pool.write.writeOffPredeposit([pubkey, 1n], { account: bob.account }),
      s.pool,
      "NotValidatorRegistry",
      [bob.account.address],
    );
  });
});
