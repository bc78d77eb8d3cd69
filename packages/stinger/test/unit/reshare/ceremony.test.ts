import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { decrypt } from "@chainsafe/bls-keystore";
import { PublicKey, SecretKey, Signature, verify } from "@chainsafe/blst";
import { computeReshareSigningRoot, interpolateSignatures, type KeyShare, signPartial } from "@nektar/crypto";
import { type Hex, hexToBytes, recoverTypedDataAddress } from "viem";
import { registryDomain } from "../../../src/chain/dkgResult.ts";
import { ValidatorKeys } from "../../../src/core/signer/validatorKeys.ts";
import { ceremonyOutputDir } from "../../../src/dkg/outputs.ts";
import { verifyClusterLock } from "../../../src/dkg/verifyLock.ts";
import { loadValidatorLock } from "../../../src/node/clusterKeys.ts";
import { RESHARE_APPROVAL_TYPES } from "../../../src/reshare/approval.ts";
import { reshareSessionId, runReshareCeremony } from "../../../src/reshare/ceremony.ts";
import { ReshareError } from "../../../src/reshare/errors.ts";
import { planReshare } from "../../../src/reshare/request.ts";
import { leavingSwitch, loadReshareSwitch } from "../../../src/reshare/switch.ts";
import { SlashingProtectionDB } from "../../../src/slashing/db.ts";
import type { InProcessOperator } from "../../support/ceremonyHarness.ts";
import {
  GVR,
  NEWCOMER_SIGNER,
  type ReshareCluster,
  replaceRequest,
  reshareCluster,
  runReplacement,
} from "../../support/reshareHarness.ts";

const N = 7;
const T = 5;
const LEAVING = 3;

