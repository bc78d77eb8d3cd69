import assert from "node:assert/strict";
import { rm } from "node:fs/promises";
import { describe, it } from "node:test";
import { PublicKey, Signature, verify } from "@chainsafe/blst";
import { DOMAIN_BEACON_ATTESTER } from "@lodestar/params";
import { ssz } from "@lodestar/types";
import type { ParSignedData } from "../../../../src/core/interfaces.ts";
import { PipelineError } from "../../../../src/core/pipelineError.ts";
import { ThresholdSigAgg } from "../../../../src/core/sigagg/sigAgg.ts";
import { ShareSigner } from "../../../../src/core/signer/signer.ts";
import { computeDutySigningRoot } from "../../../../src/core/signer/signingRoot.ts";
import { ValidatorKeys } from "../../../../src/core/signer/validatorKeys.ts";
import { SlashingProtectionDB } from "../../../../src/slashing/db.ts";
import {
  attestationData,
  config,
  dealValidators,
  GVR_HEX,
  keysFor,
  N,
  openDb,
  perOperatorDbs,
  SLOTS_PER_EPOCH,
  T,
} from "./fixtures.ts";

const validators = dealValidators(2);
describe("signer + sigagg", () => {
  const dbs = perOperatorDbs();

  it("attester signing root is compute_signing_root(data, DOMAIN_BEACON_ATTESTER)", () => {
    const data = attestationData(70, 1, 2);
    const expected = ssz.phase0.SigningData.hashTreeRoot({
      objectRoot: ssz.phase0.AttestationData.hashTreeRoot(data),
      domain: config.getDomain(70, DOMAIN_BEACON_ATTESTER, 70),
    });
    assert.deepEqual(computeDutySigningRoot(config, SLOTS_PER_EPOCH, { type: "attester", data }), expected);
  });

  it("11 of 16 partials combine into a signature valid under the group key", async () => {
    const v = validators[0] as (typeof validators)[0];
    const duty = { slot: 70, type: "attester" as const, validator: v.index };
    const data = { type: "attester" as const, data: attestationData(70, 1, 2) };
    const partials: ParSignedData[] = [];
    for (let i = 1; i <= T; i++) {
      const signer = new ShareSigner({
        config,
        slotsPerEpoch: SLOTS_PER_EPOCH,
        keys: keysFor(i, validators),
        db: dbs[i - 1]?.db as SlashingProtectionDB,
      });
      partials.push(await signer.sign(duty, data));
    }
    const agg = await new ThresholdSigAgg({ keys: keysFor(1, validators), threshold: T }).aggregate(partials);
    assert.ok(
      verify(agg.signingRoot, PublicKey.fromBytes(v.dealt.pubkey, true), Signature.fromBytes(agg.signature, true)),
    );
  });

  it("refuses a double vote (same target, other data) and persists the refusal across reopen", async () => {
    const keys = keysFor(12, validators);
    const { db } = dbs[11] as { db: SlashingProtectionDB };
    const signer = new ShareSigner({ config, slotsPerEpoch: SLOTS_PER_EPOCH, keys, db });
    const v = (validators[1] as (typeof validators)[0]).index;
    const duty = { slot: 100, type: "attester" as const, validator: v };
    await signer.sign(duty, { type: "attester", data: attestationData(100, 2, 3, 1) });
    // The identical message again is fine (restart re-sign); other head at the same target is a double vote.
    await signer.sign(duty, { type: "attester", data: attestationData(100, 2, 3, 1) });
    await assert.rejects(
      signer.sign(duty, { type: "attester", data: attestationData(100, 2, 3, 2) }),
      (e: unknown) => e instanceof PipelineError && e.type.code === "ERR_DUTY_SLASHABLE",
    );
    const outcomes = await signer.signBatch([
      { duty, data: { type: "attester", data: attestationData(100, 1, 4) } }, // surround-ish: source below watermark
      {
        duty: { ...duty, validator: (validators[0] as (typeof validators)[0]).index },
        data: { type: "attester", data: attestationData(100, 2, 3) },
      },
    ]);
    assert.equal(outcomes[0]?.ok, false);
    assert.equal(outcomes[1]?.ok, true);
  });

  it("after a restart (DB reopened), refuses to sign data conflicting with what was signed before the crash", async () => {
    const { db, dir } = await openDb();
    const v = (validators[0] as (typeof validators)[0]).index;
    const duty = { slot: 300, type: "attester" as const, validator: v };
    const first = new ShareSigner({ config, slotsPerEpoch: SLOTS_PER_EPOCH, keys: keysFor(7, validators), db });
    await first.sign(duty, { type: "attester", data: attestationData(300, 8, 9, 1) });
    await db.close();
    const reopened = await SlashingProtectionDB.open({ dir, genesisValidatorsRoot: GVR_HEX });
    try {
      const second = new ShareSigner({
        config,
        slotsPerEpoch: SLOTS_PER_EPOCH,
        keys: keysFor(7, validators),
        db: reopened,
      });
      await assert.rejects(
        second.sign(duty, { type: "attester", data: attestationData(300, 8, 9, 2) }),
        (e: unknown) => e instanceof PipelineError && e.type.code === "ERR_DUTY_SLASHABLE",
      );
      await second.sign(duty, { type: "attester", data: attestationData(300, 8, 9, 1) });
    } finally {
      await reopened.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("attributes bad partials and still combines with enough good ones", async () => {
    const v = validators[0] as (typeof validators)[0];
    const duty = { slot: 200, type: "randao" as const, validator: v.index };
    const data = { type: "randao" as const, data: { epoch: 6 } };
    const partials: ParSignedData[] = [];
    for (let i = 1; i <= N; i++) {
      const signer = new ShareSigner({
        config,
        slotsPerEpoch: SLOTS_PER_EPOCH,
        keys: keysFor(i, validators),
        db: dbs[i - 1]?.db as SlashingProtectionDB,
      });
      partials.push(await signer.sign(duty, data));
    }
    // Operators 2 and 5 send a partial of another message (valid point, wrong content).
    const wrong = await new ShareSigner({
      config,
      slotsPerEpoch: SLOTS_PER_EPOCH,
      keys: keysFor(2, validators),
      db: dbs[1]?.db as SlashingProtectionDB,
    }).sign(duty, { type: "randao", data: { epoch: 7 } });
    partials[1] = { ...wrong, signingRoot: (partials[1] as ParSignedData).signingRoot };
    partials[4] = { ...(partials[4] as ParSignedData), signature: (partials[3] as ParSignedData).signature };
    const bad: number[][] = [];
    const agg = await new ThresholdSigAgg({
      keys: keysFor(1, validators),
      threshold: T,
      onBadPartials: (_d, ids) => bad.push(ids),
    }).aggregate(partials);
    assert.deepEqual(bad, [[2, 5]]);
    assert.ok(
      verify(agg.signingRoot, PublicKey.fromBytes(v.dealt.pubkey, true), Signature.fromBytes(agg.signature, true)),
    );
    await assert.rejects(
      new ThresholdSigAgg({ keys: keysFor(1, validators), threshold: T }).aggregate(partials.slice(0, T)),
      (e: unknown) => e instanceof PipelineError && e.type.code === "ERR_DUTY_INSUFFICIENT_PARTIALS",
    );
  });

  it("refuses a keystore whose share does not match the lock's share public key", () => {
    const v = validators[0] as (typeof validators)[0];
    assert.throws(
      () =>
        new ValidatorKeys(3, [
          {
            index: 1,
            pubkey: v.dealt.pubkey,
            sharePublicKeys: v.dealt.sharePublicKeys,
            secretShare: v.dealt.secretShares[0] as Uint8Array,
          },
        ]),
      (e: unknown) => e instanceof PipelineError && e.type.code === "ERR_DUTY_DATA_INVALID",
    );
  });
});
