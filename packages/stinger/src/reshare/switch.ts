import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ValidatorIndex } from "@lodestar/types";
import type { ShareSwitch, ValidatorKeys } from "../core/signer/validatorKeys.ts";
import { LOCK_FILE } from "../dkg/outputs.ts";
import { type LoadedLock, loadValidatorLock } from "../node/clusterKeys.ts";
import type { SlashingProtectionDB } from "../slashing/db.ts";
import { ReshareError } from "./errors.ts";
import { RESHARE_RECORD_FILE, type ReshareRecord } from "./record.ts";
import { coversAttested } from "./slashingHandoff.ts";

/** The reshare record of a validator directory, or null for a directory a DKG wrote. */
export function readReshareRecord(dir: string): ReshareRecord | null {
  const path = join(dir, RESHARE_RECORD_FILE);
  if (!existsSync(path)) return null;
  let record: ReshareRecord;
  try {
    record = JSON.parse(readFileSync(path, "utf8")) as ReshareRecord;
  } catch (e) {
    throw new ReshareError({ code: "ERR_RESHARE_FAILED", reason: `${path}: ${(e as Error).message}` });
  }
  if (record.version !== "nektar-reshare-record/v1" || !Number.isInteger(record.switchEpoch) || record.switchEpoch < 0)
    throw new ReshareError({ code: "ERR_RESHARE_FAILED", reason: `${path}: not a nektar-reshare-record/v1` });
  return record;
}

/**
 * A resharing's output as the duty node takes it over: the new lock and share (checked like any validator
 * directory), its record, and the switch to schedule on the validator's current keys. Refuses a record that names
 * another lock or validator than the directory holds, and, on the newcomer, a slashing-protection DB that does not
 * hold the attested state it imported during the resharing (`assertSlashingImported`): the newcomer signs nothing
 * for the validator until it has.
 */
export async function loadReshareSwitch(
  dir: string,
  selfPeerId: string,
  password: string,
  slashing: Pick<SlashingProtectionDB, "watermarks">,
): Promise<{ record: ReshareRecord; loaded: LoadedLock; shareSwitch: ShareSwitch }> {
  const record = readReshareRecord(dir);
  if (record === null) throw new ReshareError({ code: "ERR_RESHARE_FAILED", reason: `${dir} holds no reshare record` });
  const loaded = await loadValidatorLock(dir, selfPeerId, password);
  assertRecordOfLock(dir, record, lockOf(dir));
  assertSlashingImported(record, slashing);
  return {
    record,
    loaded,
    shareSwitch: {
      fromEpoch: record.switchEpoch,
      sharePublicKeys: loaded.validator.sharePublicKeys,
      secretShare: loaded.validator.secretShare,
    },
  };
}

/** The identifying fields of a directory's cluster lock (the full check is `loadValidatorLock`'s). */
function lockOf(dir: string): { lockHash: string; groupPublicKey: string } {
  try {
    return JSON.parse(readFileSync(join(dir, LOCK_FILE), "utf8")) as { lockHash: string; groupPublicKey: string };
  } catch (e) {
    throw new ReshareError({ code: "ERR_RESHARE_FAILED", reason: `${dir}: ${(e as Error).message}` });
  }
}

function assertRecordOfLock(dir: string, record: ReshareRecord, lock: { lockHash: string; groupPublicKey: string }) {
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  if (!same(lock.lockHash, record.lockHash) || !same(lock.groupPublicKey, record.validator)) {
    throw new ReshareError({ code: "ERR_RESHARE_FAILED", reason: `${dir}: the reshare record names another lock` });
  }
}

/**
 * The epochs a validator directory's share signs: from a resharing's switch epoch on for the share it wrote, up to
 * the switch epoch of the resharing that replaced it. Absent bounds: since the DKG, and until further notice.
 */
export type ShareEpochs = { fromEpoch?: number; untilEpoch?: number };

/**
 * Plans the hand-over between every validator directory of a data dir (`validatorDirs`): each resharing output
 * starts at its record's switch epoch, and the directory holding the lock it replaced (`previousLockHash`) stops
 * there, so for every slot exactly one of this node's shares of the validator signs — the old one in the old
 * operator set's pipeline, the new one in the new set's — and no duty falls between them. Refuses a record that
 * names another lock than its directory holds, and a newcomer's share whose slashing state is not in `slashing`.
 */
export function planShareEpochs(
  dirs: readonly string[],
  slashing: Pick<SlashingProtectionDB, "watermarks">,
): Map<string, ShareEpochs> {
  const byLockHash = new Map<string, string>();
  const reshared: { dir: string; record: ReshareRecord }[] = [];
  for (const dir of dirs) {
    const lock = lockOf(dir);
    byLockHash.set(lock.lockHash.toLowerCase(), dir);
    const record = readReshareRecord(dir);
    if (record === null) continue;
    assertRecordOfLock(dir, record, lock);
    assertSlashingImported(record, slashing);
    reshared.push({ dir, record });
  }
  const plan = new Map<string, ShareEpochs>();
  const update = (dir: string, bound: ShareEpochs) => plan.set(dir, { ...plan.get(dir), ...bound });
  for (const { dir, record } of reshared) {
    update(dir, { fromEpoch: record.switchEpoch });
    const previous = byLockHash.get(record.previousLockHash.toLowerCase());
    if (previous !== undefined) update(previous, { untilEpoch: record.switchEpoch });
  }
  return plan;
}

/** Applies a directory's share epochs to the keys of the pipeline that signs with it. */
export function applyShareEpochs(
  keys: ValidatorKeys,
  index: ValidatorIndex,
  epochs: ShareEpochs | undefined,
  slotsPerEpoch: number,
): void {
  if (epochs?.fromEpoch !== undefined) keys.scheduleStart(index, epochs.fromEpoch, slotsPerEpoch);
  if (epochs?.untilEpoch !== undefined) keys.scheduleSwitch(index, leavingSwitch(epochs.untilEpoch), slotsPerEpoch);
}

/**
 * On the newcomer (its record lists the attesters it imported from), refuses unless the slashing-protection DB holds
 * at least the attested watermarks for the validator. A record claiming attesters without the state it imported is
 * refused too. Other members' records carry no attested state: their own DBs hold their full history.
 */
export function assertSlashingImported(
  record: ReshareRecord,
  slashing: Pick<SlashingProtectionDB, "watermarks">,
): void {
  if (record.slashingAttesters === null) return;
  const attesters = record.slashingAttesters;
  const refuse = (reason: string) =>
    new ReshareError({ code: "ERR_RESHARE_SLASHING_STATE", reason, attesters, required: attesters.length });
  if (record.slashingState == null) throw refuse("the reshare record holds no attested slashing-protection state");
  if (!coversAttested(slashing.watermarks(record.validator), record.slashingState)) {
    throw refuse(
      `the slashing-protection DB does not hold the attested state ${JSON.stringify(record.slashingState)} for ${record.validator}; import it before this node signs for the validator`,
    );
  }
}

/** The leaving operator's switch: from `switchEpoch` on it holds no share of the validator. */
export function leavingSwitch(switchEpoch: number): ShareSwitch {
  return { fromEpoch: switchEpoch, sharePublicKeys: [], secretShare: null };
}
