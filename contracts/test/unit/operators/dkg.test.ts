import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { type Hex, hashTypedData, keccak256, parseEther, parseEventLogs, sliceHex } from "viem";
import {
  type DkgResult,
  deployOperatorRegistry,
  dkgResultTypedData,
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
    [...signatures],
  ]);
}

describe("OperatorRegistry: DKG result", () => {
  it("accepts the result signed by all 16 operators and deposits 32 ETH with the group key", async () => {
    const { s, req } = await withRequest();
    const { result, receipt } = await s.completeRequest(req.requestId, req.operatorIds);

    const [deposit] = parseEventLogs({ abi: s.depositContract.abi, logs: receipt.logs, eventName: "DepositEvent" });
    assert.ok(deposit, "no DepositEvent");
    assert.equal(deposit.args.pubkey, result.groupPubkey);
    assert.equal(deposit.args.withdrawal_credentials, s.credentials);
    assert.equal(deposit.args.signature, result.depositSignature);
    const [accepted] = parseEventLogs({ abi: s.registry.abi, logs: receipt.logs, eventName: "DkgResultAccepted" });
    assert.equal(accepted?.args.requestId, req.requestId);
    assert.equal(accepted?.args.sharePubkeys, result.sharePubkeys);
    const [deposited] = parseEventLogs({ abi: s.registry.abi, logs: receipt.logs, eventName: "ValidatorDeposited" });
    assert.equal(deposited?.args.pubkey, result.groupPubkey);

    const request = await s.registry.read.getRequest([req.requestId]);
    assert.equal(request.status, Status.Deposited);
    assert.equal(request.attestedBitmap, 0xffffn);
    const [pubkey, sharesHash] = await s.registry.read.validatorKeys([req.requestId]);
    assert.equal(pubkey, result.groupPubkey);
    assert.equal(sharesHash, keccak256(result.sharePubkeys));
    assert.equal(await s.registry.read.validatorIdByPubkey([result.groupPubkey]), req.requestId);
    for (const id of req.operatorIds) {
      assert.equal(await s.registry.read.validatorCountOf([BigInt(id)]), 1n);
      assert.deepEqual(await s.registry.read.validatorsOf([BigInt(id), 0n, 10n]), [req.requestId]);
    }
    assert.equal(await s.pool.read.reservedEther(), 0n);
    assert.equal(await s.pool.read.depositedValidators(), 1n);
    // Bonds stay locked while the validator runs.
    const op = await s.registry.read.getOperator([BigInt(req.operatorIds[0] ?? 0)]);
    assert.equal(op.bondUnits - op.freeUnits, 100n);
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
      [req.requestId, Status.Deposited],
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
    const again = { ...s.makeResult(), groupPubkey: r.groupPubkey };
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
    assert.equal((await s.registry.read.getRequest([req.requestId])).status, Status.Deposited);

    // Non-members cannot attest; nobody can attest once the result is accepted.
    const { bob } = s.accounts;
    await viem.assertions.revertWithCustomErrorWithArgs(
      s.registry.write.attestDkgResult([req.requestId, digest], { account: bob.account }),
      s.registry,
      "InvalidStatus",
      [req.requestId, Status.Deposited],
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
    assert.equal((await s.registry.read.getRequest([req.requestId])).status, Status.Deposited);
  });
});
