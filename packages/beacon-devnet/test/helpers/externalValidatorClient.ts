import type { SecretKey } from "@chainsafe/blst";
import { type ApiClient, getClient } from "@lodestar/api";
import { type BeaconConfig, createBeaconConfig } from "@lodestar/config";
import {
  DOMAIN_AGGREGATE_AND_PROOF,
  DOMAIN_BEACON_ATTESTER,
  DOMAIN_BEACON_PROPOSER,
  DOMAIN_CONTRIBUTION_AND_PROOF,
  DOMAIN_RANDAO,
  DOMAIN_SELECTION_PROOF,
  DOMAIN_SYNC_COMMITTEE,
  DOMAIN_SYNC_COMMITTEE_SELECTION_PROOF,
  SYNC_COMMITTEE_SUBNET_SIZE,
} from "@lodestar/params";
import {
  computeEpochAtSlot,
  computeSigningRoot,
  isAggregatorFromCommitteeLength,
  isSyncCommitteeAggregator,
} from "@lodestar/state-transition";
import type { electra } from "@lodestar/types";
import { ssz } from "@lodestar/types";
import { createDevnetChainConfig, defaultChainConfigOptions } from "../../src/chain/config.ts";

type SyncDuty = { validatorIndex: number; validatorSyncCommitteeIndices: number[] };

export type ExternalVcStats = {
  proposed: number[];
  attestations: number;
  aggregates: number;
  syncMessages: number;
  contributions: number;
  errors: string[];
};

/**
 * A validator client that only talks to the devnet over HTTP with @lodestar/api's client and holds keys the
 * node does not hold. Duties: proposals (produceBlockV3/publishBlockV2), attestations (pool v2), aggregation
 * (aggregate_attestation v2 + aggregate_and_proofs v2), sync committee messages.
 */
export class ExternalValidatorClient {
  readonly stats: ExternalVcStats = {
    proposed: [],
    attestations: 0,
    aggregates: 0,
    syncMessages: 0,
    contributions: 0,
    errors: [],
  };
  private api!: ApiClient;
  private config!: BeaconConfig;
  private genesisTime = 0;
  private readonly keysByIndex: Map<number, SecretKey>;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private readonly baseUrl: string;
  private readonly secondsPerSlot: number;

  constructor(baseUrl: string, secondsPerSlot: number, keysByIndex: Map<number, SecretKey>) {
    this.baseUrl = baseUrl;
    this.secondsPerSlot = secondsPerSlot;
    this.keysByIndex = keysByIndex;
  }

