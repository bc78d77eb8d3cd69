import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SecretKey } from "@chainsafe/blst";
import {
  combinePartialSignatures,
  computeDepositDataRoot,
  computeDepositMessageSigningRoot,
  evaluatePolynomial,
  g1PointFromPublicKey,
  g2PointFromSignature,
  randomPolynomial,
  scalarToBytes,
  secureRandom,
  signPartial,
  verifyDepositSignature,
} from "@nektar/crypto";
import { network } from "hardhat";
import { bytesToHex, concatHex, hexToBytes, parseEther, parseEventLogs } from "viem";
import { deployOperatorRegistry, GENESIS_FORK_VERSION, Status, signDkgResult } from "../unit/operators/fixture.ts";

const { viem } = await network.create();

/** The test network's genesis fork version (deposits are signed with it). */
const FORK_VERSION = hexToBytes(GENESIS_FORK_VERSION);
const THRESHOLD = 11;

describe("operator registry flow with the real staking pool and deposit contract", () => {
  it("stake 32 ETH → requestValidator → threshold key and 1 ETH deposit signature → credentials proof → 31 ETH", async () => {
    const s = await deployOperatorRegistry(viem);
    await s.addFleet(Array.from({ length: 24 }, (_, i) => parseEther(String(1 + (i % 5)))));
    const staked = parseEther("32");
    await s.fundBuffer(staked);
    const req = await s.requestValidator();
    assert.equal(req.withdrawalCredentials, s.credentials);
    const [, signers, identities] = await s.registry.read.requestOperators([req.requestId]);
    assert.equal(new Set(identities).size, 16);

    // What the ceremony produces: a group key whose 16 shares belong to the operators in cluster order (share i+1 to
    // operatorIds[i]), and a deposit signature combined from 11 partial signatures.
    const polynomial = randomPolynomial(THRESHOLD, secureRandom);
    const groupSecret = SecretKey.fromBytes(scalarToBytes(evaluatePolynomial(polynomial, 0n)));
    const groupPubkey = groupSecret.toPublicKey().toBytes();
    const shares = Array.from({ length: 16 }, (_, i) => ({
      shareIndex: i + 1,
      secretKey: scalarToBytes(evaluatePolynomial(polynomial, BigInt(i + 1))),
    }));
    const sharePubkeys = shares.map((sh) => SecretKey.fromBytes(sh.secretKey).toPublicKey().toBytes());
    const credentials = hexToBytes(s.credentials);
    const message = { pubkey: groupPubkey, withdrawalCredentials: credentials, amountGwei: 1_000_000_000n };
    const signingRoot = computeDepositMessageSigningRoot({ ...message, forkVersion: FORK_VERSION });
    const partials = shares.slice(5).map((sh) => signPartial(sh, signingRoot));
    const { signature } = combinePartialSignatures({
      partials,
      threshold: THRESHOLD,
      groupPublicKey: groupPubkey,
      signingRoot,
      sharePublicKeys: sharePubkeys,
    });
    assert.ok(verifyDepositSignature({ ...message, signature, forkVersion: FORK_VERSION }));
    const result = {
      groupPubkey: bytesToHex(groupPubkey),
      sharePubkeys: concatHex(sharePubkeys.map((p) => bytesToHex(p))),
      depositSignature: bytesToHex(signature),
      depositDataRoot: bytesToHex(computeDepositDataRoot({ ...message, signature })),
      points: {
        groupPubkey: bytesToHex(g1PointFromPublicKey(groupPubkey)),
        depositSignature: bytesToHex(g2PointFromSignature(signature)),
      },
    };

    // All 16 operators approve the result (EIP-712), one of them submits it.
    const accounts = s.signersOf(req.operatorIds);
    accounts.forEach((a, i) => {
      assert.equal(a.address, signers[i]);
    });
    const chainId = await s.publicClient.getChainId();
    const sigs = await signDkgResult(accounts, chainId, s.registry.address, req.requestId, result);
    const bufferBefore = await s.pool.read.bufferedEther();
    const hash = await s.registry.write.submitDkgResult([
      req.requestId,
      result.groupPubkey,
      result.sharePubkeys,
      result.depositSignature,
      result.depositDataRoot,
      result.points,
      sigs,
    ]);
    const receipt = await s.publicClient.waitForTransactionReceipt({ hash });

    const [deposit] = parseEventLogs({ abi: s.depositContract.abi, logs: receipt.logs, eventName: "DepositEvent" });
    assert.ok(deposit, "the deposit contract emitted no DepositEvent");
    assert.equal(deposit.args.pubkey, result.groupPubkey);
    assert.equal(deposit.args.withdrawal_credentials, s.credentials);
    assert.equal(deposit.args.signature, result.depositSignature);
    // The event's fields verify as a beacon-chain deposit.
    assert.ok(
      verifyDepositSignature({
        pubkey: hexToBytes(deposit.args.pubkey),
        withdrawalCredentials: hexToBytes(deposit.args.withdrawal_credentials),
        amountGwei: 1_000_000_000n,
        signature: hexToBytes(deposit.args.signature),
        forkVersion: FORK_VERSION,
      }),
    );
    assert.equal(await s.pool.read.bufferedEther(), bufferBefore - parseEther("1"));
    assert.equal((await s.registry.read.getRequest([req.requestId])).status, Status.Predeposited);
    assert.equal(await s.registry.read.validatorIdByPubkey([result.groupPubkey]), req.requestId);
    assert.equal(await s.depositContract.read.get_deposit_count(), "0x0100000000000000");

    // The beacon chain shows the key with the vault's credentials: anyone completes the deposit with 31 ETH.
    await s.completeDeposit(result.groupPubkey);
    assert.equal(await s.pool.read.bufferedEther(), bufferBefore - parseEther("32"));
    assert.equal(await s.pool.read.depositedValidators(), 1n);
    assert.equal((await s.registry.read.getRequest([req.requestId])).status, Status.Deposited);
    assert.equal(await s.depositContract.read.get_deposit_count(), "0x0200000000000000");
  });
});
