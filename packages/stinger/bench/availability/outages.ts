/**
 * Random node outages: each node alternates up and down periods of geometric length (a two-state Markov chain per
 * slot), with mean outage `meanOutageSlots` and mean up period chosen so the node is up `uptime` of the time. Nodes start
 * in the stationary distribution (down with probability 1 − uptime). Mainnet outages of minutes to hours are 5 to
 * 300+ slots of 12 s; a bench of a few hundred slots scales them down to a few slots to tens of slots.
 */
export { prng } from "../../test/unit/core/agreement/sim.ts";

export type OutageModel = { uptime: number; meanOutageSlots: number };

/** `down[node][k]`: whether `node` is down during slot `fromSlot + k`, for `slots` slots. */
export function outageSchedule(nodes: number, slots: number, model: OutageModel, random: () => number): boolean[][] {
  if (!(model.uptime > 0 && model.uptime <= 1)) throw new RangeError(`uptime ${model.uptime} not in (0, 1]`);
  if (!(model.meanOutageSlots >= 1)) throw new RangeError(`mean outage ${model.meanOutageSlots} slots < 1`);
  const pRecover = 1 / model.meanOutageSlots;
  const meanUp = (model.meanOutageSlots * model.uptime) / (1 - model.uptime);
  const pFail = model.uptime === 1 ? 0 : 1 / meanUp;
  return Array.from({ length: nodes }, () => {
    let down = random() >= model.uptime;
    const out: boolean[] = [];
    for (let k = 0; k < slots; k++) {
      out.push(down);
      down = down ? random() >= pRecover : random() < pFail;
    }
    return out;
  });
}

/** Fraction of node-slots up. */
export function measuredUptime(schedule: readonly boolean[][]): number {
  let up = 0;
  let all = 0;
  for (const node of schedule)
    for (const down of node) {
      all++;
      if (!down) up++;
    }
  return all === 0 ? 1 : up / all;
}
