import type { ApiClient } from "@lodestar/api";
import { ssz } from "@lodestar/types";
import type { Broadcaster, BroadcastResult, SignedDuty } from "../interfaces.ts";
import { DutyType, dutyKey } from "../interfaces.ts";
import { PipelineError } from "../pipelineError.ts";

/**
 * Beacon nodes answer a message they already hold with an error (Lodestar: `…ALREADY_KNOWN`,
 * `…AGGREGATOR_ALREADY_CONTRIBUTED`, `…MESSAGE_KNOWN`); for a distributed validator that means another operator
 * won the race, so the duty is done.
 */
const DUPLICATE = /already[ _]?(known|seen|contributed|exists)|message[ _]known|duplicate/i;

export function isDuplicateRejection(reason: string): boolean {
  return DUPLICATE.test(reason);
}

type Submit = (items: readonly SignedDuty[]) => Promise<{ ok: boolean; status: number; error(): unknown }>;

/**
 * Submits group-signed messages through the standard Beacon API. Every operator of the cluster holds the same group
 * signature and submits it; the first valid submitter wins and the others' submissions are answered as duplicates,
 * which count as done. Locally, a duty is submitted at most once. Messages of one kind and slot go in one call; if
 * the call fails, its messages are retried one by one so one bad message does not sink the others.
 */
export class BeaconBroadcaster implements Broadcaster {
  private readonly api: ApiClient;
  private readonly submitted = new Map<string, number>();

  constructor(opts: { api: ApiClient }) {
    this.api = opts.api;
  }

  /** Submits a batch; skips duties already submitted by this node. Never throws: failures are in the result. */
  async broadcastBatch(items: readonly SignedDuty[]): Promise<BroadcastResult> {
    const result: BroadcastResult = { published: [], duplicates: [], failed: [] };
    const fresh = items.filter((i) => !this.submitted.has(dutyKey(i.definition.duty)));
    const byType = new Map<string, SignedDuty[]>();
    for (const i of fresh) {
      if (i.data.type !== i.definition.duty.type) {
        result.failed.push({ item: i, reason: `${dutyKey(i.definition.duty)} carries ${i.data.type} data` });
        continue;
      }
      const list = byType.get(i.data.type) ?? [];
      list.push(i);
      byType.set(i.data.type, list);
    }
    for (const [type, list] of byType) {
      const submit = this.submitter(type);
      if (submit === undefined) {
        for (const item of list) result.failed.push({ item, reason: `${type} duties are not broadcast` });
        continue;
      }
      await this.submitWithFallback(submit, list, result);
    }
    for (const i of [...result.published, ...result.duplicates]) {
      this.submitted.set(dutyKey(i.definition.duty), i.definition.duty.slot);
    }
    return result;
  }

  /** Forgets submissions of slots below `slot`. */
  prune(slot: number): void {
    for (const [k, s] of this.submitted) if (s < slot) this.submitted.delete(k);
  }

  private async submitWithFallback(submit: Submit, list: SignedDuty[], result: BroadcastResult): Promise<void> {
    const first = await this.attempt(submit, list);
    if (first === null) {
      result.published.push(...list);
      return;
    }
    if (list.length === 1) {
      const item = list[0] as SignedDuty;
      if (isDuplicateRejection(first)) result.duplicates.push(item);
      else result.failed.push({ item, reason: first });
      return;
    }
    for (const item of list) {
      const reason = await this.attempt(submit, [item]);
      if (reason === null) result.published.push(item);
      else if (isDuplicateRejection(reason)) result.duplicates.push(item);
      else result.failed.push({ item, reason });
    }
  }

  /** `null` on success, else the beacon node's (or the transport's) reason. */
  private async attempt(submit: Submit, items: readonly SignedDuty[]): Promise<string | null> {
    try {
      const res = await submit(items);
      if (res.ok) return null;
      return `HTTP ${res.status}: ${String((res.error() as Error | null)?.message ?? "")}`;
    } catch (e) {
      return (e as Error).message;
    }
  }

  private submitter(type: string): Submit | undefined {
    switch (type) {
      case DutyType.attester:
        return (items) =>
          this.api.beacon.submitPoolAttestationsV2({
            signedAttestations: items.map((i) => {
              const d = i.definition;
              if (d.committeeIndex === undefined || i.data.type !== DutyType.attester) {
                throw new PipelineError({
                  code: "ERR_DUTY_DATA_INVALID",
                  reason: `${dutyKey(d.duty)} lacks its committee`,
                });
              }
              return {
                committeeIndex: d.committeeIndex,
                attesterIndex: d.duty.validator,
                data: i.data.data,
                signature: i.signature.signature,
              };
            }),
          });
      case DutyType.proposer:
        return async (items) => {
          let last: { ok: boolean; status: number; error(): unknown } = { ok: true, status: 200, error: () => null };
          for (const i of items) {
            if (i.data.type !== DutyType.proposer) continue;
            const block = ssz.electra.BeaconBlock.deserialize(i.data.data.encoded);
            last = await this.api.beacon.publishBlockV2({
              signedBlockContents: {
                signedBlock: { message: block, signature: i.signature.signature },
                kzgProofs: [],
                blobs: [],
              },
            });
            if (!last.ok) return last;
          }
          return last;
        };
      case DutyType.aggregator:
        return (items) =>
          this.api.validator.publishAggregateAndProofsV2({
            signedAggregateAndProofs: items.flatMap((i) =>
              i.data.type === DutyType.aggregator ? [{ message: i.data.data, signature: i.signature.signature }] : [],
            ),
          });
      case DutyType.syncMessage:
        return (items) =>
          this.api.beacon.submitPoolSyncCommitteeSignatures({
            signatures: items.flatMap((i) =>
              i.data.type === DutyType.syncMessage
                ? [
                    {
                      slot: i.data.data.slot,
                      beaconBlockRoot: i.data.data.beaconBlockRoot,
                      validatorIndex: i.definition.duty.validator,
                      signature: i.signature.signature,
                    },
                  ]
                : [],
            ),
          });
      case DutyType.syncContribution:
        return (items) =>
          this.api.validator.publishContributionAndProofs({
            contributionAndProofs: items.flatMap((i) =>
              i.data.type === DutyType.syncContribution
                ? [{ message: i.data.data, signature: i.signature.signature }]
                : [],
            ),
          });
      default:
        return undefined;
    }
  }
}
