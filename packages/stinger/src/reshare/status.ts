import type { Hex } from "viem";
import { readReshareRecord } from "./switch.ts";

/** One resharing this node took part in, as `stinger operator status` and the node's `GET /status` show it. */
export type ReshareStatus = {
  validator: Hex;
  /** The registry request's nonce (decimal). */
  nonce: string;
  /** The seat that changed hands (the newcomer's seat from then on). */
  seat: number;
  /** `newcomer`: this node took the seat over; `member`: it kept its seat and got a new share. */
  role: "newcomer" | "member";
  switchEpoch: number;
  /**
   * `switching`: the outputs are written, the old shares sign until `switchEpoch`; `switched`: the new ones sign;
   * `completed`: the current epoch is not known (read from the data dir without a beacon node).
   */
  state: "switching" | "switched" | "completed";
  dir: string;
};

/** The resharings whose outputs are in `dirs` (validator directories), oldest switch first. */
export function reshareStatuses(dirs: readonly string[], currentEpoch?: number): ReshareStatus[] {
  return dirs
    .flatMap((dir) => {
      const r = readReshareRecord(dir);
      if (r === null) return [];
      const state: ReshareStatus["state"] =
        currentEpoch === undefined ? "completed" : currentEpoch < r.switchEpoch ? "switching" : "switched";
      return [
        {
          validator: r.validator,
          nonce: r.nonce,
          seat: r.leavingIndex,
          role: r.slashingAttesters === null ? ("member" as const) : ("newcomer" as const),
          switchEpoch: r.switchEpoch,
          state,
          dir,
        },
      ];
    })
    .sort((a, b) => a.switchEpoch - b.switchEpoch);
}

/** Lines for `stinger operator status`: one per resharing. */
export function reshareLines(statuses: readonly ReshareStatus[]): string[] {
  if (statuses.length === 0) return ["  reshares:      none"];
  return [
    `  reshares:      ${statuses.length}`,
    ...statuses.map(
      (s) =>
        `    ${s.validator.slice(0, 18)}… seat ${s.seat} (${s.role === "newcomer" ? "taken over" : "kept, new share"}), ` +
        `${s.state === "switching" ? "switches" : s.state === "switched" ? "switched" : "switch"} at epoch ${s.switchEpoch}`,
    ),
  ];
}
