import type {
  AggregatedSignature,
  AggSigDB,
  Agreement,
  Clock,
  Duty,
  DutyBatch,
  DutyDB,
  DutyDefinition,
  Fetcher,
  ParSignedData,
  Scheduler,
  SignedDuty,
  SigningItem,
  SigningOutcome,
  UnsignedData,
  Validity,
} from "../interfaces.ts";
import { DutyType, dutyKey } from "../interfaces.ts";
import type { PipelineError } from "../pipelineError.ts";
import { isAttestationAggregator, isSyncCommitteeAggregator } from "../selection/selection.ts";

/**
 * How each duty type moves through the pipeline (`docs/duties.md`):
 * - `value`: `deterministic` duties sign an object every honest operator computes alike (no agreement); `single`
 *   duties agree on one value for the whole batch, fetched once (attestation data, sync block root, a block);
 *   `list` duties agree on a list with one entry per selected validator, fetched per validator.
 * - `consumed`: the group signature feeds a later duty of the slot (kept in the aggsigdb) instead of the beacon node.
 * - `selectedBy`: the duty runs only for validators its combined selection proof selects.
 * - `after`: the duty waits for a group signature (`combined`) or a decided value (`decided`) of an earlier duty of
 *   the same validator and slot.
 */
export const dutyFlow: Record<
  DutyType,
  {
    readonly value: "deterministic" | "single" | "list";
    readonly consumed?: true;
    readonly selectedBy?: DutyType;
    readonly after?: { readonly combined?: DutyType; readonly decided?: DutyType };
  }
> = {
  [DutyType.attester]: { value: "single" },
  [DutyType.prepareAggregator]: { value: "deterministic", consumed: true },
  [DutyType.aggregator]: {
    value: "list",
    selectedBy: DutyType.prepareAggregator,
    after: { decided: DutyType.attester },
  },
  [DutyType.randao]: { value: "deterministic", consumed: true },
  [DutyType.proposer]: { value: "single", after: { combined: DutyType.randao } },
  [DutyType.syncMessage]: { value: "single" },
  [DutyType.prepareSyncContribution]: { value: "deterministic", consumed: true },
  [DutyType.syncContribution]: {
    value: "list",
    selectedBy: DutyType.prepareSyncContribution,
    after: { decided: DutyType.syncMessage },
  },
  [DutyType.voluntaryExit]: { value: "deterministic" },
  [DutyType.builderRegistration]: { value: "deterministic" },
};

/** The duty a selection proof or prerequisite of `duty` belongs to: same slot and validator, another type. */
export const relatedDuty = (duty: Duty, type: DutyType): Duty => ({ ...duty, type });

export type PrerequisiteDeps = { clock: Clock; aggSigDb: AggSigDB; dutyDb: DutyDB };

/**
 * Waits, until the batch's slot ends at the latest, for what the batch needs from earlier duties (see
 * {@link dutyFlow}) and keeps the validators their selection proof selects (consensus specs' `is_aggregator` with the
 * committee length, `is_sync_committee_aggregator`). Returns the batch that can run, and the duties that cannot with
 * the reason; rejects only when the shared prerequisite (a decided value, the RANDAO reveal) does not come.
 */
export async function awaitPrerequisites(
  batch: DutyBatch,
  deps: PrerequisiteDeps,
  signal: AbortSignal,
): Promise<{ batch: DutyBatch; failed: { duty: Duty; reason: string }[] }> {
  const flow = dutyFlow[batch.type];
  const untilSlotEnd = () => Math.max(0, deps.clock.slotStartMs(batch.slot + 1) - deps.clock.now());
  const failed: { duty: Duty; reason: string }[] = [];
  let definitions = batch.definitions;
  const selectedBy = flow.selectedBy;
  if (selectedBy !== undefined) {
    const chosen = await Promise.all(
      definitions.map(async (def): Promise<DutyDefinition | undefined> => {
        let proof: Uint8Array;
        try {
          proof = await deps.aggSigDb.await(relatedDuty(def.duty, selectedBy), untilSlotEnd(), signal);
        } catch {
          failed.push({ duty: def.duty, reason: "no_selection_proof" });
          return undefined;
        }
        try {
          const selected =
            batch.type === DutyType.aggregator
              ? isAttestationAggregator(def.committeeLength ?? 0, proof)
              : isSyncCommitteeAggregator(proof);
          return selected ? def : undefined;
        } catch (e) {
          failed.push({ duty: def.duty, reason: (e as PipelineError).type?.code ?? "error" });
          return undefined;
        }
      }),
    );
    definitions = chosen.filter((d) => d !== undefined);
  }
  const first = definitions[0];
  if (first !== undefined && flow.after?.combined !== undefined) {
    await deps.aggSigDb.await(relatedDuty(first.duty, flow.after.combined), untilSlotEnd(), signal);
  }
  if (first !== undefined && flow.after?.decided !== undefined) {
    // A loaded node may still be agreeing on the slot's attestation data or sync root at 2/3 of the slot.
    const until = AbortSignal.any([signal, AbortSignal.timeout(untilSlotEnd())]);
    await deps.dutyDb.await(relatedDuty(first.duty, flow.after.decided), until);
  }
  return { batch: { ...batch, definitions }, failed };
}

