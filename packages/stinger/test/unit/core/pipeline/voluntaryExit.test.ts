import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PublicKey, Signature, verify } from "@chainsafe/blst";
import type { ApiClient } from "@lodestar/api";
import { DOMAIN_VOLUNTARY_EXIT } from "@lodestar/params";
import { computeDomain, computeSigningRoot } from "@lodestar/state-transition";
import { ssz } from "@lodestar/types";
import { BeaconBroadcaster } from "../../../../src/core/broadcast/broadcaster.ts";
import { BeaconFetcher } from "../../../../src/core/fetcher/fetcher.ts";
import type { DutyDefinition, ParSignedData, SignedDuty } from "../../../../src/core/interfaces.ts";
import { BeaconScheduler } from "../../../../src/core/scheduler/scheduler.ts";
import { SlotClock } from "../../../../src/core/scheduler/slotClock.ts";
import { ThresholdSigAgg } from "../../../../src/core/sigagg/sigAgg.ts";
import { ShareSigner } from "../../../../src/core/signer/signer.ts";
import { computeDutySigningRoot } from "../../../../src/core/signer/signingRoot.ts";
import { dutyFlow } from "../../../../src/core/validity/dutyFlow.ts";
import type { SlashingProtectionDB } from "../../../../src/slashing/db.ts";
import { config, dealValidators, GVR, keysFor, perOperatorDbs, SLOTS_PER_EPOCH, silentLogger, T } from "./fixtures.ts";

const validators = dealValidators(1);
const v = validators[0] as (typeof validators)[0];
const SLOT = 5 * SLOTS_PER_EPOCH + 3;
const definition: DutyDefinition = {
  duty: { slot: SLOT, type: "voluntary_exit", validator: v.index },
  pubkey: v.dealt.pubkey,
};

describe("voluntary exit duty", () => {
  const dbs = perOperatorDbs();

  it("is deterministic: every operator derives VoluntaryExit{epoch of the duty's slot, validator} alone", async () => {
    assert.deepEqual(dutyFlow.voluntary_exit, { value: "deterministic" });
    const fetcher = new BeaconFetcher({ api: {} as ApiClient, slotsPerEpoch: SLOTS_PER_EPOCH });
    const data = await fetcher.fetch(definition, new AbortController().signal);
    assert.deepEqual(data, { type: "voluntary_exit", data: { epoch: 5, validatorIndex: v.index } });
  });

  it("is added to the scheduler once and served with its slot's duties", () => {
    const clock = new SlotClock({ genesisTime: 0, secondsPerSlot: 12, slotsPerEpoch: SLOTS_PER_EPOCH, nowMs: () => 0 });
    const keys = keysFor(1, validators);
    const scheduler = new BeaconScheduler({ api: {} as ApiClient, clock, keys, logger: silentLogger });
    scheduler.addDuty(definition);
    scheduler.addDuty({ ...definition });
    assert.deepEqual(scheduler.getDutyDefinitions(SLOT), [definition]);
    assert.deepEqual(scheduler.getDutyDefinitions(SLOT + 1), []);
  });

  it("signs under the Capella voluntary-exit domain (EIP-7044), and 11 of 16 partials verify under the group key", async () => {
    const exit = { epoch: 5, validatorIndex: v.index };
    // Independent of the config's helper: the domain from the Capella fork version and the genesis validators root.
    const expected = computeSigningRoot(
      ssz.phase0.VoluntaryExit,
      exit,
      computeDomain(DOMAIN_VOLUNTARY_EXIT, config.CAPELLA_FORK_VERSION, GVR),
    );
    const data = { type: "voluntary_exit" as const, data: exit };
    assert.deepEqual(computeDutySigningRoot(config, SLOTS_PER_EPOCH, data), expected);
    const partials: ParSignedData[] = [];
    for (let i = 1; i <= T; i++) {
      const signer = new ShareSigner({
        config,
        slotsPerEpoch: SLOTS_PER_EPOCH,
        keys: keysFor(i, validators),
        db: dbs[i - 1]?.db as SlashingProtectionDB,
      });
      partials.push(await signer.sign(definition.duty, data));
    }
    const agg = await new ThresholdSigAgg({ keys: keysFor(1, validators), threshold: T }).aggregate(partials);
    assert.deepEqual(agg.signingRoot, expected);
    assert.ok(verify(expected, PublicKey.fromBytes(v.dealt.pubkey, true), Signature.fromBytes(agg.signature, true)));
  });

  it("is published to the beacon node's voluntary exit pool, one exit per call; a refusal fails only that exit", async () => {
    const calls: { validatorIndex: number; signature: Uint8Array }[] = [];
    const api = {
      beacon: {
        submitPoolVoluntaryExit: async ({
          signedVoluntaryExit,
        }: {
          signedVoluntaryExit: { message: { validatorIndex: number }; signature: Uint8Array };
        }) => {
          calls.push({
            validatorIndex: signedVoluntaryExit.message.validatorIndex,
            signature: signedVoluntaryExit.signature,
          });
          return signedVoluntaryExit.message.validatorIndex === 7
            ? { ok: false, status: 400, error: () => new Error("validator 7 is not active") }
            : { ok: true, status: 200, error: () => null };
        },
      },
    } as unknown as ApiClient;
    const item = (validatorIndex: number): SignedDuty => {
      const duty = { slot: SLOT, type: "voluntary_exit" as const, validator: validatorIndex };
      return {
        definition: { duty, pubkey: new Uint8Array(48) },
        data: { type: "voluntary_exit", data: { epoch: 5, validatorIndex } },
        signature: { duty, signingRoot: new Uint8Array(32), signature: new Uint8Array(96).fill(validatorIndex) },
      };
    };
    const result = await new BeaconBroadcaster({ api }).broadcastBatch([item(3), item(7)]);
    assert.deepEqual(
      result.published.map((i) => i.definition.duty.validator),
      [3],
    );
    assert.deepEqual(
      result.failed.map((f) => f.item.definition.duty.validator),
      [7],
    );
    assert.ok(
      calls.every((c) => c.signature[0] === c.validatorIndex),
      "each exit carries its own group signature",
    );
  });
});
