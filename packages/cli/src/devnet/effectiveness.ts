import { api } from "./inclusion.ts";
import { SLOTS_PER_EPOCH } from "./status.ts";

type AttestationsRewards = {
  ideal_rewards: { effective_balance: string; head: string; target: string; source: string }[];
  total_rewards: { validator_index: string; head: string; target: string; source: string; inactivity: string }[];
};

/** Earned ÷ ideal attestation rewards of the distributed validators and of the devnet's own validators. */
export type Effectiveness = { dv: number | undefined; devnet: number | undefined };

/**
 * Attestation effectiveness from the standard rewards endpoint (`POST /eth/v1/beacon/rewards/attestations/{epoch}`,
 * final once the head reaches the last slot of the next epoch): what the distributed validators earned as a fraction
 * of a perfect validator's ideal rewards, next to the same fraction for the devnet's own validators over the same
 * epochs (what the chain and host lost by themselves). Counted from the first epoch with an active distributed validator.
 */
export function createEffectivenessTracker(baseUrl: string) {
  const sums = { dv: { earned: 0, ideal: 0 }, devnet: { earned: 0, ideal: 0 } };
  let nextEpoch: number | undefined;
  const fraction = (s: { earned: number; ideal: number }) => (s.ideal === 0 ? undefined : s.earned / s.ideal);
  return {
    /** Call each slot with the head slot and the active distributed validators' indices. */
    async update(headSlot: number, dvIndices: readonly number[]): Promise<void> {
      if (dvIndices.length === 0) return;
      nextEpoch ??= Math.floor(headSlot / SLOTS_PER_EPOCH);
      const dv = new Set(dvIndices);
      while ((nextEpoch + 2) * SLOTS_PER_EPOCH - 1 <= headSlot) {
        const epoch = nextEpoch;
        nextEpoch++;
        const r = await api<AttestationsRewards>(baseUrl, `/eth/v1/beacon/rewards/attestations/${epoch}`, []);
        if (r === undefined) continue;
        // Effective balances of the state the rewards were computed from.
        const balances = await api<{ index: string; validator: { effective_balance: string } }[]>(
          baseUrl,
          `/eth/v1/beacon/states/${(epoch + 2) * SLOTS_PER_EPOCH - 1}/validators`,
        );
        const balanceOf = new Map((balances ?? []).map((v) => [v.index, v.validator.effective_balance]));
        const idealOf = new Map(r.ideal_rewards.map((i) => [i.effective_balance, i]));
        for (const t of r.total_rewards) {
          const ideal = idealOf.get(balanceOf.get(t.validator_index) ?? "");
          if (ideal === undefined) continue;
          const s = dv.has(Number(t.validator_index)) ? sums.dv : sums.devnet;
          s.earned += Number(t.head) + Number(t.target) + Number(t.source) + Number(t.inactivity);
          s.ideal += Number(ideal.head) + Number(ideal.target) + Number(ideal.source);
        }
      }
    },
    effectiveness(): Effectiveness {
      return { dv: fraction(sums.dv), devnet: fraction(sums.devnet) };
    },
  };
}
