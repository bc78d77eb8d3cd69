import { BeaconApiError } from "./beacon.ts";
import { SLOTS_PER_EPOCH } from "./status.ts";

/** How late an attestation may be included and still count (slots after its own). */
const INCLUSION_WINDOW = SLOTS_PER_EPOCH;

type Duty = { validatorIndex: number; slot: number; committeeIndex: number; committeeLength: number; position: number };

export type InclusionResult = {
  expected: number;
  included: number;
  rate: number | undefined;
  /** Slot of the earliest block that included one of the tracked attestations. */
  firstInclusionSlot?: number;
};

/** A Beacon API call answering its `data`, or undefined on 404. */
export async function api<T>(baseUrl: string, path: string, body?: unknown): Promise<T | undefined> {
  const res = await fetch(`${baseUrl}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? null : JSON.stringify(body),
    signal: AbortSignal.timeout(5_000),
  });
  if (res.status === 404) return undefined; // empty slot
  if (!res.ok) throw new BeaconApiError(path, `HTTP ${res.status}`);
  return ((await res.json()) as { data: T }).data;
}

/** Bit `i` of SSZ bits given as 0x-hex (little-endian bit order within each byte; bitlists carry a sentinel above). */
export function sszBit(hex: string, i: number): boolean {
  const byte = Number.parseInt(hex.slice(2 + 2 * Math.floor(i / 8), 4 + 2 * Math.floor(i / 8)), 16);
  return Number.isFinite(byte) && ((byte >> (i % 8)) & 1) === 1;
}

/** One epoch's inclusion of the tracked validators' attestations. */
export type EpochInclusion = { epoch: number } & InclusionResult;

/**
 * Tracks attestation inclusion epoch by epoch. Duties are only served for the current epoch (and the one before), so
 * `update` is called each slot: it records the duties of every validator for each new epoch, and once an epoch's
 * inclusion window has passed, counts which of the tracked validators' attestations blocks included (Electra:
 * `committee_bits` select committees whose aggregation bits are concatenated in committee order).
 */
export function createInclusionTracker(baseUrl: string) {
  const duties = new Map<number, Duty[]>();
  const results: EpochInclusion[] = [];
  return {
    results: results as readonly EpochInclusion[],
    /** Call each slot with the head slot and the validator indices to track (e.g. the active DVs). */
    async update(headSlot: number, validators: readonly number[]): Promise<void> {
      const headEpoch = Math.floor(headSlot / SLOTS_PER_EPOCH);
      if (!duties.has(headEpoch)) duties.set(headEpoch, await fetchDuties(baseUrl, headEpoch));
      for (const [epoch, epochDuties] of duties) {
        if (headSlot < (epoch + 1) * SLOTS_PER_EPOCH + INCLUSION_WINDOW) continue;
        duties.delete(epoch);
        results.push({ epoch, ...(await countIncluded(baseUrl, epoch, epochDuties, validators)) });
      }
    },
    /** Inclusion over the recorded epochs from `fromEpoch` on; undefined when no tracked validator had a duty. */
    rate(fromEpoch = 0): number | undefined {
      const span = results.filter((r) => r.epoch >= fromEpoch);
      const expected = span.reduce((n, r) => n + r.expected, 0);
      return expected === 0 ? undefined : span.reduce((n, r) => n + r.included, 0) / expected;
    },
  };
}

async function fetchDuties(baseUrl: string, epoch: number): Promise<Duty[]> {
  const count = await validatorCount(baseUrl);
  const indices = Array.from({ length: count }, (_, i) => String(i));
  const raw = await api<
    {
      validator_index: string;
      slot: string;
      committee_index: string;
      committee_length: string;
      validator_committee_index: string;
    }[]
  >(baseUrl, `/eth/v1/validator/duties/attester/${epoch}`, indices);
  return (raw ?? []).map((d) => ({
    validatorIndex: Number(d.validator_index),
    slot: Number(d.slot),
    committeeIndex: Number(d.committee_index),
    committeeLength: Number(d.committee_length),
    position: Number(d.validator_committee_index),
  }));
}

async function countIncluded(
  baseUrl: string,
  epoch: number,
  duties: readonly Duty[],
  validators: readonly number[],
): Promise<InclusionResult> {
  const wanted = new Set(validators);
  const mine = duties.filter((d) => wanted.has(d.validatorIndex));
  if (mine.length === 0) return { expected: 0, included: 0, rate: undefined };
  const committeeLength = new Map(duties.map((d) => [`${d.slot}/${d.committeeIndex}`, d.committeeLength]));
  type Attestation = { aggregation_bits: string; committee_bits: string; data: { slot: string }; blockSlot: number };
  const attestations: Attestation[] = [];
  const firstSlot = epoch * SLOTS_PER_EPOCH;
  for (let slot = firstSlot + 1; slot <= firstSlot + SLOTS_PER_EPOCH + INCLUSION_WINDOW - 1; slot++) {
    const inBlock =
      (await api<Omit<Attestation, "blockSlot">[]>(baseUrl, `/eth/v2/beacon/blocks/${slot}/attestations`)) ?? [];
    attestations.push(...inBlock.map((a) => ({ ...a, blockSlot: slot })));
  }
  let included = 0;
  let firstInclusionSlot: number | undefined;
  for (const duty of mine) {
    const found = attestations.find((att) => {
      if (Number(att.data.slot) !== duty.slot || !sszBit(att.committee_bits, duty.committeeIndex)) return false;
      let offset = 0;
      for (let c = 0; c < duty.committeeIndex; c++) {
        if (sszBit(att.committee_bits, c)) offset += committeeLength.get(`${duty.slot}/${c}`) ?? 0;
      }
      return sszBit(att.aggregation_bits, offset + duty.position);
    });
    if (found) {
      included++;
      firstInclusionSlot = Math.min(firstInclusionSlot ?? found.blockSlot, found.blockSlot);
    }
  }
  return {
    expected: mine.length,
    included,
    rate: included / mine.length,
    ...(firstInclusionSlot !== undefined ? { firstInclusionSlot } : {}),
  };
}

async function validatorCount(baseUrl: string): Promise<number> {
  const data = await api<unknown[]>(baseUrl, "/eth/v1/beacon/states/head/validators");
  return Math.min(100_000, data?.length ?? 0);
}
