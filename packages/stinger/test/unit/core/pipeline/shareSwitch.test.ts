import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PublicKey, SecretKey, Signature, verify } from "@chainsafe/blst";
import type { ParSignedData } from "../../../../src/core/interfaces.ts";
import { PipelineError } from "../../../../src/core/pipelineError.ts";
import { ThresholdSigAgg } from "../../../../src/core/sigagg/sigAgg.ts";
import { ShareSigner } from "../../../../src/core/signer/signer.ts";
import type { ValidatorKeys } from "../../../../src/core/signer/validatorKeys.ts";
import type { SlashingProtectionDB } from "../../../../src/slashing/db.ts";
import {
  attestationData,
  config,
  dealValidators,
  keysFor,
  perOperatorDbs,
  reshareValidator,
  SLOTS_PER_EPOCH,
  T,
} from "./fixtures.ts";

const [v] = dealValidators(1) as [{ index: number; dealt: ReturnType<typeof dealValidators>[0]["dealt"] }];
const SWITCH_EPOCH = 3;
const LAST_OLD_SLOT = SWITCH_EPOCH * SLOTS_PER_EPOCH - 1;
const FIRST_NEW_SLOT = SWITCH_EPOCH * SLOTS_PER_EPOCH;
const LEAVING = 4;

const next = reshareValidator(v.dealt);
/** Operator i's keys with the resharing scheduled (the leaving seat's operator gets no new share). */
function switchedKeys(i: number): ValidatorKeys {
  const keys = keysFor(i, [v]);
  keys.scheduleSwitch(
    v.index,
    {
      fromEpoch: SWITCH_EPOCH,
      sharePublicKeys: next.sharePublicKeys,
      secretShare: i === LEAVING ? null : (next.secretShares[i - 1] as Uint8Array),
    },
    SLOTS_PER_EPOCH,
  );
  return keys;
}

describe("share switch at a resharing's epoch boundary", () => {
  const dbs = perOperatorDbs();

  const signer = (i: number, keys = switchedKeys(i)) =>
    new ShareSigner({ config, slotsPerEpoch: SLOTS_PER_EPOCH, keys, db: dbs[i - 1]?.db as SlashingProtectionDB });
  const duty = (slot: number) => ({ slot, type: "attester" as const, validator: v.index });
  const data = (slot: number) => ({
    type: "attester" as const,
    data: attestationData(slot, Math.floor(slot / SLOTS_PER_EPOCH) - 1, Math.floor(slot / SLOTS_PER_EPOCH)),
  });
  const aggregate = (partials: ParSignedData[]) =>
    new ThresholdSigAgg({ keys: switchedKeys(1), threshold: T }).aggregate(partials);
  const valid = (agg: { signingRoot: Uint8Array; signature: Uint8Array }) =>
    verify(agg.signingRoot, PublicKey.fromBytes(v.dealt.pubkey, true), Signature.fromBytes(agg.signature, true));

  it("signs the last slot before the switch with the old shares and the first slot after with the new ones", async () => {
    // Seats 1..11 sign both slots, the leaving seat included before the switch.
    const before = await Promise.all(
      Array.from({ length: T }, (_, k) => signer(k + 1).sign(duty(LAST_OLD_SLOT), data(LAST_OLD_SLOT))),
    );
    assert.ok(valid(await aggregate(before)));
    const oldKey = SecretKey.fromBytes(v.dealt.secretShares[0] as Uint8Array)
      .toPublicKey()
      .toBytes();
    assert.notDeepEqual(next.sharePublicKeys[0], oldKey);
    const seats = [1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12];
    const afterSwitch = await Promise.all(seats.map((i) => signer(i).sign(duty(FIRST_NEW_SLOT), data(FIRST_NEW_SLOT))));
    assert.ok(valid(await aggregate(afterSwitch)));
  });

  it("the leaving operator holds nothing from the switch on and its old share's partials are refused", async () => {
    const leaver = switchedKeys(LEAVING);
    assert.equal(leaver.has(v.index, LAST_OLD_SLOT), true);
    assert.equal(leaver.has(v.index, FIRST_NEW_SLOT), false);
    await assert.rejects(
      signer(LEAVING, leaver).sign(duty(FIRST_NEW_SLOT + 1), data(FIRST_NEW_SLOT + 1)),
      (e: unknown) => e instanceof PipelineError && e.type.code === "ERR_DUTY_UNKNOWN_VALIDATOR",
    );
    // A node that never switched (the leaver's old keys) signs with the old share; with 10 new partials it makes no
    // signature: old and new shares do not combine.
    const slot = FIRST_NEW_SLOT + SLOTS_PER_EPOCH;
    const oldPartial = await signer(LEAVING, keysFor(LEAVING, [v])).sign(duty(slot), data(slot));
    const fresh = await Promise.all(
      [1, 2, 3, 5, 6, 7, 8, 9, 10, 11].map((i) => signer(i).sign(duty(slot), data(slot))),
    );
    await assert.rejects(aggregate([oldPartial, ...fresh]), PipelineError);
    // And before the switch, a new share mixed with old ones makes nothing either (partials built directly: the
    // signers' slashing DBs already hold later votes).
    const early = LAST_OLD_SLOT - 1;
    const root = new Uint8Array(32).fill(0x33);
    const partial = (shareIndex: number, secret: Uint8Array): ParSignedData => ({
      duty: duty(early),
      signingRoot: root,
      signature: SecretKey.fromBytes(secret).sign(root).toBytes(),
      shareIndex,
    });
    const olds = [1, 2, 3, 5, 6, 7, 8, 9, 10, 11].map((i) => partial(i, v.dealt.secretShares[i - 1] as Uint8Array));
    assert.ok(valid(await aggregate([partial(12, v.dealt.secretShares[11] as Uint8Array), ...olds])));
    await assert.rejects(
      aggregate([partial(LEAVING, next.secretShares[LEAVING - 1] as Uint8Array), ...olds]),
      PipelineError,
    );
  });

  it("refuses a switch whose share does not match its seat's new share key", () => {
    const keys = keysFor(2, [v]);
    assert.throws(
      () =>
        keys.scheduleSwitch(
          v.index,
          { fromEpoch: 1, sharePublicKeys: next.sharePublicKeys, secretShare: next.secretShares[2] as Uint8Array },
          SLOTS_PER_EPOCH,
        ),
      (e: unknown) => e instanceof PipelineError && e.type.code === "ERR_DUTY_DATA_INVALID",
    );
  });
});
