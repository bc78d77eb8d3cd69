import type { ApiClient } from "@lodestar/api";
import type { electra } from "@lodestar/types";
import { decodeProposal } from "../blockProposal.ts";
import type { BlobsBundle, BlockContentsStore, Broadcaster, BroadcastResult, SignedDuty } from "../interfaces.ts";
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

export type BeaconBroadcasterOptions = {
  api: ApiClient;
  /** The blobs of the blocks this operator fetched (`fetcher/blockContents.ts`). */
  blockContents?: BlockContentsStore;
  /**
   * How long an operator that does not hold a decided block's blobs watches its beacon node for the block, published
   * by an operator that does (default 4 s), before counting the proposal as failed.
   */
  holderWaitMs?: number;
  /** Between two looks at the beacon node for that block (default 250 ms). */
  holderPollMs?: number;
};

const EMPTY_BLOBS: BlobsBundle = { blobs: [], kzgProofs: [] };

/**
 * Submits group-signed messages through the standard Beacon API. Every operator of the cluster holds the same group
 * signature and submits it; the first valid submitter wins and the others' submissions are answered as duplicates,
 * which count as done. Locally, a duty is submitted at most once. Messages of one kind and slot go in one call; if
 * the call fails, its messages are retried one by one so one bad message does not sink the others.
 *
 * Blocks go out with their blobs (`publishBlockV2`): the decided block's KZG commitments name them, and this
 * operator has them only if its own beacon node produced the same block. An operator without them does not publish
 * a blob-less block (the beacon node would refuse it); it waits a bounded time for a holder's publication to reach
 * its beacon node, which counts the duty as done.
 */
export class BeaconBroadcaster implements Broadcaster {
  private readonly api: ApiClient;
  private readonly o: Required<Omit<BeaconBroadcasterOptions, "blockContents">> &
    Pick<BeaconBroadcasterOptions, "blockContents">;
  private readonly submitted = new Map<string, number>();

  constructor(opts: BeaconBroadcasterOptions) {
    this.api = opts.api;
    this.o = { holderWaitMs: 4000, holderPollMs: 250, ...opts };
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
    // Kinds go out concurrently: a proposal waiting for its blobs' holder must not hold up the slot's attestations.
    await Promise.all(
      [...byType].map(async ([type, list]) => {
        if (type === DutyType.proposer) {
          for (const item of list) await this.publishProposal(item, result);
          return;
        }
        const submit = this.submitter(type);
        if (submit === undefined) {
          for (const item of list) result.failed.push({ item, reason: `${type} duties are not broadcast` });
          return;
        }
        await this.submitWithFallback(submit, list, result);
      }),
    );
    for (const i of [...result.published, ...result.duplicates]) {
      this.submitted.set(dutyKey(i.definition.duty), i.definition.duty.slot);
    }
    return result;
  }

  /** Forgets submissions (and fetched blobs) of slots below `slot`. */
  prune(slot: number): void {
    for (const [k, s] of this.submitted) if (s < slot) this.submitted.delete(k);
    this.o.blockContents?.prune(slot);
  }

  /** Publishes a signed block with its blobs, or, without them, waits for a holder's publication. */
  private async publishProposal(item: SignedDuty, result: BroadcastResult): Promise<void> {
    if (item.data.type !== DutyType.proposer) return;
    const { blockRoot, encoded } = item.data.data;
    const proposal = decodeProposal(encoded);
    if (proposal.blinded) {
      await this.publishBlinded(item, proposal.block, result);
      return;
    }
    const block = proposal.block;
    const blobCount = block.body.blobKzgCommitments.length;
    const bundle = blobCount === 0 ? EMPTY_BLOBS : this.o.blockContents?.get(blockRoot);
    if (bundle === undefined) {
      if (await this.publishedByHolder(blockRoot)) result.duplicates.push(item);
      else {
        const reason = `the block's ${blobCount} blobs are held by the operators whose beacon node produced it; none published it within ${this.o.holderWaitMs} ms`;
        result.failed.push({ item, reason });
      }
      return;
    }
    const reason = await this.attempt(() =>
      this.api.beacon.publishBlockV2({
        signedBlockContents: {
          signedBlock: { message: block, signature: item.signature.signature },
          kzgProofs: [...bundle.kzgProofs],
          blobs: [...bundle.blobs],
        },
      }),
    );
    if (reason === null) result.published.push(item);
    else if (isDuplicateRejection(reason)) result.duplicates.push(item);
    else result.failed.push({ item, reason });
  }

