import type { ApiClient } from "@lodestar/api";
import { ssz } from "@lodestar/types";
import type { AggregatedSignature, Broadcaster, Duty, DutyDefinition, UnsignedData } from "../interfaces.ts";
import { dutyKey } from "../interfaces.ts";
import { PipelineError } from "../pipelineError.ts";

/** One signed message ready for the beacon node. */
export type SignedDuty = {
  readonly definition: DutyDefinition;
  readonly data: UnsignedData;
  readonly signature: AggregatedSignature;
};

/**
 * Submits group-signed messages through the standard Beacon API. Every operator of the cluster holds the same group
 * signature and submits it; the beacon node (and gossip) deduplicate, so the first valid submitter wins. Locally, a
 * duty is submitted at most once. Attestations of a slot go in one call.
 */
export class BeaconBroadcaster implements Broadcaster {
  private readonly api: ApiClient;
  private readonly definitionOf: (duty: Duty) => DutyDefinition | undefined;
  private readonly submitted = new Map<string, number>();

  constructor(opts: { api: ApiClient; definitionOf: (duty: Duty) => DutyDefinition | undefined }) {
    this.api = opts.api;
    this.definitionOf = opts.definitionOf;
  }

  async broadcast(duty: Duty, data: UnsignedData, signature: AggregatedSignature): Promise<void> {
    const definition = this.definitionOf(duty);
    if (definition === undefined) {
      throw new PipelineError({ code: "ERR_DUTY_DATA_INVALID", reason: `no definition for ${dutyKey(duty)}` });
    }
    await this.broadcastBatch([{ definition, data, signature }]);
  }

  /** Submits a batch; skips duties already submitted by this node. */
  async broadcastBatch(items: readonly SignedDuty[]): Promise<void> {
    const fresh = items.filter((i) => !this.submitted.has(dutyKey(i.definition.duty)));
    const attestations = fresh.filter((i) => i.data.type === "attester");
    if (attestations.length > 0) {
      const signedAttestations = attestations.map((i) => {
        const d = i.definition;
        if (d.committeeIndex === undefined || i.data.type !== "attester") {
          throw new PipelineError({ code: "ERR_DUTY_DATA_INVALID", reason: `${dutyKey(d.duty)} lacks its committee` });
        }
        return {
          committeeIndex: d.committeeIndex,
          attesterIndex: d.duty.validator,
          data: i.data.data,
          signature: i.signature.signature,
        };
      });
      const res = await this.api.beacon.submitPoolAttestationsV2({ signedAttestations });
      if (!res.ok) throw beaconError("submitPoolAttestationsV2", res);
    }
    for (const i of fresh.filter((x) => x.data.type === "proposer")) {
      if (i.data.type !== "proposer") continue;
      const block = ssz.electra.BeaconBlock.deserialize(i.data.data.encoded);
      const res = await this.api.beacon.publishBlockV2({
        signedBlockContents: {
          signedBlock: { message: block, signature: i.signature.signature },
          kzgProofs: [],
          blobs: [],
        },
      });
      if (!res.ok) throw beaconError("publishBlockV2", res);
    }
    for (const i of fresh) this.submitted.set(dutyKey(i.definition.duty), i.definition.duty.slot);
  }

  /** Forgets submissions of slots below `slot`. */
  prune(slot: number): void {
    for (const [k, s] of this.submitted) if (s < slot) this.submitted.delete(k);
  }
}

function beaconError(call: string, res: { status: number; error(): unknown }): PipelineError {
  return new PipelineError({
    code: "ERR_BEACON_NODE",
    call,
    reason: `HTTP ${res.status}: ${String((res.error() as Error | null)?.message ?? "")}`,
  });
}
