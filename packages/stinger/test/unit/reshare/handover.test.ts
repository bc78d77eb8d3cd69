import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { PublicKey, Signature, verify } from "@chainsafe/blst";
import type { Hex } from "viem";
import { PipelineError } from "../../../src/core/pipelineError.ts";
import { ThresholdSigAgg } from "../../../src/core/sigagg/sigAgg.ts";
import { ShareSigner } from "../../../src/core/signer/signer.ts";
import { ValidatorKeys } from "../../../src/core/signer/validatorKeys.ts";
import { LOCK_FILE } from "../../../src/dkg/outputs.ts";
import { ReshareError } from "../../../src/reshare/errors.ts";
import { RESHARE_RECORD_FILE, type ReshareRecord, serializeReshareRecord } from "../../../src/reshare/record.ts";
import { reshareLines, reshareStatuses } from "../../../src/reshare/status.ts";
import { applyShareEpochs, planShareEpochs } from "../../../src/reshare/switch.ts";
import { SlashingProtectionDB } from "../../../src/slashing/db.ts";
import {
  attestationData,
  config,
  dealValidators,
  GVR_HEX,
  keysFor,
  N,
  perOperatorDbs,
  reshareValidator,
  SLOTS_PER_EPOCH,
  T,
} from "../core/pipeline/fixtures.ts";

const VALIDATOR = `0x${"a1".repeat(48)}` as Hex;
const lockHash = (b: string) => `0x${b.repeat(32)}` as Hex;

function record(previous: string, current: string, switchEpoch: number, newcomer = false): ReshareRecord {
  return {
    version: "nektar-reshare-record/v1",
    validator: VALIDATOR,
    nonce: "1",
    deadline: "0",
    leavingIndex: 4,
    newcomer: `0x${"44".repeat(20)}`,
    previousLockHash: lockHash(previous),
    lockHash: lockHash(current),
    switchEpoch,
    resultRoot: lockHash("77"),
    validatorSignature: `0x${"00".repeat(96)}`,
    newcomerApproval: null,
    slashingAttesters: newcomer ? [1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12] : null,
    slashingState: newcomer ? { blockSlot: "150", sourceEpoch: "3", targetEpoch: "4" } : null,
  };
}