  async start(): Promise<void> {
    const chainConfig = createDevnetChainConfig({ ...defaultChainConfigOptions, secondsPerSlot: this.secondsPerSlot });
    const bootstrap = getClient({ baseUrl: this.baseUrl }, { config: chainConfig });
    const genesis = (await bootstrap.beacon.getGenesis()).value();
    this.genesisTime = genesis.genesisTime;
    this.config = createBeaconConfig(chainConfig, genesis.genesisValidatorsRoot);
    this.api = getClient({ baseUrl: this.baseUrl }, { config: this.config });
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== null) clearTimeout(this.timer);
  }

  private slotStart(slot: number): number {
    return (this.genesisTime + slot * this.secondsPerSlot) * 1000;
  }

  private schedule(): void {
    if (!this.running) return;
    const now = Date.now();
    const slot = Math.floor((now / 1000 - this.genesisTime) / this.secondsPerSlot) + 1;
    this.timer = setTimeout(() => void this.runSlot(slot).finally(() => this.schedule()), this.slotStart(slot) - now);
  }

  private async sleepUntil(ms: number): Promise<void> {
    const wait = ms - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }

  private async runSlot(slot: number): Promise<void> {
    try {
      await this.propose(slot);
      await this.sleepUntil(this.slotStart(slot) + (this.secondsPerSlot * 1000) / 3);
      if (!this.running) return;
      const duties = await this.attest(slot);
      const syncDuties = await this.syncCommittee(slot);
      await this.sleepUntil(this.slotStart(slot) + (this.secondsPerSlot * 2000) / 3);
      if (!this.running) return;
      await this.aggregate(slot, duties);
      await this.contribute(slot, syncDuties);
    } catch (e) {
      this.stats.errors.push(`slot ${slot}: ${(e as Error).message}`);
    }
  }

  private async propose(slot: number): Promise<void> {
    const epoch = computeEpochAtSlot(slot);
    const duties = (await this.api.validator.getProposerDuties({ epoch })).value();
    const duty = duties.find((d) => d.slot === slot && this.keysByIndex.has(d.validatorIndex));
    if (duty === undefined) return;
    const sk = this.keysByIndex.get(duty.validatorIndex) as SecretKey;
    const randaoReveal = sk
      .sign(computeSigningRoot(ssz.Epoch, epoch, this.config.getDomain(slot, DOMAIN_RANDAO, slot)))
      .toBytes();
    const produced = (await this.api.validator.produceBlockV3({ slot, randaoReveal, graffiti: "external-vc" })).value();
    const block = (produced as { block: electra.BeaconBlock }).block;
    const signature = sk
      .sign(
        computeSigningRoot(ssz.electra.BeaconBlock, block, this.config.getDomain(slot, DOMAIN_BEACON_PROPOSER, slot)),
      )
      .toBytes();
    (
      await this.api.beacon.publishBlockV2({
        signedBlockContents: { signedBlock: { message: block, signature }, kzgProofs: [], blobs: [] },
      })
    ).assertOk();
    this.stats.proposed.push(slot);
  }

  private async attest(slot: number) {
    const epoch = computeEpochAtSlot(slot);
    const indices = [...this.keysByIndex.keys()];
    const duties = (await this.api.validator.getAttesterDuties({ epoch, indices }))
      .value()
      .filter((d) => d.slot === slot);
    const singles: electra.SingleAttestation[] = [];
    for (const duty of duties) {
      const data = (
        await this.api.validator.produceAttestationData({ slot, committeeIndex: duty.committeeIndex })
      ).value();
      const sk = this.keysByIndex.get(duty.validatorIndex) as SecretKey;
      const signature = sk
        .sign(
          computeSigningRoot(
            ssz.phase0.AttestationData,
            data,
            this.config.getDomain(slot, DOMAIN_BEACON_ATTESTER, slot),
          ),
        )
        .toBytes();
      singles.push({ committeeIndex: duty.committeeIndex, attesterIndex: duty.validatorIndex, data, signature });
    }
    if (singles.length > 0) {
      (await this.api.beacon.submitPoolAttestationsV2({ signedAttestations: singles })).assertOk();
      this.stats.attestations += singles.length;
    }
    return duties.map((d, i) => ({ duty: d, data: (singles[i] as electra.SingleAttestation).data }));
  }

  private async aggregate(
    slot: number,
    duties: {
      duty: { validatorIndex: number; committeeIndex: number; committeeLength: number };
      data: electra.SingleAttestation["data"];
    }[],
  ): Promise<void> {
    for (const { duty, data } of duties) {
      const sk = this.keysByIndex.get(duty.validatorIndex) as SecretKey;
      const selectionProof = sk
        .sign(computeSigningRoot(ssz.Slot, slot, this.config.getDomain(slot, DOMAIN_SELECTION_PROOF, slot)))
        .toBytes();
      if (!isAggregatorFromCommitteeLength(duty.committeeLength, selectionProof)) continue;
      const aggregate = (
        await this.api.validator.getAggregatedAttestationV2({
          attestationDataRoot: ssz.phase0.AttestationData.hashTreeRoot(data),
          slot,
          committeeIndex: duty.committeeIndex,
        })
      ).value() as electra.Attestation;
      const message: electra.AggregateAndProof = { aggregatorIndex: duty.validatorIndex, aggregate, selectionProof };
      const signature = sk
        .sign(
          computeSigningRoot(
            ssz.electra.AggregateAndProof,
            message,
            this.config.getDomain(slot, DOMAIN_AGGREGATE_AND_PROOF, slot),
          ),
        )
        .toBytes();
      (
        await this.api.validator.publishAggregateAndProofsV2({ signedAggregateAndProofs: [{ message, signature }] })
      ).assertOk();
      this.stats.aggregates++;
    }
  }

  private async syncCommittee(slot: number): Promise<{ duties: SyncDuty[]; head: Uint8Array }> {
    const epoch = computeEpochAtSlot(slot);
    const indices = [...this.keysByIndex.keys()];
    const duties = (await this.api.validator.getSyncCommitteeDuties({ epoch, indices })).value();
    if (duties.length === 0) return { duties, head: new Uint8Array(32) };
    const head = (await this.api.beacon.getBlockRoot({ blockId: "head" })).value().root;
    const signingRoot = computeSigningRoot(ssz.Root, head, this.config.getDomain(slot, DOMAIN_SYNC_COMMITTEE, slot));
    const signatures = duties.map((d) => ({
      slot,
      beaconBlockRoot: head,
      validatorIndex: d.validatorIndex,
      signature: (this.keysByIndex.get(d.validatorIndex) as SecretKey).sign(signingRoot).toBytes(),
    }));
    (await this.api.beacon.submitPoolSyncCommitteeSignatures({ signatures })).assertOk();
    this.stats.syncMessages += signatures.length;
    return { duties, head };
  }

  private async contribute(slot: number, { duties, head }: { duties: SyncDuty[]; head: Uint8Array }): Promise<void> {
    const published = new Set<number>();
    for (const duty of duties) {
      const sk = this.keysByIndex.get(duty.validatorIndex) as SecretKey;
      for (const position of duty.validatorSyncCommitteeIndices) {
        const subcommitteeIndex = Math.floor(position / SYNC_COMMITTEE_SUBNET_SIZE);
        if (published.has(subcommitteeIndex)) continue;
        const selectionProof = sk
          .sign(
            computeSigningRoot(
              ssz.altair.SyncAggregatorSelectionData,
              { slot, subcommitteeIndex },
              this.config.getDomain(slot, DOMAIN_SYNC_COMMITTEE_SELECTION_PROOF, slot),
            ),
          )
          .toBytes();
        if (!isSyncCommitteeAggregator(selectionProof)) continue;
        const contribution = (
          await this.api.validator.produceSyncCommitteeContribution({ slot, subcommitteeIndex, beaconBlockRoot: head })
        ).value();
        const message = { aggregatorIndex: duty.validatorIndex, contribution, selectionProof };
        const signature = sk
          .sign(
            computeSigningRoot(
              ssz.altair.ContributionAndProof,
              message,
              this.config.getDomain(slot, DOMAIN_CONTRIBUTION_AND_PROOF, slot),
            ),
          )
          .toBytes();
        (
          await this.api.validator.publishContributionAndProofs({ contributionAndProofs: [{ message, signature }] })
        ).assertOk();
        published.add(subcommitteeIndex);
        this.stats.contributions++;
      }
    }
  }
}
