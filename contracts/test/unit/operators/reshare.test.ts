import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { SecretKey } from "@chainsafe/blst";
import {
  combinePartialSignatures,
  computeReshareSigningRoot,
  encodeReshareResult,
  evaluatePolynomial,
  g1PointFromPublicKey,
  g2PointFromSignature,
  type KeyShare,
  type ReshareMessageParameters,
  randomPolynomial,
  scalarToBytes,
  signPartial,
} from "@nektar/crypto";
import { network } from "hardhat";
import {
  type Address,
  bytesToBigInt,
  bytesToHex,
  concatHex,
  type Hex,
  hashTypedData,
  hexToBytes,
  keccak256,
  type LocalAccount,
  parseEther,
  parseEventLogs,
} from "viem";
import { gasSnapshotProblems, parseGasSnapshot, writeSnapshot } from "../../../bench/snapshot.ts";
import { blockHeaderRlp } from "../../helpers/blockHeader.ts";
import { fillerBytes } from "../../helpers/depositData.ts";
import { DKG_TIMEOUT, deployOperatorRegistry, GENESIS_FORK_VERSION, Status } from "./fixture.ts";

const { viem } = await network.create();

const THRESHOLD = 11;
const SNAPSHOT = fileURLToPath(new URL("../../../snapshots/gas-reshare.txt", import.meta.url));
const GAS_OPERATIONS = [
  { name: "drawReplacement (1 seat, 24 operators)", target: undefined },
  { name: "submitReshareResult (BLS check, approval, seat swap)", target: 450_000n },
];

/** Checks the measured gas against `snapshots/gas-reshare.txt`; `UPDATE_GAS_SNAPSHOT=1` rewrites it. */
function checkGasSnapshot(measured: Map<string, bigint>) {
  if (process.env.UPDATE_GAS_SNAPSHOT === "1") {
    const rows = GAS_OPERATIONS.map((o) => `| ${o.name} | ${measured.get(o.name)} |`);
    writeSnapshot(
      SNAPSHOT,
      ["# ReshareManager gas (hardhat EDR, prague, solc 0.8.30)", "| operation | gas |", ...rows, ""].join("\n"),
    );
  }
  const problems = gasSnapshotProblems(GAS_OPERATIONS, parseGasSnapshot(readFileSync(SNAPSHOT, "utf8")), measured);
  assert.deepEqual(
    problems,
    [],
    `${problems.join("\n")}\nre-measure: UPDATE_GAS_SNAPSHOT=1 npx hardhat test test/unit/operators/reshare.test.ts`,
  );
}

const LOCK = 100n; // 1 ETH per key share at 1e16 shares per unit, rate 1.

/**
 * A live validator (Predeposited) drawn from 24 operators of 2 ETH each, whose key the test holds as 16 Shamir shares
 * of the DKG result's secret (the fixture's first result key), and the registry's reshare manager.
 */
async function liveValidator() {
  const s = await deployOperatorRegistry(viem, { harness: true });
  await s.addFleet(Array(24).fill(parseEther("2")));
  await s.fundBuffer(parseEther("64"));
  const req = await s.requestValidator();
  const { result } = await s.completeRequest(req.requestId, req.operatorIds);
  // `makeResult`'s first key: `makeSignedDeposit(1, …)` keys `SecretKey.fromKeygen(fillerBytes(32, 1 + 5000))`.
  const secret = SecretKey.fromKeygen(fillerBytes(32, 5001));
  assert.equal(bytesToHex(secret.toPublicKey().toBytes()), result.groupPubkey);
  let n = 0;
  const f = randomPolynomial(
    THRESHOLD,
    (len) => Uint8Array.from({ length: len }, () => (n++ * 37 + 11) & 0xff),
    bytesToBigInt(secret.toBytes()),
  );
  const shares: KeyShare[] = Array.from({ length: 16 }, (_, i) => ({
    shareIndex: i + 1,
    secretKey: scalarToBytes(evaluatePolynomial(f, BigInt(i + 1))),
  }));
  const manager = await viem.getContractAt("ReshareManager", await s.registry.read.RESHARE_MANAGER());
  const chainId = BigInt(await s.publicClient.getChainId());
  return {
    s,
    secretScalar: bytesToBigInt(secret.toBytes()),
    validatorId: req.requestId,
    operatorIds: req.operatorIds,
    groupPubkey: result.groupPubkey,
    shares,
    manager,
    chainId,
  };
}