describe("hand-over between a validator's shares at a resharing's switch epoch", () => {
  const root = mkdtempSync(join(tmpdir(), "stinger-handover-"));
  after(() => rmSync(root, { recursive: true, force: true }));
  /** A validator directory holding a lock with `hash` and, for a resharing's output, its record. */
  const dir = (name: string, hash: string, r?: ReshareRecord) => {
    const d = join(root, name);
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, LOCK_FILE), JSON.stringify({ lockHash: lockHash(hash), groupPublicKey: VALIDATOR }));
    if (r !== undefined) writeFileSync(join(d, RESHARE_RECORD_FILE), serializeReshareRecord(r));
    return d;
  };
  const noHistory = { watermarks: () => undefined };

  it("plans each share's epochs: a resharing's output from its switch, the share it replaced until then", () => {
    const dkg = dir("dv-a", "aa");
    const first = dir("dv-b", "bb", record("aa", "bb", 5));
    const second = dir("dv-c", "cc", record("bb", "cc", 9));
    const other = dir("dv-d", "dd");
    const plan = planShareEpochs([dkg, first, second, other], noHistory);
    assert.deepEqual(plan.get(dkg), { untilEpoch: 5 });
    assert.deepEqual(plan.get(first), { fromEpoch: 5, untilEpoch: 9 });
    assert.deepEqual(plan.get(second), { fromEpoch: 9 });
    assert.equal(plan.has(other), false);
    // A member that was not in the cluster before (the newcomer) holds only the new share.
    assert.deepEqual([...planShareEpochs([second], noHistory)], [[second, { fromEpoch: 9 }]]);
  });

  it("refuses a record naming another lock than its directory holds", () => {
    const bad = dir("dv-e", "ee", record("aa", "ff", 5));
    assert.throws(
      () => planShareEpochs([bad], noHistory),
      (e: unknown) => e instanceof ReshareError && e.type.code === "ERR_RESHARE_FAILED",
    );
  });

  it("refuses the newcomer's share until its slashing-protection DB holds the attested state", async () => {
    const mine = dir("dv-n", "11", record("aa", "11", 6, true));
    const db = await SlashingProtectionDB.open({ dir: join(root, "db"), genesisValidatorsRoot: GVR_HEX });
    try {
      assert.throws(
        () => planShareEpochs([mine], db),
        (e: unknown) => e instanceof ReshareError && e.type.code === "ERR_RESHARE_SLASHING_STATE",
      );
      await db.importInterchange({
        metadata: { interchange_format_version: "5", genesis_validators_root: GVR_HEX },
        data: [
          {
            pubkey: VALIDATOR,
            signed_blocks: [{ slot: "150" }],
            signed_attestations: [{ source_epoch: "3", target_epoch: "4" }],
          },
        ],
      });
      assert.deepEqual(planShareEpochs([mine], db).get(mine), { fromEpoch: 6 });
    } finally {
      await db.close();
    }
  });

  it("lists the resharings of a data dir with their state for `operator status` and GET /status", () => {
    const dkg = dir("dv-s0", "90");
    const member = dir("dv-s1", "91", record("90", "91", 7));
    const newcomer = dir("dv-s2", "92", record("91", "92", 12, true));
    const statuses = reshareStatuses([newcomer, dkg, member], 10);
    assert.deepEqual(
      statuses.map((r) => [r.role, r.switchEpoch, r.state, r.dir]),
      [
        ["member", 7, "switched", member],
        ["newcomer", 12, "switching", newcomer],
      ],
    );
    assert.deepEqual(
      reshareStatuses([member], undefined).map((r) => r.state),
      ["completed"],
    );
    const lines = reshareLines(statuses);
    assert.equal(lines[0], "  reshares:      2");
    assert.match(lines[1] as string, /seat 4 \(kept, new share\), switched at epoch 7$/);
    assert.match(lines[2] as string, /seat 4 \(taken over\), switches at epoch 12$/);
    assert.deepEqual(reshareLines([]), ["  reshares:      none"]);
  });

  describe("the old operator set's pipeline and the new one's, on every node", () => {
    const [v] = dealValidators(1) as [{ index: number; dealt: ReturnType<typeof dealValidators>[0]["dealt"] }];
    const next = reshareValidator(v.dealt);
    const SWITCH = 3;
    const LEAVING = 4;
    const first = SWITCH * SLOTS_PER_EPOCH;
    /** Seat i's keys in the old operator set's pipeline (the leaver's too): they stop at the switch. */
    const oldKeys = (i: number) => {
      const keys = keysFor(i, [v]);
      applyShareEpochs(keys, v.index, { untilEpoch: SWITCH }, SLOTS_PER_EPOCH);
      return keys;
    };
    /** Seat i's keys in the new operator set's pipeline (seat LEAVING: the newcomer's): they start at the switch. */
    const newKeys = (i: number) => {
      const keys = new ValidatorKeys(i, [
        {
          index: v.index,
          pubkey: v.dealt.pubkey,
          sharePublicKeys: next.sharePublicKeys,
          secretShare: next.secretShares[i - 1] as Uint8Array,
        },
      ]);
      applyShareEpochs(keys, v.index, { fromEpoch: SWITCH }, SLOTS_PER_EPOCH);
      return keys;
    };
    // One slashing-protection DB per node, shared by its pipelines (as the supervisor does).
    const dbs = perOperatorDbs();
    const duty = (slot: number) => ({ slot, type: "attester" as const, validator: v.index });
    const data = (slot: number) => ({
      type: "attester" as const,
      data: attestationData(slot, Math.floor(slot / SLOTS_PER_EPOCH) - 1, Math.floor(slot / SLOTS_PER_EPOCH)),
    });
    const signer = (i: number, keys: ValidatorKeys) =>
      new ShareSigner({ config, slotsPerEpoch: SLOTS_PER_EPOCH, keys, db: dbs[i - 1]?.db as SlashingProtectionDB });
    const valid = (agg: { signingRoot: Uint8Array; signature: Uint8Array }) =>
      verify(agg.signingRoot, PublicKey.fromBytes(v.dealt.pubkey, true), Signature.fromBytes(agg.signature, true));

    it("exactly one pipeline holds the validator at every slot around the switch; the newcomer's only from it", () => {
      const olds = Array.from({ length: N }, (_, i) => oldKeys(i + 1));
      const news = Array.from({ length: N }, (_, i) => newKeys(i + 1));
      for (let slot = first - SLOTS_PER_EPOCH; slot < first + SLOTS_PER_EPOCH; slot++) {
        for (let i = 0; i < N; i++) {
          const [o, n] = [olds[i]?.has(v.index, slot), news[i]?.has(v.index, slot)];
          assert.equal(o, slot < first, `seat ${i + 1} old pipeline at slot ${slot}`);
          assert.equal(n, slot >= first, `seat ${i + 1} new pipeline at slot ${slot}`);
        }
      }
      assert.throws(() => newKeys(1).scheduleStart(v.index + 1, SWITCH, SLOTS_PER_EPOCH), PipelineError);
    });

    it("signs the last slot before the switch in the old pipelines and the first after it in the new ones", async () => {
      const last = first - 1;
      const before = await Promise.all(
        Array.from({ length: T }, (_, k) => signer(k + 1, oldKeys(k + 1)).sign(duty(last), data(last))),
      );
      assert.ok(valid(await new ThresholdSigAgg({ keys: oldKeys(1), threshold: T }).aggregate(before)));
      // After the switch the newcomer (seat LEAVING) signs with its new share, among members that signed before.
      const seats = [LEAVING, ...Array.from({ length: T - 1 }, (_, k) => k + 1).filter((s) => s !== LEAVING), T];
      const afterSwitch = await Promise.all(seats.map((i) => signer(i, newKeys(i)).sign(duty(first), data(first))));
      assert.ok(valid(await new ThresholdSigAgg({ keys: newKeys(1), threshold: T }).aggregate(afterSwitch)));
      // The wrong pipeline for a slot holds nothing to sign with.
      await assert.rejects(
        signer(1, oldKeys(1)).sign(duty(first + 1), data(first + 1)),
        (e: unknown) => e instanceof PipelineError && e.type.code === "ERR_DUTY_UNKNOWN_VALIDATOR",
      );
      await assert.rejects(
        signer(LEAVING, newKeys(LEAVING)).sign(duty(last - 1), data(last - 1)),
        (e: unknown) => e instanceof PipelineError && e.type.code === "ERR_DUTY_UNKNOWN_VALIDATOR",
      );
    });
  });
});
