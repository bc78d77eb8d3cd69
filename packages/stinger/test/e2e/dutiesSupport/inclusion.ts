/**
 * TEST SUPPORT: reads the devnet's chain in-process to judge the DVs' duties — attestation inclusion from the state's
 * participation flags, proposals from the canonical chain. Independent of Stinger's own tracker on purpose.
 */
import type { Devnet } from "@nektar/beacon-devnet";

type ParticipationState = {
  slot: number;
  epochCtx: { epoch: number; proposers: number[] };
  previousEpochParticipation: { get(i: number): number };
  currentEpochParticipation: { get(i: number): number };
};

export type InclusionReport = {
  attestationRate: number;
  missed: { epoch: number; validator: number }[];
  proposals: { expected: number; canonical: number; slots: number[] };
  finalizedEpoch: number;
};

export class InclusionWatcher {
  private readonly devnet: Devnet;
  private readonly validators: number[];
  private readonly flags = new Map<string, number>();
  private readonly proposerBySlot = new Map<number, number>();
  private readonly timer: NodeJS.Timeout;

  constructor(devnet: Devnet, validators: number[]) {
    this.devnet = devnet;
    this.validators = validators;
    this.timer = setInterval(() => this.sample(), 500);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private sample(): void {
    const state = this.devnet.chain.headState as unknown as ParticipationState;
    const epoch = state.epochCtx.epoch;
    const spe = state.epochCtx.proposers.length;
    state.epochCtx.proposers.forEach((p, i) => {
      this.proposerBySlot.set(epoch * spe + i, p);
    });
    for (const v of this.validators) {
      for (const [e, list] of [
        [epoch - 1, state.previousEpochParticipation],
        [epoch, state.currentEpochParticipation],
      ] as const) {
        if (e < 0) continue;
        const key = `${e}/${v}`;
        this.flags.set(key, (this.flags.get(key) ?? 0) | list.get(v));
      }
    }
  }

  /** Epochs `from..to` inclusive (each must be over and included by now). */
  report(from: number, to: number): InclusionReport {
    this.sample();
    const missed: { epoch: number; validator: number }[] = [];
    let total = 0;
    for (let e = from; e <= to; e++) {
      for (const v of this.validators) {
        total++;
        if ((this.flags.get(`${e}/${v}`) ?? 0) === 0) missed.push({ epoch: e, validator: v });
      }
    }
    const canonical = new Set<number>();
    let block = this.devnet.chain.head;
    while (block.slot > 0) {
      canonical.add(block.slot);
      const parent = this.devnet.chain.getBlockByRoot(block.parentRootHex);
      if (parent === undefined) break;
      block = parent;
    }
    const spe = (this.devnet.chain.headState as unknown as ParticipationState).epochCtx.proposers.length;
    const ours = new Set(this.validators);
    const slots = [...this.proposerBySlot]
      .filter(([slot, p]) => ours.has(p) && slot >= from * spe && slot < (to + 1) * spe)
      .map(([slot]) => slot);
    return {
      attestationRate: total === 0 ? 0 : (total - missed.length) / total,
      missed,
      proposals: { expected: slots.length, canonical: slots.filter((s) => canonical.has(s)).length, slots },
      finalizedEpoch: this.devnet.chain.finalizedCheckpoint.epoch,
    };
  }
}