type Live = Awaited<ReturnType<typeof liveValidator>>;
type Requested = {
  validatorId: bigint;
  validator: Hex;
  leavingIndex: bigint;
  newcomer: Address;
  members: readonly Address[];
  deadline: bigint;
  nonce: bigint;
  newcomerOperatorId: bigint;
};

/** Sends as the owner of `operatorId` (a fleet contract, impersonated). */
async function asOwner(v: Live, operatorId: bigint) {
  const { owner } = await v.s.registry.read.getOperator([operatorId]);
  await v.s.testClient.impersonateAccount({ address: owner });
  await v.s.testClient.setBalance({ address: owner, value: parseEther("1") });
  return owner;
}

async function leave(v: Live, position: number) {
  const id = BigInt(v.operatorIds[position] ?? 0);
  return v.manager.write.leaveCluster([v.validatorId, id], { account: await asOwner(v, id) });
}

/** Mines past the scheduled draw block and draws the replacement; returns the `ReshareRequested` event's fields. */
async function drawReplacement(v: Live): Promise<Requested & { gasUsed: bigint }> {
  const [, drawBlock] = await v.s.registry.read.pendingDraw();
  const current = await v.s.publicClient.getBlockNumber();
  if (current <= drawBlock) await v.s.testClient.mine({ blocks: Number(drawBlock - current) });
  const header = await blockHeaderRlp(v.s.publicClient, drawBlock);
  const hash = await v.manager.write.drawReplacement([v.validatorId, header]);
  const receipt = await v.s.publicClient.waitForTransactionReceipt({ hash });
  const [event] = parseEventLogs({ abi: v.manager.abi, logs: receipt.logs, eventName: "ReshareRequested" });
  if (!event) throw new Error("no ReshareRequested event");
  return { ...event.args, gasUsed: receipt.gasUsed };
}

/** New share keys (any valid keys: the validator key's signature is what binds them). */
function newShareKeys(seed: number): Uint8Array[] {
  return Array.from({ length: 16 }, (_, i) =>
    SecretKey.fromBytes(scalarToBytes(BigInt(seed * 100 + i + 1)))
      .toPublicKey()
      .toBytes(),
  );
}

type Options = { nonce?: bigint; members?: Address[]; shares?: KeyShare[]; groupPublicKey?: Uint8Array };

/** The result after the swap, the old shares' 11-of-16 signature of it and the newcomer's approval. */
async function signResult(v: Live, req: Requested, sharePublicKeys: Uint8Array[], o: Options = {}) {
  const index = Number(req.leavingIndex);
  const members = o.members ?? req.members.map((m, i) => (i + 1 === index ? req.newcomer : m));
  const params: ReshareMessageParameters = {
    chainId: v.chainId,
    registry: v.manager.address,
    validatorPubkey: hexToBytes(req.validator),
    nonce: o.nonce ?? req.nonce,
    leavingIndex: index,
    newcomer: req.newcomer,
    members,
    sharePublicKeys,
    genesisForkVersion: hexToBytes(GENESIS_FORK_VERSION),
  };
  const shares = o.shares ?? v.shares;
  const root = computeReshareSigningRoot(params);
  const { signature } = combinePartialSignatures({
    partials: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12].map((i) => signPartial(shares[i - 1] as KeyShare, root)),
    threshold: THRESHOLD,
    groupPublicKey: o.groupPublicKey ?? hexToBytes(v.groupPubkey),
    signingRoot: root,
    sharePublicKeys: shares.map((sh) => SecretKey.fromBytes(sh.secretKey).toPublicKey().toBytes()),
  });
  const [newcomerSigner] = v.s.signersOf([req.newcomerOperatorId]);
  const approval = await approve(v, newcomerSigner as LocalAccount, keccak256(encodeReshareResult(params)));
  return {
    sharePublicKeys: concatHex(sharePublicKeys.map((k) => bytesToHex(k))),
    signature: {
      validatorPubkey: bytesToHex(g1PointFromPublicKey(hexToBytes(v.groupPubkey))),
      signature: bytesToHex(signature),
      signaturePoint: bytesToHex(g2PointFromSignature(signature)),
    },
    approval,
  };
}