describe(`runReshareCeremony (${N} operators + 1 newcomer in one process, threshold ${T}, seat ${LEAVING} replaced)`, () => {
  const root = mkdtempSync(join(tmpdir(), "stinger-reshare-"));
  let c: ReshareCluster;
  before(async () => {
    c = await reshareCluster(N, T, root);
  });
  after(async () => {
    await c.stop();
    for (const o of c.ops) rmSync(o.deps.dataDir, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  });

  it("keeps the validator key, writes one verified lock everywhere, and signs the result with the old shares", async () => {
    const validator = replaceRequest(c, LEAVING).event.validator;
    // What the members have signed: member 1 the highest attestation, member 2 the highest block.
    await c.dbs[0]?.checkAndInsertAttestation({ pubkey: validator, source: 95n, target: 99n, signingRoot: null });
    await c.dbs[1]?.checkAndInsertAttestation({ pubkey: validator, source: 97n, target: 98n, signingRoot: null });
    await c.dbs[1]?.checkAndInsertBlock({ pubkey: validator, slot: 790n, signingRoot: null });
    const request = replaceRequest(c, LEAVING);
    // The leaving operator takes no part.
    const leaver = c.ops[LEAVING - 1] as InProcessOperator;
    await assert.rejects(
      runReshareCeremony(request, {
        ...leaver.deps,
        oldShare: c.shares[LEAVING - 1] as KeyShare,
        slashing: c.dbs[LEAVING - 1] as never,
      }),
      (e: unknown) => e instanceof ReshareError && e.type.code === "ERR_RESHARE_NOT_MEMBER",
    );
    const results = await runReplacement(c, request);
    const records = results.map((r) => r.outcome.record);
    for (const r of records) {
      assert.equal(r.lockHash, records[0]?.lockHash);
      assert.equal(r.validatorSignature, records[0]?.validatorSignature);
      assert.equal(r.switchEpoch, 102);
    }
    const locks = results.map((r) => readFileSync(r.outcome.lock, "utf8"));
    const { lock, definition } = verifyClusterLock(JSON.parse(locks[0] as string));
    assert.equal(lock.groupPublicKey, request.current.lock.groupPublicKey, "the validator key never changes");
    assert.equal(definition.operators[LEAVING - 1]?.peerId, request.newcomer.peerId);
    assert.deepEqual(
      lock.qualifiedDealers,
      Array.from({ length: N }, (_, i) => i + 1).filter((s) => s !== LEAVING),
    );
    // The validator key's signature over the result verifies against the unchanged key.
    const message = {
      chainId: BigInt(definition.chainId),
      registry: definition.registryAddress,
      validatorPubkey: hexToBytes(lock.groupPublicKey),
      nonce: request.event.nonce,
      leavingIndex: LEAVING,
      newcomer: request.event.newcomer,
      members: definition.operators.map((o) => o.elAddress),
      sharePublicKeys: lock.sharePublicKeys.map((k) => hexToBytes(k)),
      genesisForkVersion: hexToBytes(request.genesisForkVersion),
    };
    const signingRoot = computeReshareSigningRoot(message);
    const groupKey = PublicKey.fromBytes(hexToBytes(lock.groupPublicKey), true);
    assert.ok(
      verify(signingRoot, groupKey, Signature.fromBytes(hexToBytes(records[0]?.validatorSignature as Hex), true)),
    );
    // The newcomer approved the same result with its registered signer.
    const mine = results.find((r) => r.seat === LEAVING)?.outcome.record;
    assert.ok(mine?.newcomerApproval);
    const approver = await recoverTypedDataAddress({
      domain: registryDomain(definition.chainId, definition.registryAddress),
      types: RESHARE_APPROVAL_TYPES,
      primaryType: "ReshareApproval",
      message: { resultRoot: mine.resultRoot },
      signature: mine.newcomerApproval,
    });
    assert.equal(approver, NEWCOMER_SIGNER.address);
    // The newcomer imported the highest attested state, raised to the last epoch before the switch.
    assert.deepEqual(
      mine.slashingAttesters,
      Array.from({ length: N }, (_, i) => i + 1).filter((s) => s !== LEAVING),
    );
    const w = c.dbs[N]?.watermarks(validator);
    assert.equal(w?.attestation?.source, 97n);
    assert.equal(w?.attestation?.target, 101n);
    assert.equal(w?.block?.slot, 815n);
    assert.equal(
      c.dbs[N]?.wouldAcceptAttestation({ pubkey: validator, source: 96n, target: 102n, signingRoot: null }).ok,
      false,
    );
    assert.equal(
      c.dbs[N]?.wouldAcceptAttestation({ pubkey: validator, source: 97n, target: 102n, signingRoot: null }).ok,
      true,
    );

    // New shares: every keystore matches its seat's new share key; the new set signs, mixes with old shares do not.
    const newShares: KeyShare[] = [];
    for (const { seat, outcome } of results) {
      const secretKey = await decrypt(JSON.parse(readFileSync(outcome.keystore, "utf8")), "share password");
      assert.equal(
        `0x${Buffer.from(SecretKey.fromBytes(secretKey).toPublicKey().toBytes()).toString("hex")}`,
        lock.sharePublicKeys[seat - 1],
      );
      newShares[seat - 1] = { shareIndex: seat, secretKey };
    }
    const msg = new Uint8Array(32).fill(9);
    const sig = (s: KeyShare) => Signature.fromBytes(signPartial(s, msg).signature, true);
    const ids = Array.from({ length: T }, (_, i) => i + 1);
    const signs = (pick: (id: number) => KeyShare) =>
      verify(
        msg,
        groupKey,
        interpolateSignatures(
          ids,
          ids.map((id) => sig(pick(id))),
        ),
      );
    assert.ok(signs((id) => newShares[id - 1] as KeyShare));
    // The leaving operator's old share (seat 3) with any new shares never signs; nor does any other old/new mix.
    for (let mask = 1; mask < (1 << T) - 1; mask++) {
      assert.ok(
        !signs((id) => ((mask >> (id - 1)) & 1 ? (c.shares[id - 1] as KeyShare) : (newShares[id - 1] as KeyShare))),
        `mask ${mask}`,
      );
    }
  });

  it("the duty node takes the outputs over at the switch epoch; the leaving operator holds nothing from then on", async () => {
    const request = replaceRequest(c, LEAVING);
    const slotsPerEpoch = request.timing.slotsPerEpoch;
    const lastOld = 102 * slotsPerEpoch - 1;
    const keysOf = async (seat: number, peerId: string) => {
      const old = await loadValidatorLock(dirname(c.lockPaths[seat - 1] as string), peerId, "share password");
      return new ValidatorKeys(seat, [{ index: 7, ...old.validator }]);
    };
    for (const seat of [1, LEAVING]) {
      const isNewcomer = seat === LEAVING;
      const op = (isNewcomer ? c.ops[N] : c.ops[seat - 1]) as InProcessOperator;
      const dir = ceremonyOutputDir(op.deps.dataDir, reshareSessionId(request, planReshare(request).next));
      const db = (isNewcomer ? c.dbs[N] : c.dbs[seat - 1]) as SlashingProtectionDB;
      const { record, shareSwitch } = await loadReshareSwitch(dir, op.node.peerId.toString(), "share password", db);
      assert.equal(record.switchEpoch, 102);
      if (isNewcomer) {
        // The newcomer has no current keys: its new share alone, from the switch on.
        assert.equal(shareSwitch.secretShare?.length, 32);
        assert.deepEqual(record.slashingState, { blockSlot: "815", sourceEpoch: "97", targetEpoch: "101" });
        // A slashing-protection DB without the imported state (wiped, restored from before the resharing, another
        // node's): the share is not loaded, so the node signs nothing for the validator.
        const empty = await SlashingProtectionDB.open({
          dir: join(root, "newcomer-empty-db"),
          genesisValidatorsRoot: GVR,
        });
        await assert.rejects(
          loadReshareSwitch(dir, op.node.peerId.toString(), "share password", empty),
          (e: unknown) => e instanceof ReshareError && e.type.code === "ERR_RESHARE_SLASHING_STATE",
        );
        await empty.checkAndInsertAttestation({
          pubkey: record.validator,
          source: 97n,
          target: 100n,
          signingRoot: null,
        });
        await empty.checkAndInsertBlock({ pubkey: record.validator, slot: 815n, signingRoot: null });
        await assert.rejects(
          loadReshareSwitch(dir, op.node.peerId.toString(), "share password", empty),
          (e: unknown) => e instanceof ReshareError && e.type.code === "ERR_RESHARE_SLASHING_STATE",
          "a target below the attested one is not enough",
        );
        await empty.checkAndInsertAttestation({
          pubkey: record.validator,
          source: 97n,
          target: 101n,
          signingRoot: null,
        });
        await loadReshareSwitch(dir, op.node.peerId.toString(), "share password", empty);
        await empty.close();
        continue;
      }
      const keys = await keysOf(seat, op.node.peerId.toString());
      const before = keys.get(7, lastOld).secretShare.toBytes();
      keys.scheduleSwitch(7, shareSwitch, slotsPerEpoch);
      assert.deepEqual(keys.get(7, lastOld).secretShare.toBytes(), before);
      assert.deepEqual(keys.get(7, lastOld + 1).secretShare.toBytes(), shareSwitch.secretShare);
    }
    const leaver = c.ops[LEAVING - 1] as InProcessOperator;
    const keys = await keysOf(LEAVING, leaver.node.peerId.toString());
    keys.scheduleSwitch(7, leavingSwitch(102), slotsPerEpoch);
    assert.equal(keys.has(7, lastOld), true);
    assert.equal(keys.has(7, lastOld + 1), false);
    assert.throws(() => keys.get(7, lastOld + 1));
  });

  it("completes with a member down (threshold dealers left): the absent seat gets no new share", async () => {
    const request = replaceRequest(c, 5, 8n);
    const started = performance.now();
    const results = await runReplacement(c, request, [6], { joinTimeoutMs: 1500, roundTimeoutMs: 1500 });
    assert.ok(performance.now() - started < 15_000);
    assert.deepEqual(
      results.map((r) => r.seat),
      [1, 2, 3, 4, 5, 7],
    );
    const { lock } = verifyClusterLock(JSON.parse(readFileSync(results[0]?.outcome.lock as string, "utf8")));
    assert.deepEqual(lock.qualifiedDealers, [1, 2, 3, 4, 7]);
    assert.equal(lock.groupPublicKey, request.current.lock.groupPublicKey);
    // The newcomer counted the statements of the five members that ran.
    assert.deepEqual(results.find((r) => r.seat === 5)?.outcome.record.slashingAttesters, [1, 2, 3, 4, 7]);
    // With two members down only four could deal: every node gives up (on its own timeout, or on the abort of a
    // node that timed out first), nothing is written.
    const seats = [1, 2, 3, 4, 5];
    const settled = await Promise.allSettled(
      seats.map((seat) =>
        runReplacement(c, replaceRequest(c, 5, 9n), [...[1, 2, 3, 4, 5, 6, 7].filter((s) => s !== seat)], {
          joinTimeoutMs: 1000,
          roundTimeoutMs: 1000,
        }),
      ),
    );
    const codes = settled.map((r) =>
      r.status === "rejected" ? (r.reason as { type?: { code?: string } }).type?.code : "ok",
    );
    assert.ok(
      codes.every((code) => code === "ERR_RESHARE_TOO_FEW_DEALERS" || code === "ERR_CEREMONY_PEER_ABORTED"),
      `${codes}`,
    );
    assert.ok(codes.includes("ERR_RESHARE_TOO_FEW_DEALERS"));
  });

  it("with fewer than the threshold of valid slashing statements the newcomer refuses: nothing imported, no share", async () => {
    const request = replaceRequest(c, LEAVING, 11n);
    // Two of the six remaining members run a DB of another chain: their statements do not count, 4 < 5 remain.
    const otherChain = await Promise.all(
      [1, 2].map((i) =>
        SlashingProtectionDB.open({
          dir: join(root, `other-chain-${i}`),
          genesisValidatorsRoot: `0x${"0e".repeat(32)}`,
        }),
      ),
    );
    const fresh = await SlashingProtectionDB.open({ dir: join(root, "newcomer-fresh"), genesisValidatorsRoot: GVR });
    const slashing = (seat: number) =>
      seat === LEAVING ? fresh : seat === 1 ? otherChain[0] : seat === 2 ? otherChain[1] : undefined;
    const settled = await Promise.allSettled(
      [1, 2, 4, 5, 6, 7, LEAVING].map((seat) =>
        runReplacement(
          c,
          request,
          [1, 2, 3, 4, 5, 6, 7].filter((s) => s !== seat),
          undefined,
          slashing,
        ),
      ),
    );
    const codes = settled.map((r) => (r.status === "rejected" ? (r.reason as ReshareError).type?.code : "ok"));
    assert.equal(codes.at(-1), "ERR_RESHARE_SLASHING_STATE", `${codes}`);
    assert.ok(!codes.includes("ok"), `${codes}`);
    // The newcomer imported nothing and wrote no share: its node has nothing to sign with.
    assert.equal(fresh.watermarks(request.event.validator), undefined);
    const newcomer = c.ops[N] as InProcessOperator;
    const dir = ceremonyOutputDir(newcomer.deps.dataDir, reshareSessionId(request, planReshare(request).next));
    assert.equal(existsSync(dir), false);
    await Promise.all([...otherChain, fresh].map((d) => d.close()));
  });

  it("a second request with the same nonce finds its outputs written and refuses to run again", async () => {
    const request = replaceRequest(c, LEAVING);
    const op = c.ops[0] as InProcessOperator;
    await assert.rejects(
      runReshareCeremony(request, { ...op.deps, oldShare: c.shares[0] as KeyShare, slashing: c.dbs[0] as never }),
      (e: unknown) => (e as { type?: { code?: string } }).type?.code === "ERR_CEREMONY_OUTPUT_EXISTS",
    );
  });

  it("refuses a request that does not match the lock", async () => {
    const request = replaceRequest(c, LEAVING, 6n);
    const op = c.ops[0] as InProcessOperator;
    const deps = { ...op.deps, oldShare: c.shares[0] as KeyShare, slashing: c.dbs[0] as never };
    const bad = [
      { ...request, event: { ...request.event, validator: `0x${"11".repeat(48)}` as Hex } },
      { ...request, event: { ...request.event, leavingIndex: N + 1 } },
      { ...request, event: { ...request.event, members: [...request.event.members].reverse() } },
      {
        ...request,
        newcomer: { ...request.newcomer, peerId: request.current.definition.operators[1]?.peerId as string },
      },
    ];
    for (const r of bad) {
      await assert.rejects(
        runReshareCeremony(r, deps),
        (e: unknown) => e instanceof ReshareError && e.type.code === "ERR_RESHARE_REQUEST_INVALID",
      );
    }
    assert.equal(GVR.length, 66);
  });
});
