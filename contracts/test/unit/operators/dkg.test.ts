import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { type Hex, hashTypedData, keccak256, parseEther, parseEventLogs, sliceHex } from "viem";
import { makeSignedDeposit, PREDEPOSIT_GWEI, type SignedDepositData } from "../../helpers/depositData.ts";
import {
  type DkgResult,
  deployOperatorRegistry,
  dkgResultTypedData,
  GENESIS_FORK_VERSION,
  nodeIdentity,
  type OperatorSystem,
  Status,
  signDkgResult,
  signerAccount,
} from "./fixture.ts";

const { viem } = await network.create();

/** 18 operators, 64 ETH of buffer, one open request. */
async function withRequest() {
  const s = await deployOperatorRegistry(viem);
  await s.addFleet(Array(18).fill(parseEther("3")));
  await s.fundBuffer(parseEther("64"));
  const req = await s.requestValidator();
  const chainId = await s.publicClient.getChainId();
  return { s, req, chainId };
}

function submit(s: OperatorSystem, requestId: bigint, r: DkgResult, signatures: readonly Hex[]) {
  return s.registry.write.submitDkgResult([
    requestId,
    r.groupPubkey,
    r.sharePubkeys,
    r.depositSignature,
    r.depositDataRoot,
    r.points,
    [...signatures],
  ]);
}

/** The deposit fields of a signed deposit, as a result patch. */
function asResult(d: SignedDepositData): Partial<DkgResult> {
  return {
    groupPubkey: d.pubkey,
    depositSignature: d.signature,
    depositDataRoot: d.depositDataRoot,
    points: d.points,
  };
}

