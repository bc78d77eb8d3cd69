import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createBeaconConfig, createChainForkConfig } from "@lodestar/config";
import { chainConfig } from "@lodestar/config/default";
import type { phase0 } from "@lodestar/types";
import { ValidatorKeys } from "../../../../src/core/signer/validatorKeys.ts";
import { createLogger } from "../../../../src/logger/logger.ts";
import { SlashingProtectionDB } from "../../../../src/slashing/db.ts";
import { type DealtValidator, trustedDealerSplitForTests } from "../../../e2e/dutiesSupport/trustedDealer.ts";

export const GVR = new Uint8Array(32).fill(7);
export const GVR_HEX = `0x${Buffer.from(GVR).toString("hex")}`;
export const config = createBeaconConfig(
  createChainForkConfig({
    ...chainConfig,
    ALTAIR_FORK_EPOCH: 0,
    BELLATRIX_FORK_EPOCH: 0,
    CAPELLA_FORK_EPOCH: 0,
    DENEB_FORK_EPOCH: 0,
    ELECTRA_FORK_EPOCH: 0,
  }),
  GVR,
);
export const SLOTS_PER_EPOCH = 32;
export const N = 16;
export const T = 11;
export const silentLogger = createLogger({ level: "fatal" });

/** Validators dealt once per test file (dealing costs a few ms each). */
export function dealValidators(count: number): { index: number; dealt: DealtValidator }[] {
  return Array.from({ length: count }, (_, i) => ({ index: 100 + i, dealt: trustedDealerSplitForTests(N, T) }));
}

export function keysFor(
  shareIndex: number,
  validators: { index: number; dealt: DealtValidator }[],
  feeRecipient?: Uint8Array,
): ValidatorKeys {
  return new ValidatorKeys(
    shareIndex,
    validators.map((v) => ({
      index: v.index,
      pubkey: v.dealt.pubkey,
      sharePublicKeys: v.dealt.sharePublicKeys,
      secretShare: v.dealt.secretShares[shareIndex - 1] as Uint8Array,
      ...(feeRecipient !== undefined ? { feeRecipient } : {}),
    })),
  );
}

export async function openDb(): Promise<{ db: SlashingProtectionDB; dir: string }> {
  const dir = await mkdtemp(join(tmpdir(), "stinger-pipeline-"));
  return { db: await SlashingProtectionDB.open({ dir, genesisValidatorsRoot: GVR_HEX }), dir };
}

export function attestationData(slot: number, source: number, target: number, head = 9): phase0.AttestationData {
  return {
    slot,
    index: 0,
    beaconBlockRoot: new Uint8Array(32).fill(head),
    source: { epoch: source, root: new Uint8Array(32).fill(1) },
    target: { epoch: target, root: new Uint8Array(32).fill(2) },
  };
}
