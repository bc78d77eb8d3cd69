/**
 * A validator set's effectiveness read through the standard Beacon API rewards endpoints, so the same measurement
 * works against any beacon node: what it earned as a fraction of what a perfect validator would have earned, and the
 * success rate of each paid duty.
 *
 * - attestations (`POST /eth/v1/beacon/rewards/attestations/{epoch}`): a duty succeeds when source, target and head
 *   are all rewarded (timely, i.e. the head included with delay 1); a perfect validator earns `ideal_rewards`;
 * - proposals (`GET /eth/v1/beacon/rewards/blocks/{slot}`): a duty succeeds when the slot's canonical block is the
 *   validator's; a proposed block earned what a perfect proposer would have, a missed one is priced at the mean
 *   reward of the epoch's proposed blocks (the reference set's when it proposed any);
 * - sync committee (`POST /eth/v1/beacon/rewards/sync_committee/{block}`): a member succeeds in a block when its
 *   reward is positive; a perfect member earns the magnitude of its reward (a miss costs exactly what a hit pays).
 *
 * Penalties are negative numbers, which only the JSON form of these endpoints carries: `@lodestar/api` asks for SSZ
 * by default, where a negative `UintNum64` wraps to ~4.29e9 gwei — a missed duty then "earned" more than a perfect
 * one (the bench once printed 150%). Every call here asks for JSON, and a reward above its ideal is refused as a
 * counting bug rather than reported.
 */
// The devnet's minimal preset before any @lodestar module is evaluated (the bench measures the beacon-devnet).
import "@nektar/beacon-devnet/preset";
import { type ApiClient, WireFormat } from "@lodestar/api";

/** The rewards endpoints carry negative values: JSON only (SSZ `UintNum64` cannot hold them). */
const JSON_RESPONSE = { responseWireFormat: WireFormat.json } as const;

/** A reward above what a perfect validator earns: the measurement is broken, not the validator lucky. */
export class RewardAboveIdealError extends RangeError {
  constructor(what: string, earned: number, ideal: number) {
    super(`${what}: earned ${earned} gwei above the ideal ${ideal} gwei — a wire or counting bug, not a measurement`);
    this.name = "RewardAboveIdealError";
  }
}

export type DutyTally = { duties: number; succeeded: number; earned: number; ideal: number };

export type Effectiveness = {
  attestations: DutyTally;
  proposals: DutyTally;
  sync: DutyTally;
  /** Earned ÷ ideal per epoch (all duties), for an interval over epochs. */
  perEpoch: number[];
};

const emptyTally = (): DutyTally => ({ duties: 0, succeeded: 0, earned: 0, ideal: 0 });