function approve(v: Live, account: LocalAccount, resultRoot: Hex) {
  return account.signTypedData({
    domain: { name: "Nektar Reshare Manager", version: "1", chainId: v.chainId, verifyingContract: v.manager.address },
    types: { ReshareApproval: [{ name: "resultRoot", type: "bytes32" }] },
    primaryType: "ReshareApproval",
    message: { resultRoot },
  });
}

function submit(v: Live, signed: Awaited<ReturnType<typeof signResult>>) {
  return v.manager.write.submitReshareResult([
    v.validatorId,
    signed.sharePublicKeys,
    signed.signature,
    signed.approval,
  ]);
}

async function pastDeadline(v: Live) {
  await v.s.testClient.increaseTime({ seconds: Number(DKG_TIMEOUT) + 1 });
  await v.s.testClient.mine({ blocks: 1 });
}

describe("ReshareManager: a member leaves a live validator", () => {
  it("draws a replacement outside the cluster, locks it, and swaps the seat on the validator key's signature", async () => {
    const v = await liveValidator();
    const leaver = BigInt(v.operatorIds[4] ?? 0);
    await leave(v, 4);
    const reshare = await v.manager.read.getReshare([v.validatorId]);
    assert.equal(reshare.stage, 2, "Drawing");
    assert.equal(reshare.leavingIndex, 5);
    // The registry's draw is frozen for the replacement: no validator request meanwhile.
    await viem.assertions.revertWithCustomError(v.s.registry.write.requestValidator(), v.s.registry, "DrawPending");
    const req = await drawReplacement(v);
    const newcomerId = req.newcomerOperatorId;
    assert.ok(!v.operatorIds.map(BigInt).includes(newcomerId), "the replacement is not a current member");
    assert.equal(req.leavingIndex, 5n);
    assert.equal(req.validator, v.groupPubkey);
    const [, signers] = await v.s.registry.read.requestOperators([v.validatorId]);
    assert.deepEqual(req.members, signers);
    assert.equal(req.newcomer, (await v.s.registry.read.getOperator([newcomerId])).signer);
    assert.equal((await v.s.registry.read.getOperator([newcomerId])).freeUnits, 200n - LOCK, "newcomer's bond locked");
    const keys = newShareKeys(1);
    const signed = await signResult(v, req, keys);
    const hash = await submit(v, signed);
    const receipt = await v.s.publicClient.waitForTransactionReceipt({ hash });
    const [done] = parseEventLogs({ abi: v.manager.abi, logs: receipt.logs, eventName: "ReshareCompleted" });
    assert.equal(done?.args.newcomerOperatorId, newcomerId);
    assert.equal(done?.args.leavingOperatorId, leaver);
    assert.equal(done?.args.penaltyUnits, 0n);
    const info = await v.s.registry.read.getRequest([v.validatorId]);
    assert.equal(BigInt(info.operatorIds[4] ?? 0), newcomerId);
    assert.deepEqual(
      info.operatorIds.filter((_, i) => i !== 4),
      v.operatorIds.filter((_, i) => i !== 4),
    );
    const [, sharesHash] = await v.s.registry.read.validatorKeys([v.validatorId]);
    assert.equal(sharesHash, keccak256(signed.sharePublicKeys));
    const left = await v.s.registry.read.getOperator([leaver]);
    assert.deepEqual([left.bondUnits, left.freeUnits], [200n, 200n], "the leaver's lock is released in full");
    assert.equal((await v.manager.read.getReshare([v.validatorId])).stage, 0);
    checkGasSnapshot(
      new Map([
        [GAS_OPERATIONS[0]?.name ?? "", req.gasUsed],
        [GAS_OPERATIONS[1]?.name ?? "", receipt.gasUsed],
      ]),
    );
  });

  it("replaces an ejected member on anyone's request and burns 10% of its lock to the holders", async () => {
    const v = await liveValidator();
    const ejected = BigInt(v.operatorIds[9] ?? 0);
    await viem.assertions.revertWithCustomErrorWithArgs(
      v.manager.write.replaceEjected([v.validatorId, ejected]),
      v.manager,
      "OperatorNotEjected",
      [ejected],
    );
    await v.s.ejectByStrikes(ejected);
    await v.manager.write.replaceEjected([v.validatorId, ejected], { account: v.s.accounts.carol.account });
    const req = await drawReplacement(v);
    const supply = await v.s.pool.read.getTotalShares();
    await submit(v, await signResult(v, req, newShareKeys(2)));
    const op = await v.s.registry.read.getOperator([ejected]);
    assert.deepEqual([op.bondUnits, op.freeUnits], [190n, 190n]);
    assert.equal(await v.s.pool.read.getTotalShares(), supply - 10n * 10n ** 16n);
  });
});

