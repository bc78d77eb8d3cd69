import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { decrypt } from "@chainsafe/bls-keystore";
import { SecretKey } from "@chainsafe/blst";
import { CeremonyError, LockError } from "../../../src/dkg/errors.ts";
import {
  type ClusterLock,
  computeLockHash,
  DEFAULT_AGREEMENT,
  LOCK_VERSION,
  LOCK_VERSION_V1,
  lockAgreement,
  lockSigningRoot,
} from "../../../src/dkg/lock.ts";
import { verifyClusterLock } from "../../../src/dkg/verifyLock.ts";
import { identitySigner } from "../../../src/identity/ed25519.ts";
import {
  definitionFor,
  type InProcessOperator,
  inProcessOperators,
  runDkgCeremony,
} from "../../support/ceremonyHarness.ts";

const invalidBecause = (re: RegExp) => (e: unknown) =>
  e instanceof LockError && e.type.code === "ERR_LOCK_INVALID" && re.test(e.type.reason);

describe("runDkgCeremony (4 operators in one process, threshold 3)", () => {
  let ops: InProcessOperator[] = [];
  before(async () => {
    ops = await inProcessOperators(4);
  });
  after(async () => {
    await Promise.all(ops.map((o) => o.node.stop()));
    for (const o of ops) rmSync(o.deps.dataDir, { recursive: true, force: true });
  });

  it("completes with identical, independently verifiable locks and a decryptable share on every node", async () => {
    const definition = definitionFor(ops, 3);
    const outcomes = await Promise.all(ops.map((o) => runDkgCeremony(definition, o.deps)));
    const locks = outcomes.map((o) => readFileSync(o.lock, "utf8"));
    assert.ok(
      locks.every((l) => l === locks[0]),
      "locks are byte-identical",
    );
    const { lock } = verifyClusterLock(JSON.parse(locks[0] as string));
    assert.deepEqual(lock.qualifiedDealers, [1, 2, 3, 4]);
    assert.equal(lock.version, LOCK_VERSION);
    assert.deepEqual(lock.agreement, DEFAULT_AGREEMENT, "the agreement settings are bound in the lock");
    for (const agreement of [
      { ...DEFAULT_AGREEMENT, protocol: "qbft" as const },
      { ...DEFAULT_AGREEMENT, maxRounds: 7 },
      { ...DEFAULT_AGREEMENT, roundTimeoutMs: 500 },
    ]) {
      assert.throws(() => verifyClusterLock({ ...lock, agreement }), invalidBecause(/lockHash does not match/));
    }
    assert.throws(
      () => verifyClusterLock({ ...lock, agreement: undefined }),
      invalidBecause(/agreement settings missing/),
    );
    // A v1 lock (written before the settings were bound) still loads, with the settings every v1 lock ran.
    const { agreement: _, lockHash: __, operatorSignatures: ___, ...body } = lock;
    const v1Body = { ...body, version: LOCK_VERSION_V1 } as const;
    const v1Hash = computeLockHash(v1Body);
    const v1: ClusterLock = {
      ...v1Body,
      lockHash: `0x${Buffer.from(v1Hash).toString("hex")}`,
      operatorSignatures: ops.map(
        (o) =>
          `0x${Buffer.from(identitySigner(o.identity.privateKey).sign(lockSigningRoot(v1Hash))).toString("hex")}` as const,
      ),
    };
    assert.deepEqual(lockAgreement(verifyClusterLock(JSON.parse(JSON.stringify(v1))).lock), DEFAULT_AGREEMENT);
    assert.notEqual(v1.lockHash, lock.lockHash);
    for (const [i, o] of outcomes.entries()) {
      const keystore = JSON.parse(readFileSync(o.keystore, "utf8"));
      await assert.rejects(decrypt(keystore, "wrong password"));
      const secret = await decrypt(keystore, "share password");
      assert.equal(
        `0x${Buffer.from(SecretKey.fromBytes(secret).toPublicKey().toBytes()).toString("hex")}`,
        lock.sharePublicKeys[i],
      );
    }
  });

  it("refuses to run a ceremony whose outputs already exist", async () => {
    const definition = definitionFor(ops, 3);
    await assert.rejects(
      runDkgCeremony(definition, (ops[0] as InProcessOperator).deps),
      (e) => e instanceof CeremonyError && e.type.code === "ERR_CEREMONY_OUTPUT_EXISTS",
    );
  });

  it("aborts on every node with the absent operator's index when one never deals", async () => {
    const definition = definitionFor(ops, 3, 2n);
    const present = ops
      .slice(0, 3)
      .map((o) => ({ ...o.deps, timeouts: { joinTimeoutMs: 1500, roundTimeoutMs: 1000 } }));
    const results = await Promise.allSettled(present.map((d) => runDkgCeremony(definition, d)));
    for (const r of results) {
      assert.equal(r.status, "rejected");
      const e = (r as PromiseRejectedResult).reason;
      assert.ok(e instanceof CeremonyError, String(e));
      const t = e.type;
      assert.ok(
        (t.code === "ERR_CEREMONY_TIMEOUT" && t.missing.includes(4)) || t.code === "ERR_CEREMONY_PEER_ABORTED",
        JSON.stringify(t),
      );
    }
  });
});