/** Measures `validators` over epochs `fromEpoch..toEpoch`; `reference` (perfect-run validators) prices proposals. */
export async function measureEffectiveness(
  api: ApiClient,
  opts: {
    validators: number[];
    reference: number[];
    fromEpoch: number;
    toEpoch: number;
    slotsPerEpoch: number;
    /** Proposer duties of the window (beacon nodes serve them only for current and next epochs: collect them live). */
    proposerDuties: readonly { slot: number; validatorIndex: number }[];
  },
): Promise<{ measured: Effectiveness; reference: Effectiveness }> {
  const sets = [new Set(opts.validators), new Set(opts.reference)];
  const results = sets.map(() => ({
    attestations: emptyTally(),
    proposals: emptyTally(),
    sync: emptyTally(),
    perEpoch: [] as number[],
  }));
  const ids = [...opts.validators, ...opts.reference];
  for (let epoch = opts.fromEpoch; epoch <= opts.toEpoch; epoch++) {
    const epochTallies = sets.map(() => ({ earned: 0, ideal: 0 }));
    const { idealRewards, totalRewards } = (
      await api.beacon.getAttestationsRewards({ epoch, validatorIds: ids }, JSON_RESPONSE)
    ).value();
    const idealOf = new Map(idealRewards.map((r) => [r.effectiveBalance, r]));
    // Effective balances of the state the rewards are computed from (the last slot of epoch + 1): an epoch
    // transition in between can move one, and the ideal of another balance is not this validator's ideal.
    const state = (
      await api.beacon.postStateValidators({ stateId: (epoch + 2) * opts.slotsPerEpoch - 1, validatorIds: ids })
    ).value();
    const balanceOf = new Map(state.map((v) => [v.index, v.validator.effectiveBalance]));
    for (const r of totalRewards) {
      const ideal = idealOf.get(balanceOf.get(r.validatorIndex) ?? 0);
      if (ideal === undefined) continue;
      sets.forEach((set, k) => {
        if (!set.has(r.validatorIndex)) return;
        const t = (results[k] as Effectiveness).attestations;
        const earned = r.head + r.target + r.source + r.inactivity;
        const perfect = ideal.head + ideal.target + ideal.source;
        for (const flag of ["head", "target", "source"] as const)
          if (r[flag] > ideal[flag])
            throw new RewardAboveIdealError(
              `validator ${r.validatorIndex}'s ${flag} in epoch ${epoch}`,
              r[flag],
              ideal[flag],
            );
        t.duties++;
        if (r.head > 0 && r.target > 0 && r.source > 0) t.succeeded++;
        t.earned += earned;
        t.ideal += perfect;
        (epochTallies[k] as { earned: number }).earned += earned;
        (epochTallies[k] as { ideal: number }).ideal += perfect;
      });
    }
    const duties = opts.proposerDuties.filter((d) => Math.floor(d.slot / opts.slotsPerEpoch) === epoch);
    const blockRewards: { k: number; reward: number | undefined }[] = [];
    for (const duty of duties) {
      const k = sets.findIndex((set) => set.has(duty.validatorIndex));
      if (k < 0) continue;
      const res = await api.beacon.getBlockRewards({ blockId: duty.slot }, JSON_RESPONSE);
      const reward = res.ok && res.value().proposerIndex === duty.validatorIndex ? res.value().total : undefined;
      blockRewards.push({ k, reward });
    }
    for (let slot = epoch * opts.slotsPerEpoch; slot < (epoch + 1) * opts.slotsPerEpoch; slot++) {
      const res = await api.beacon.getSyncCommitteeRewards({ blockId: slot, validatorIds: ids }, JSON_RESPONSE);
      if (!res.ok) continue; // an empty slot pays no sync committee member
      for (const r of res.value()) {
        sets.forEach((set, k) => {
          if (!set.has(r.validatorIndex)) return;
          const t = (results[k] as Effectiveness).sync;
          t.duties++;
          if (r.reward > 0) t.succeeded++;
          t.earned += r.reward;
          t.ideal += Math.abs(r.reward);
          (epochTallies[k] as { earned: number }).earned += r.reward;
          (epochTallies[k] as { ideal: number }).ideal += Math.abs(r.reward);
        });
      }
    }
    // A proposed block earned what a perfect proposer would have (its contents are the beacon node's); a missed one
    // is priced at the mean reward of this epoch's proposed blocks (the reference set's first).
    const proposed = blockRewards
      .filter((b) => b.reward !== undefined)
      .map((b) => ({ ...b, reward: b.reward as number }));
    const pool = proposed.some((b) => b.k === 1) ? proposed.filter((b) => b.k === 1) : proposed;
    const missedPrice = pool.length === 0 ? undefined : pool.reduce((a, b) => a + b.reward, 0) / pool.length;
    for (const b of blockRewards) {
      const t = (results[b.k] as Effectiveness).proposals;
      t.duties++;
      if (b.reward !== undefined) t.succeeded++;
      const ideal = b.reward ?? missedPrice;
      if (ideal === undefined) continue;
      t.earned += b.reward ?? 0;
      t.ideal += ideal;
      (epochTallies[b.k] as { earned: number }).earned += b.reward ?? 0;
      (epochTallies[b.k] as { ideal: number }).ideal += ideal;
    }
    epochTallies.forEach((e, k) => {
      if (e.ideal > 0) (results[k] as Effectiveness).perEpoch.push(e.earned / e.ideal);
    });
  }
  return { measured: results[0] as Effectiveness, reference: results[1] as Effectiveness };
}

/** Earned ÷ ideal over all duties; never above 1 (every term's earned is at most its ideal, checked per reward). */
export function earnedFraction(e: Effectiveness): number {
  const earned = e.attestations.earned + e.proposals.earned + e.sync.earned;
  const ideal = e.attestations.ideal + e.proposals.ideal + e.sync.ideal;
  if (earned > ideal) throw new RewardAboveIdealError("the validator set", earned, ideal);
  return ideal === 0 ? Number.NaN : earned / ideal;
}

/** Wilson score interval (95%) of a success proportion. */
export function wilson(succeeded: number, n: number, z = 1.96): [number, number] {
  if (n === 0) return [Number.NaN, Number.NaN];
  const p = succeeded / n;
  const d = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / d;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** Mean and 95% normal interval of per-epoch values. */
export function meanInterval(xs: readonly number[]): { mean: number; low: number; high: number } {
  const n = xs.length;
  if (n === 0) return { mean: Number.NaN, low: Number.NaN, high: Number.NaN };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = n < 2 ? 0 : Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
  const half = (1.96 * sd) / Math.sqrt(n);
  return { mean, low: mean - half, high: mean + half };
}