describe("ReshareManager: results it refuses", () => {
  it("refuses a wrong key, a wrong membership, a bad approval and a late result", async () => {
    const v = await liveValidator();
    await leave(v, 0);
    const req = await drawReplacement(v);
    const keys = newShareKeys(3);
    // 11 shares of another key (every share and the key shifted by one).
    const other = v.shares.map((sh) => ({ ...sh, secretKey: scalarToBytes(bytesToBigInt(sh.secretKey) + 1n) }));
    const otherKey = SecretKey.fromBytes(scalarToBytes(v.secretScalar + 1n))
      .toPublicKey()
      .toBytes();
    const wrongKey = await signResult(v, req, keys, { shares: other, groupPublicKey: otherKey });
    await viem.assertions.revertWithCustomErrorWithArgs(submit(v, wrongKey), v.manager, "InvalidValidatorSignature", [
      v.validatorId,
      req.nonce,
    ]);
    // A membership other than the one after the swap (two remaining members' seats exchanged).
    const swappedSeats = req.members.map((m, i) =>
      i === 0 ? req.newcomer : i === 1 ? req.members[2] : i === 2 ? req.members[1] : m,
    );
    const wrongMembers = await signResult(v, req, keys, { members: swappedSeats as Address[] });
    await viem.assertions.revertWithCustomError(submit(v, wrongMembers), v.manager, "InvalidValidatorSignature");
    // Signed over other share keys than those submitted.
    const good = await signResult(v, req, keys);
    const swapped = { ...good, sharePublicKeys: concatHex(newShareKeys(4).map((k) => bytesToHex(k))) };
    await viem.assertions.revertWithCustomError(submit(v, swapped), v.manager, "InvalidValidatorSignature");
    // Approved by someone other than the newcomer's signer.
    const [stranger] = v.s.signersOf([BigInt(v.operatorIds[1] ?? 0)]);
    const params = { ...good, approval: await approve(v, stranger as LocalAccount, keccak256("0x01")) };
    await viem.assertions.revertWithCustomErrorWithArgs(submit(v, params), v.manager, "InvalidNewcomerApproval", [
      v.validatorId,
      req.newcomer,
    ]);
    await pastDeadline(v);
    await viem.assertions.revertWithCustomError(submit(v, good), v.manager, "DeadlineMismatch");
  });
});