  /**
   * Publishes a signed builder block (`publishBlindedBlockV2`: the beacon node has the builder reveal the payload).
   * If this operator's beacon node cannot (no builder, builder refused or down) it waits, bounded, for another
   * operator's publication, as for a block whose blobs it lacks.
   */
  private async publishBlinded(
    item: SignedDuty,
    block: electra.BlindedBeaconBlock,
    result: BroadcastResult,
  ): Promise<void> {
    const reason = await this.attempt(() =>
      this.api.beacon.publishBlindedBlockV2({
        signedBlindedBlock: { message: block, signature: item.signature.signature },
      }),
    );
    if (reason === null) result.published.push(item);
    else if (isDuplicateRejection(reason)) result.duplicates.push(item);
    else if (item.data.type === DutyType.proposer && (await this.publishedByHolder(item.data.data.blockRoot))) {
      result.duplicates.push(item);
    } else result.failed.push({ item, reason: `blinded block not published: ${reason}` });
  }

  /** Whether the block reaches this operator's beacon node (published by another operator) within the bounded wait. */
  private async publishedByHolder(blockRoot: Uint8Array): Promise<boolean> {
    const blockId = `0x${Buffer.from(blockRoot).toString("hex")}`;
    const deadline = Date.now() + this.o.holderWaitMs;
    for (;;) {
      try {
        if ((await this.api.beacon.getBlockHeader({ blockId })).ok) return true;
      } catch {
        // An unreachable beacon node has not seen it; keep looking until the deadline.
      }
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise((r) => setTimeout(r, Math.min(this.o.holderPollMs, left)));
    }
  }

  private async submitWithFallback(submit: Submit, list: SignedDuty[], result: BroadcastResult): Promise<void> {
    const first = await this.attempt(() => submit(list));
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
      const reason = await this.attempt(() => submit([item]));
      if (reason === null) result.published.push(item);
      else if (isDuplicateRejection(reason)) result.duplicates.push(item);
      else result.failed.push({ item, reason });
    }
  }

  /** `null` on success, else the beacon node's (or the transport's) reason. */
  private async attempt(call: () => ReturnType<Submit>): Promise<string | null> {
    try {
      const res = await call();
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
      case DutyType.builderRegistration:
        return (items) =>
          this.api.validator.registerValidator({
            registrations: items.flatMap((i) =>
              i.data.type === DutyType.builderRegistration
                ? [{ message: i.data.data, signature: i.signature.signature }]
                : [],
            ),
          });
      case DutyType.voluntaryExit:
        // The Beacon API takes one exit per call: submit them in turn and answer with the first refusal, if any (the
        // caller then retries them one by one and sorts out which were duplicates).
        return async (items) => {
          let last: Awaited<ReturnType<Submit>> | undefined;
          for (const i of items) {
            if (i.data.type !== DutyType.voluntaryExit) continue;
            last = await this.api.beacon.submitPoolVoluntaryExit({
              signedVoluntaryExit: { message: i.data.data, signature: i.signature.signature },
            });
            if (!last.ok) return last;
          }
          if (last === undefined) {
            throw new PipelineError({ code: "ERR_DUTY_DATA_INVALID", reason: "no voluntary exit in the batch" });
          }
          return last;
        };
      default:
        return undefined;
    }
  }
}
