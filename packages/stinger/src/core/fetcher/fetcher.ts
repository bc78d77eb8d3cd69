import type { ApiClient } from "@lodestar/api";
import { ssz } from "@lodestar/types";
import { type DutyDefinition, DutyType, type Fetcher, type UnsignedData } from "../interfaces.ts";
import { PipelineError } from "../pipelineError.ts";

/**
 * Fetches the data to sign from this operator's own beacon node, over the standard Beacon API only.
 * Proposals need the threshold-signed RANDAO reveal, which the caller passes through `randaoReveal`.
 */
export class BeaconFetcher implements Fetcher {
  private readonly api: ApiClient;
  private readonly slotsPerEpoch: number;
  private readonly randaoReveal: (slot: number, validator: number) => Uint8Array | undefined;

  constructor(opts: {
    api: ApiClient;
    slotsPerEpoch: number;
    randaoReveal?: (slot: number, validator: number) => Uint8Array | undefined;
  }) {
    this.api = opts.api;
    this.slotsPerEpoch = opts.slotsPerEpoch;
    this.randaoReveal = opts.randaoReveal ?? (() => undefined);
  }

  async fetch(definition: DutyDefinition, _signal: AbortSignal): Promise<UnsignedData> {
    const { duty } = definition;
    switch (duty.type) {
      case DutyType.attester: {
        const res = await this.call("produceAttestationData", () =>
          this.api.validator.produceAttestationData({ slot: duty.slot, committeeIndex: 0 }),
        );
        const data = res.value();
        if (data.slot !== duty.slot) throw this.bad("produceAttestationData", `slot ${data.slot} ≠ ${duty.slot}`);
        // Electra: the committee goes in the SingleAttestation, AttestationData.index is always 0.
        return { type: DutyType.attester, data: { ...data, index: 0 } };
      }
      case DutyType.randao:
        return { type: DutyType.randao, data: { epoch: Math.floor(duty.slot / this.slotsPerEpoch) } };
      case DutyType.prepareAggregator:
        return { type: DutyType.prepareAggregator, data: { slot: duty.slot } };
      case DutyType.proposer: {
        const randaoReveal = this.randaoReveal(duty.slot, duty.validator);
        if (randaoReveal === undefined) throw this.bad("produceBlockV3", "no threshold-signed RANDAO reveal yet");
        const res = await this.call("produceBlockV3", () =>
          this.api.validator.produceBlockV3({ slot: duty.slot, randaoReveal, graffiti: "nektar/stinger" }),
        );
        const meta = res.meta();
        if (meta.executionPayloadBlinded) throw this.bad("produceBlockV3", "blinded blocks are not supported");
        const contents = res.value() as { block: Parameters<typeof ssz.electra.BeaconBlock.serialize>[0] };
        const block = contents.block;
        if (block.slot !== duty.slot || block.proposerIndex !== duty.validator) {
          throw this.bad("produceBlockV3", `block for slot ${block.slot}/proposer ${block.proposerIndex}`);
        }
        const encoded = ssz.electra.BeaconBlock.serialize(block);
        return {
          type: DutyType.proposer,
          data: { slot: duty.slot, blockRoot: ssz.electra.BeaconBlock.hashTreeRoot(block), encoded },
        };
      }
      default:
        throw new PipelineError({ code: "ERR_DUTY_DATA_INVALID", reason: `fetcher does not serve ${duty.type} yet` });
    }
  }

  private async call<T extends { ok: boolean; status: number; error(): unknown }>(
    name: string,
    fn: () => Promise<T>,
  ): Promise<T> {
    let res: T;
    try {
      res = await fn();
    } catch (e) {
      throw this.bad(name, (e as Error).message);
    }
    if (!res.ok) throw this.bad(name, `HTTP ${res.status}: ${String((res.error() as Error | null)?.message ?? "")}`);
    return res;
  }

  private bad(call: string, reason: string): PipelineError {
    return new PipelineError({ code: "ERR_BEACON_NODE", call, reason });
  }
}