describe("ReshareManager: deadlines, retries and the exit after MAX_FAILURES", () => {
  it("expires a late attempt, frees the newcomer, retries under a new nonce and refuses the old result", async () => {
    const v = await liveValidator();
    await leave(v, 7);
    const first = await drawReplacement(v);
    const oldResult = await signResult(v, first, newShareKeys(5));
    await viem.assertions.revertWithCustomError(
      v.manager.write.expireReshare([v.validatorId]),
      v.manager,
      "DeadlineMismatch",
    );
    await pastDeadline(v);
    const hash = await v.manager.write.expireReshare([v.validatorId], { account: v.s.accounts.carol.account });
    const logs = (await v.s.publicClient.waitForTransactionReceipt({ hash })).logs;
    const [expired] = parseEventLogs({ abi: v.manager.abi, logs, eventName: "ReshareExpired" });
    assert.deepEqual(expired?.args, {
      validatorId: v.validatorId,
      nonce: first.nonce,
      newcomerOperatorId: first.newcomerOperatorId,
      failures: 1n,
    });
    assert.equal((await v.s.registry.read.getOperator([first.newcomerOperatorId])).freeUnits, 200n);
    assert.equal((await v.manager.read.getReshare([v.validatorId])).stage, 1, "Scheduling");
    await v.manager.write.scheduleReplacement([v.validatorId]);
    const second = await drawReplacement(v);
    assert.ok(second.nonce > first.nonce);
    // The first attempt's result, replayed: it signed the old nonce (and maybe another newcomer).
    await viem.assertions.revertWithCustomError(submit(v, oldResult), v.manager, "InvalidValidatorSignature");
    // Same newcomer or not, a result signed for the old nonce fails.
    const stale = await signResult(v, second, newShareKeys(5), { nonce: first.nonce });
    await viem.assertions.revertWithCustomError(submit(v, stale), v.manager, "InvalidValidatorSignature");
    await submit(v, await signResult(v, second, newShareKeys(5)));
    const info = await v.s.registry.read.getRequest([v.validatorId]);
    assert.equal(BigInt(info.operatorIds[7] ?? 0), second.newcomerOperatorId);
  });

  it("after three missed deadlines abandons the reshare and marks the validator for exit", async () => {
    const v = await liveValidator();
    await leave(v, 2);
    const newcomers: bigint[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      if (attempt > 1) await v.manager.write.scheduleReplacement([v.validatorId]);
      newcomers.push((await drawReplacement(v)).newcomerOperatorId);
      await pastDeadline(v);
      const hash = await v.manager.write.expireReshare([v.validatorId]);
      const logs = (await v.s.publicClient.waitForTransactionReceipt({ hash })).logs;
      const abandoned = parseEventLogs({ abi: v.manager.abi, logs, eventName: "ReshareAbandoned" });
      assert.equal(abandoned.length, attempt === 3 ? 1 : 0);
    }
    assert.equal((await v.manager.read.getReshare([v.validatorId])).stage, 0);
    for (const id of newcomers) assert.equal((await v.s.registry.read.getOperator([id])).freeUnits, 200n);
    // The leaver still holds its seat and lock (the validator exits with its cluster).
    const info = await v.s.registry.read.getRequest([v.validatorId]);
    assert.equal(info.operatorIds[2], v.operatorIds[2]);
    assert.equal(info.status, Status.Predeposited);
  });

  it("expires a draw nobody completed and unfreezes the registry's draw", async () => {
    const v = await liveValidator();
    await leave(v, 3);
    await pastDeadline(v);
    await v.manager.write.expireReshare([v.validatorId]);
    const [pending] = await v.s.registry.read.pendingDraw();
    assert.equal(pending, 0n);
    await v.s.registry.write.requestValidator();
  });
});

describe("ReshareManager: the draw block's hash ages out", () => {
  it("re-arms a replacement draw older than 256 blocks instead of drawing, then draws from the new block", async () => {
    const v = await liveValidator();
    await leave(v, 6);
    const [, drawBlock] = await v.s.registry.read.pendingDraw();
    await v.s.testClient.mine({ blocks: 300 });
    const header = await blockHeaderRlp(v.s.publicClient, drawBlock);
    const hash = await v.manager.write.drawReplacement([v.validatorId, header]);
    const logs = (await v.s.publicClient.waitForTransactionReceipt({ hash })).logs;
    const [rearmed] = parseEventLogs({ abi: v.manager.abi, logs, eventName: "ReplacementDrawScheduled" });
    assert.ok(rearmed && rearmed.args.drawBlock > drawBlock);
    assert.equal(parseEventLogs({ abi: v.manager.abi, logs, eventName: "ReshareRequested" }).length, 0);
    assert.equal((await v.manager.read.getReshare([v.validatorId])).stage, 2, "still Drawing");
    const req = await drawReplacement(v);
    assert.ok(!v.operatorIds.map(BigInt).includes(req.newcomerOperatorId));
  });

  it("computes the newcomer's EIP-712 digest as viem does", async () => {
    const v = await liveValidator();
    const root = keccak256("0x1234");
    const expected = hashTypedData({
      domain: {
        name: "Nektar Reshare Manager",
        version: "1",
        chainId: v.chainId,
        verifyingContract: v.manager.address,
      },
      types: { ReshareApproval: [{ name: "resultRoot", type: "bytes32" }] },
      primaryType: "ReshareApproval",
      message: { resultRoot: root },
    });
    assert.equal(await v.manager.read.approvalDigest([root]), expected);
  });
});

