import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { SecretKey } from "@chainsafe/blst";
import { createBeaconConfig, createChainForkConfig } from "@lodestar/config";
import { chainConfig } from "@lodestar/config/default";
import type { phase0 } from "@lodestar/types";
import {
  evaluatePolynomial,
  interpolateAtZero,
  randomPolynomial,
  scalarFromBytes,
  scalarToBytes,
} from "@nektar/crypto";
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

/** New shares of the same key, as a resharing produces them (here re-dealt from the interpolated secret). */
export function reshareValidator(dealt: DealtValidator): { secretShares: Uint8Array[]; sharePublicKeys: Uint8Array[] } {
  const ids = Array.from({ length: T }, (_, i) => i + 1);
  const secret = interpolateAtZero(
    ids,
    ids.map((id) => scalarFromBytes(dealt.secretShares[id - 1] as Uint8Array)),
  );
  const f = randomPolynomial(T, (k) => randomBytes(k), secret);
  const secretShares = Array.from({ length: N }, (_, i) => scalarToBytes(evaluatePolynomial(f, BigInt(i + 1))));
  return { secretShares, sharePublicKeys: secretShares.map((s) => SecretKey.fromBytes(s).toPublicKey().toBytes()) };
}

/** One slashing-protection DB per operator for a test file: opened before its tests, closed and removed after. */
export function perOperatorDbs(): { db: SlashingProtectionDB; dir: string }[] {
  const dbs: { db: SlashingProtectionDB; dir: string }[] = [];
  before(async () => {
    for (let i = 0; i < N; i++) dbs.push(await openDb());
  });
  after(async () => {
    for (const { db, dir } of dbs) {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
  return dbs;
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
