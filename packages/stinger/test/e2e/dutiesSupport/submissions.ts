/**
 * TEST SUPPORT: records, inside an in-process beacon-devnet, every group-signed message of the distributed validators
 * that reached the beacon node — `SingleAttestation`s accepted by the attestation pool (signature verified there) and
 * blocks imported by the chain — so a test can assert that no slashable pair ever left the cluster, and reads the
 * state's `slashed` flags and the blocks' slashing operations.
 */

import { ssz } from "@lodestar/types";
import type { Devnet } from "@nektar/beacon-devnet";

export type SubmittedAttestation = { validator: number; source: number; target: number; dataRoot: string };
export type SubmittedBlock = { validator: number; slot: number; root: string };

const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString("hex")}`;

export class SubmissionRecorder {
  readonly attestations: SubmittedAttestation[] = [];
  readonly blocks: SubmittedBlock[] = [];
  private readonly devnet: Devnet;
  private readonly ours: Set<number>;

  constructor(devnet: Devnet, validators: number[]) {
    this.devnet = devnet;
    this.ours = new Set(validators);
    const pool = devnet.attestationPool;
    const addSingle = pool.addSingleAttestation.bind(pool);
    // Instance properties shadow the prototype methods the API handlers call; the originals run first, so only what
    // the devnet accepted (valid group signatures) is recorded.
    pool.addSingleAttestation = (att) => {
      addSingle(att);
      if (!this.ours.has(att.attesterIndex)) return;
      const key = hex(ssz.phase0.AttestationData.hashTreeRoot(att.data));
      if (this.attestations.some((a) => a.validator === att.attesterIndex && a.dataRoot === key)) return;
      this.attestations.push({
        validator: att.attesterIndex,
        source: att.data.source.epoch,
        target: att.data.target.epoch,
        dataRoot: key,
      });
    };
    const chain = devnet.chain;
    const importBlock = chain.importBlock.bind(chain);
    chain.importBlock = (signed) => {
      const stored = importBlock(signed);
      const m = signed.message;
      if (this.ours.has(m.proposerIndex)) {
        const root = hex(ssz.electra.BeaconBlock.hashTreeRoot(m));
        if (!this.blocks.some((b) => b.root === root))
          this.blocks.push({ validator: m.proposerIndex, slot: m.slot, root });
      }
      return stored;
    };
  }

  /** Pairs of submitted group-signed messages that a slasher would act on (double/surround votes, double proposals). */
  slashablePairs(): string[] {
    const out: string[] = [];
    const atts = this.attestations;
    for (let i = 0; i < atts.length; i++) {
      for (let j = i + 1; j < atts.length; j++) {
        const a = atts[i] as SubmittedAttestation;
        const b = atts[j] as SubmittedAttestation;
        if (a.validator !== b.validator) continue;
        const double = a.target === b.target && a.dataRoot !== b.dataRoot;
        const surround = (a.source < b.source && b.target < a.target) || (b.source < a.source && a.target < b.target);
        if (double || surround) out.push(`validator ${a.validator}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
      }
    }
    for (let i = 0; i < this.blocks.length; i++) {
      for (let j = i + 1; j < this.blocks.length; j++) {
        const a = this.blocks[i] as SubmittedBlock;
        const b = this.blocks[j] as SubmittedBlock;
        if (a.validator === b.validator && a.slot === b.slot) out.push(`double proposal ${JSON.stringify([a, b])}`);
      }
    }
    return out;
  }

  /** DV attestations accepted by the beacon node whose target is in `from..to`. */
  attestationsForTargets(from: number, to: number): SubmittedAttestation[] {
    return this.attestations.filter((a) => a.target >= from && a.target <= to);
  }

  /** Slashing evidence on the canonical chain: validators marked slashed, slashing operations in blocks. */
  onChainSlashings(): { slashedValidators: number[]; proposerSlashings: number; attesterSlashings: number } {
    const state = this.devnet.chain.headState;
    const slashedValidators = [...this.ours].filter((i) => state.validators.getReadonly(i).slashed);
    let proposerSlashings = 0;
    let attesterSlashings = 0;
    for (const b of this.devnet.chain.canonicalBlocks(0, this.devnet.chain.head.slot)) {
      const body = b.signedBlock.message.body;
      proposerSlashings += body.proposerSlashings.length;
      attesterSlashings += body.attesterSlashings.length;
    }
    return { slashedValidators, proposerSlashings, attesterSlashings };
  }
}