describe("ReshareManager: access control and bad input", () => {
  it("checks callers, members, stages and the validator of every entry point", async () => {
    const v = await liveValidator();
    const { carol } = v.s.accounts;
    const member = BigInt(v.operatorIds[0] ?? 0);
    await viem.assertions.revertWithCustomErrorWithArgs(
      v.manager.write.leaveCluster([v.validatorId, member], { account: carol.account }),
      v.manager,
      "NotOperatorOwner",
      [member, carol.account.address],
    );
    const notMember = BigInt(
      Array.from({ length: 24 }, (_, i) => i + 1).find((id) => !v.operatorIds.includes(id)) ?? 0,
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      v.manager.write.leaveCluster([v.validatorId, notMember], { account: await asOwner(v, notMember) }),
      v.manager,
      "NotClusterMember",
      [v.validatorId, notMember],
    );
    await viem.assertions.revertWithCustomError(
      v.manager.write.leaveCluster([99n, member], { account: await asOwner(v, member) }),
      v.s.registry,
      "UnknownRequest",
    );
    for (const [name, call] of [
      ["scheduleReplacement", v.manager.write.scheduleReplacement([v.validatorId])],
      ["drawReplacement", v.manager.write.drawReplacement([v.validatorId, "0x"])],
      ["expireReshare", v.manager.write.expireReshare([v.validatorId])],
    ] as const) {
      await viem.assertions.revertWithCustomError(call, v.manager, "WrongStage").catch((e: unknown) => {
        throw new Error(`${name}: ${e}`);
      });
    }
    await leave(v, 0);
    await viem.assertions.revertWithCustomError(leave(v, 1), v.manager, "ReshareAlreadyOpen");
    await viem.assertions.revertWithCustomError(
      v.manager.write.drawReplacement([v.validatorId, "0x"]),
      v.s.registry,
      "DrawTooEarly",
    );
    // The registry's hooks answer only the manager.
    const r = v.s.registry;
    for (const call of [
      r.write.scheduleReshareDraw([v.validatorId], { account: carol.account }),
      r.write.drawReshareSeat([v.validatorId, 0n, "0x"], { account: carol.account }),
      r.write.cancelReshareDraw([v.validatorId], { account: carol.account }),
      r.write.replaceMember([v.validatorId, 0n, 1n, 0n, keccak256("0x")], { account: carol.account }),
      r.write.releaseReshareLock([1n, 1n], { account: carol.account }),
    ]) {
      await viem.assertions.revertWithCustomErrorWithArgs(call, r, "NotReshareManager", [carol.account.address]);
    }
    assert.equal((await v.manager.read.registry()).toLowerCase(), r.address.toLowerCase());
  });

  it("refuses validators that are not live and cancels a reshare whose validator left", async () => {
    const v = await liveValidator();
    await v.s.fundBuffer(parseEther("32"));
    await v.s.scheduleDraw();
    // A request that is only drawn (not yet a validator) cannot be reshared.
    const requested = await v.s.drawCluster();
    const first = BigInt(requested.operatorIds[0] ?? 0);
    await viem.assertions.revertWithCustomErrorWithArgs(
      v.manager.write.leaveCluster([requested.requestId, first], { account: await asOwner(v, first) }),
      v.manager,
      "ValidatorNotLive",
      [requested.requestId, Status.Requested],
    );
    await leave(v, 0);
    const req = await drawReplacement(v);
    // The newcomer may also sit in the second request's cluster: compare with its free units once locked.
    const lockedFree = (await v.s.registry.read.getOperator([req.newcomerOperatorId])).freeUnits;
    // The oracle records the validator withdrawn: its cluster is released, the reshare can only be cancelled.
    await v.s.completeDeposit(v.groupPubkey);
    await v.s.oracle.write.recordValidatorStatus([v.s.registry.address, v.validatorId, Status.Withdrawn]);
    const signed = await signResult(v, req, newShareKeys(6));
    await viem.assertions.revertWithCustomError(submit(v, signed), v.manager, "ValidatorNotLive");
    await v.manager.write.expireReshare([v.validatorId]);
    assert.equal((await v.manager.read.getReshare([v.validatorId])).stage, 0);
    assert.equal((await v.s.registry.read.getOperator([req.newcomerOperatorId])).freeUnits, lockedFree + LOCK);
  });
});