describe("OperatorRegistry: DKG result", () => {
  it("accepts the result signed by all 16 operators and predeposits 1 ETH with the group key", async () => {
    const { s, req } = await withRequest();
    const { result, receipt } = await s.completeRequest(req.requestId, req.operatorIds);

    const [deposit] = parseEventLogs({ abi: s.depositContract.abi, logs: receipt.logs, eventName: "DepositEvent" });
    assert.ok(deposit, "no DepositEvent");
    assert.equal(deposit.args.pubkey, result.groupPubkey);
    assert.equal(deposit.args.withdrawal_credentials, s.credentials);
    assert.equal(deposit.args.signature, result.depositSignature);
    assert.equal(deposit.args.amount, "0x00ca9a3b00000000"); // 1 ETH in gwei, little-endian
    const [accepted] = parseEventLogs({ abi: s.registry.abi, logs: receipt.logs, eventName: "DkgResultAccepted" });
    assert.equal(accepted?.args.requestId, req.requestId);
    assert.equal(accepted?.args.sharePubkeys, result.sharePubkeys);
    const [predeposited] = parseEventLogs({
      abi: s.registry.abi,
      logs: receipt.logs,
      eventName: "ValidatorPredeposited",
    });
    assert.equal(predeposited?.args.pubkey, result.groupPubkey);

    const request = await s.registry.read.getRequest([req.requestId]);
    assert.equal(request.status, Status.Predeposited);
    assert.equal(request.attestedBitmap, 0xffffn);
    const [pubkey, sharesHash] = await s.registry.read.validatorKeys([req.requestId]);
    assert.equal(pubkey, result.groupPubkey);
    assert.equal(sharesHash, keccak256(result.sharePubkeys));
    assert.equal(await s.registry.read.validatorIdByPubkey([result.groupPubkey]), req.requestId);
    // 31 ETH stay reserved for the top-up; the validator is not counted as deposited until it holds 32 ETH.
    assert.equal(await s.pool.read.reservedEther(), parseEther("31"));
    assert.equal(await s.pool.read.pendingTopUps(), 1n);
    assert.equal(await s.pool.read.depositedValidators(), 0n);
    assert.equal(await s.publicClient.getBalance({ address: s.depositContract.address }), parseEther("1"));
    // Bonds stay locked while the validator runs.
    const op = await s.registry.read.getOperator([BigInt(req.operatorIds[0] ?? 0)]);
    assert.equal(op.bondUnits - op.freeUnits, 100n);
  });

  it("refuses a deposit signature the beacon chain would ignore, before any ether moves", async () => {
    const { s, req, chainId } = await withRequest();
    const r = s.makeResult();
    const other = s.makeResult();
    const forkVersion = GENESIS_FORK_VERSION;
    // Signed for 32 ETH, for other credentials, for another network's fork version, or by another key.
    const wrongAmount = makeSignedDeposit(900, s.credentials, forkVersion, 32_000_000_000n);
    const foreign = `0x01${"00".repeat(11)}${"ab".repeat(20)}` as Hex;
    const wrongCredentials = makeSignedDeposit(901, foreign, forkVersion, PREDEPOSIT_GWEI);
    const wrongFork = makeSignedDeposit(902, s.credentials, "0x00000000", PREDEPOSIT_GWEI);
    const cases: [string, DkgResult][] = [
      ["32 ETH message", { ...r, ...asResult(wrongAmount) }],
      ["foreign credentials", { ...r, ...asResult(wrongCredentials) }],
      ["other fork version", { ...r, ...asResult(wrongFork) }],
      [
        "another key's signature",
        {
          ...r,
          depositSignature: other.depositSignature,
          points: { groupPubkey: r.points.groupPubkey, depositSignature: other.points.depositSignature },
        },
      ],
    ];
    const buffered = await s.pool.read.bufferedEther();
    for (const [name, bad] of cases) {
      const sigs = await signDkgResult(s.signersOf(req.operatorIds), chainId, s.registry.address, req.requestId, bad);
      await viem.assertions
        .revertWithCustomErrorWithArgs(submit(s, req.requestId, bad, sigs), s.registry, "InvalidDepositSignature", [
          req.requestId,
        ])
        .catch((e: Error) => {
          throw new Error(`${name}: ${e.message}`);
        });
    }
    // Uncompressed points that are not the compressed key or signature are refused as malformed.
    const sigs = await signDkgResult(s.signersOf(req.operatorIds), chainId, s.registry.address, req.requestId, r);
    await assert.rejects(
      submit(s, req.requestId, { ...r, points: { ...r.points, groupPubkey: other.points.groupPubkey } }, sigs),
    );
    await assert.rejects(
      submit(
        s,
        req.requestId,
        { ...r, points: { ...r.points, depositSignature: other.points.depositSignature } },
        sigs,
      ),
    );
    assert.equal(await s.pool.read.bufferedEther(), buffered);
    assert.equal((await s.registry.read.getRequest([req.requestId])).status, Status.Requested);
    await submit(s, req.requestId, r, sigs);
    assert.equal((await s.registry.read.getRequest([req.requestId])).status, Status.Predeposited);
  });

  it("computes the same EIP-712 digest as viem", async () => {
    const { s, req, chainId } = await withRequest();
    const r = s.makeResult();
    const digest = await s.registry.read.dkgResultDigest([
      req.requestId,
      r.groupPubkey,
      r.sharePubkeys,
      r.depositSignature,
      r.depositDataRoot,
    ]);
    assert.equal(digest, hashTypedData(dkgResultTypedData(chainId, s.registry.address, req.requestId, r)));
  });

  it("rejects a wrong signer, a duplicate, a wrong order and a missing signature at the first bad position", async () => {
    const { s, req, chainId } = await withRequest();
    const r = s.makeResult();
    const good = await signDkgResult(s.signersOf(req.operatorIds), chainId, s.registry.address, req.requestId, r);
    const ids = req.operatorIds.map(BigInt);
    const outsider = await signDkgResult([signerAccount(12345)], chainId, s.registry.address, req.requestId, r);
    const cases: [string, Hex[], number][] = [
      ["wrong signer", good.map((g, i) => (i === 3 ? (outsider[0] as Hex) : g)), 3],
      ["duplicate", good.map((g, i) => (i === 5 ? (good[4] as Hex) : g)), 5],
      ["wrong order", [good[1] as Hex, good[0] as Hex, ...good.slice(2)], 0],
      ["empty without attestation", good.map((g, i) => (i === 15 ? "0x" : g)), 15],
      ["malformed", good.map((g, i) => (i === 7 ? sliceHex(g, 0, 64) : g)), 7],
    ];
    for (const [name, sigs, position] of cases) {
      await viem.assertions
        .revertWithCustomErrorWithArgs(submit(s, req.requestId, r, sigs), s.registry, "InvalidOperatorSignature", [
          req.requestId,
          BigInt(position),
          ids[position] ?? 0n,
        ])
        .catch((e: Error) => {
          throw new Error(`${name}: ${e.message}`);
        });
    }
    await viem.assertions.revertWithCustomErrorWithArgs(
      submit(s, req.requestId, r, good.slice(0, 15)),
      s.registry,
      "WrongSignatureCount",
      [15n, 16n],
    );
    // A signature over a different result (another deposit data root) does not approve this one.
    const other = { ...r, depositDataRoot: s.makeResult().depositDataRoot };
    const sigsOther = await signDkgResult(
      s.signersOf(req.operatorIds),
      chainId,
      s.registry.address,
      req.requestId,
      other,
    );
    await viem.assertions.revertWithCustomError(
      submit(s, req.requestId, r, sigsOther),
      s.registry,
      "InvalidOperatorSignature",
    );
    await submit(s, req.requestId, r, good);
  });

  it("rejects replays across requests, chains and registries", async () => {
    const { s, req, chainId } = await withRequest();
    const r = s.makeResult();
    const signers = s.signersOf(req.operatorIds);
    const forOtherRequest = await signDkgResult(signers, chainId, s.registry.address, req.requestId + 1n, r);
    const forOtherChain = await signDkgResult(signers, chainId + 1, s.registry.address, req.requestId, r);
    const second = await deployOperatorRegistry(viem);
    const forOtherRegistry = await signDkgResult(signers, chainId, second.registry.address, req.requestId, r);
    for (const sigs of [forOtherRequest, forOtherChain, forOtherRegistry]) {
      await viem.assertions.revertWithCustomErrorWithArgs(
        submit(s, req.requestId, r, sigs),
        s.registry,
        "InvalidOperatorSignature",
        [req.requestId, 0n, BigInt(req.operatorIds[0] ?? 0)],
      );
    }
    // Once accepted, the same signatures cannot be submitted again (for this or any other request).
    const good = await signDkgResult(signers, chainId, s.registry.address, req.requestId, r);
    await submit(s, req.requestId, r, good);
    await viem.assertions.revertWithCustomErrorWithArgs(
      submit(s, req.requestId, r, good),
      s.registry,
      "InvalidStatus",
      [req.requestId, Status.Predeposited],
    );
    // Replaying the accepted result for another request is refused as a reused validator key.
    const next = await s.requestValidator();
    await viem.assertions.revertWithCustomErrorWithArgs(
      submit(s, next.requestId, r, good),
      s.registry,
      "DuplicateValidatorPubkey",
      [r.groupPubkey, req.requestId],
    );
  });

  it("rejects malformed key material, unknown requests and a reused validator key", async () => {
    const { s, req, chainId } = await withRequest();
    const r = s.makeResult();
    const sigs = await signDkgResult(s.signersOf(req.operatorIds), chainId, s.registry.address, req.requestId, r);
    const cases: [Partial<DkgResult>, string, bigint, bigint][] = [
      [{ groupPubkey: sliceHex(r.groupPubkey, 0, 47) }, "groupPubkey", 47n, 48n],
      [{ sharePubkeys: sliceHex(r.sharePubkeys, 0, 767) }, "sharePubkeys", 767n, 768n],
      [{ depositSignature: sliceHex(r.depositSignature, 0, 95) }, "depositSignature", 95n, 96n],
    ];
    for (const [patch, field, length, expected] of cases) {
      await viem.assertions.revertWithCustomErrorWithArgs(
        submit(s, req.requestId, { ...r, ...patch }, sigs),
        s.registry,
        "InvalidLength",
        [field, length, expected],
      );
    }
    await viem.assertions.revertWithCustomErrorWithArgs(submit(s, 42n, r, sigs), s.registry, "UnknownRequest", [42n]);
    await submit(s, req.requestId, r, sigs);

    // The same group key for another request is refused.
    const next = await s.requestValidator();
    const again = { ...s.makeResult(), groupPubkey: r.groupPubkey, points: r.points };
    const sigs2 = await signDkgResult(
      s.signersOf(next.operatorIds),
      chainId,
      s.registry.address,
      next.requestId,
      again,
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      submit(s, next.requestId, again, sigs2),
      s.registry,
      "DuplicateValidatorPubkey",
      [r.groupPubkey, req.requestId],
    );
  });

  it("accepts on-chain attestations of the same digest in place of signatures", async () => {
    const { s, req, chainId } = await withRequest();
    const r = s.makeResult();
    const signers = s.signersOf(req.operatorIds);
    const sigs = await signDkgResult(signers, chainId, s.registry.address, req.requestId, r);
    const digest = hashTypedData(dkgResultTypedData(chainId, s.registry.address, req.requestId, r));
    const wrongDigest = hashTypedData(dkgResultTypedData(chainId, s.registry.address, req.requestId + 7n, r));
    // Operators at positions 2 and 9 attest the result; position 4 attests a different one.
    for (const [position, d] of [
      [2, digest],
      [9, digest],
      [4, wrongDigest],
    ] as const) {
      const signer = signers[position];
      if (!signer) throw new Error("missing signer");
      await s.testClient.setBalance({ address: signer.address, value: parseEther("1") });
      await viem.assertions.emitWithArgs(
        s.registry.write.attestDkgResult([req.requestId, d], { account: signer }),
        s.registry,
        "DkgResultAttested",
        [req.requestId, BigInt(req.operatorIds[position] ?? 0), d],
      );
    }
    assert.equal(
      (await s.registry.read.getRequest([req.requestId])).attestedBitmap,
      (1n << 2n) | (1n << 9n) | (1n << 4n),
    );
    const withEmpty = sigs.map((g, i) => (i === 2 || i === 9 || i === 4 ? "0x" : g)) as Hex[];
    await viem.assertions.revertWithCustomErrorWithArgs(
      submit(s, req.requestId, r, withEmpty),
      s.registry,
      "InvalidOperatorSignature",
      [req.requestId, 4n, BigInt(req.operatorIds[4] ?? 0)],
    );
    await submit(
      s,
      req.requestId,
      r,
      sigs.map((g, i) => (i === 2 || i === 9 ? "0x" : g)),
    );
    assert.equal((await s.registry.read.getRequest([req.requestId])).status, Status.Predeposited);

    // Non-members cannot attest; nobody can attest once the result is accepted.
    const { bob } = s.accounts;
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.registry.write.attestDkgResult([req.requestId, digest], { account: bob.account }),
      s.registry,
      "InvalidStatus",
      [req.requestId, Status.Predeposited],
    );
    const next = await s.requestValidator();
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.registry.write.attestDkgResult([next.requestId, digest], { account: bob.account }),
      s.registry,
      "NotRequestOperator",
      [next.requestId, bob.account.address],
    );
  });

  it("verifies an ERC-1271 contract signer", async () => {
    const s = await deployOperatorRegistry(viem);
    const { bob } = s.accounts;
    const owner = signerAccount(777);
    const wallet = await viem.deployContract("ERC1271SignerDouble", [owner.address]);
    await s.registry.write.registerOperator([wallet.address, nodeIdentity(777), ""], { account: bob.account });
    await s.registry.write.bondEther([1n], { account: bob.account, value: parseEther("1") });
    const { signers } = await s.addFleet(Array(15).fill(parseEther("1")));
    await s.fundBuffer(parseEther("32"));
    const req = await s.requestValidator();
    const chainId = await s.publicClient.getChainId();
    const r = s.makeResult();
    const byId = new Map([[1, owner], ...signers.map((a, i) => [i + 2, a] as const)]);
    const accounts = req.operatorIds.map((id) => {
      const a = byId.get(id);
      if (!a) throw new Error(`no signer for ${id}`);
      return a;
    });
    const sigs = await signDkgResult(accounts, chainId, s.registry.address, req.requestId, r);
    await submit(s, req.requestId, r, sigs);
    assert.equal((await s.registry.read.getRequest([req.requestId])).status, Status.Predeposited);
  });
});