/**
 * This operator's local data for a batch from its own beacon node: once for a `single` value, per validator otherwise.
 * Returns the data by validator and the duties it covers (every duty of the batch for a `single` value); a validator
 * whose fetch failed is absent (`reasons` says why). Rejects when the one fetch of a `single` value fails.
 */
export async function fetchLocal(
  batch: DutyBatch,
  fetcher: Fetcher,
  signal: AbortSignal,
): Promise<{ locals: Map<number, UnsignedData>; covered: Duty[]; reasons: Map<number, string> }> {
  const single = dutyFlow[batch.type].value === "single";
  const toFetch = single ? batch.definitions.slice(0, 1) : batch.definitions;
  const fetched = await Promise.allSettled(toFetch.map((def) => fetcher.fetch(def, signal)));
  const locals = new Map<number, UnsignedData>();
  const reasons = new Map<number, string>();
  fetched.forEach((r, i) => {
    const validator = (toFetch[i] as DutyDefinition).duty.validator;
    if (r.status === "fulfilled") locals.set(validator, r.value);
    else if (single) throw r.reason;
    else reasons.set(validator, (r.reason as Error).message);
  });
  const covered = batch.definitions.filter((d) => single || locals.has(d.duty.validator)).map((d) => d.duty);
  return { locals, covered, reasons };
}

/**
 * The value the cluster signs for a batch, per validator: this operator's local data for a `deterministic` duty,
 * otherwise the agreement's decision on a proposal built from the local data, accepted only when it fits this
 * operator's view and slashing protection (`Validity`).
 */
export async function decideBatch(
  batch: DutyBatch,
  locals: Map<number, UnsignedData>,
  deps: { agreement: Agreement; validity: Validity },
  signal: AbortSignal,
): Promise<Map<number, UnsignedData>> {
  if (dutyFlow[batch.type].value === "deterministic") return locals;
  const { agreement, validity } = deps;
  const own = [...locals.values()];
  const value = await agreement.decide(
    batch.slot,
    batch.type,
    validity.proposal(batch, own),
    (v) => validity.isAcceptable(batch, own, v),
    signal,
    (v) => validity.fitsView(batch, own, v),
  );
  return validity.decided(batch, value);
}

/** The batch's signing items from the decided values; `missing`: duties of validators the decided list left out. */
export function signingItems(
  batch: DutyBatch,
  decided: Map<number, UnsignedData>,
): { items: SigningItem[]; missing: Duty[] } {
  const items: SigningItem[] = [];
  const missing: Duty[] = [];
  for (const { duty } of batch.definitions) {
    const data = decided.get(duty.validator);
    // Aggregation: the decided list lacks this validator (the leader's beacon node had no aggregate for it).
    if (data === undefined) missing.push(duty);
    else items.push({ duty, data });
  }
  return { items, missing };
}

/** Splits the signer's outcomes into this operator's partials and the duties it refused to sign (with why). */
export function partialsOf(outcomes: readonly SigningOutcome[]): {
  partials: ParSignedData[];
  refused: { duty: Duty; reason: string }[];
} {
  const partials: ParSignedData[] = [];
  const refused: { duty: Duty; reason: string }[] = [];
  for (const o of outcomes) {
    if (o.ok) partials.push(o.partial);
    else refused.push({ duty: o.duty, reason: o.reason });
  }
  return { partials, refused };
}

/**
 * Where a duty's group signature goes: a `consumed` one into the aggsigdb (a later duty of the slot reads it),
 * any other to the beacon node with the decided data and the duty's definition — undefined when either is gone
 * (pruned, or the duty was never scheduled here).
 */
export function combinedDestination(
  duty: Duty,
  signature: AggregatedSignature,
  deps: { dutyDb: DutyDB; scheduler: Pick<Scheduler, "getDutyDefinitions"> },
): "consumed" | SignedDuty | undefined {
  if (dutyFlow[duty.type].consumed) return "consumed";
  const data = deps.dutyDb.get(duty);
  const key = dutyKey(duty);
  const definition = deps.scheduler.getDutyDefinitions(duty.slot).find((x) => dutyKey(x.duty) === key);
  return data === undefined || definition === undefined ? undefined : { definition, data, signature };
}
