import {
  getOracleFrameSnapshot,
  getOracleReport,
  getOracleState,
  type NektarContracts,
  type NektarReadClient,
  type OracleConfig,
} from "@nektar/sdk";
import { formatEther } from "viem";
import { SLOTS_PER_EPOCH } from "./status.ts";

/** Oracle frame length on the devnet, in epochs. */
export const ORACLE_FRAME_EPOCHS = 4;

/**
 * The devnet's oracle timing: frames of `ORACLE_FRAME_EPOCHS` minimal-preset epochs at the devnet's slot time and a
 * two-epoch challenge window, so the Stinger nodes report and apply every few epochs. The oracle's genesis must be the
 * beacon genesis (`up.ts` gives both the same second): a frame's snapshot anchors at a slot time counted from it.
 */
export function devnetOracleConfig(slotSeconds: number): Partial<OracleConfig> {
  return {
    secondsPerSlot: BigInt(slotSeconds),
    slotsPerEpoch: BigInt(SLOTS_PER_EPOCH),
    frameSlots: BigInt(ORACLE_FRAME_EPOCHS * SLOTS_PER_EPOCH),
    // Two epochs: 16 nodes on two cores take several slots to fetch the anchored state and rebuild a report.
    challengeWindow: BigInt(2 * SLOTS_PER_EPOCH * slotSeconds),
    reporterBondUnits: 100,
  };
}

/**
 * Event lines for `npm start` as the operators' reports move: the frame anchored on-chain (its snapshot: anchor slot
 * and the vault ether the frame will pull), posted (by which operator, the numbers, the end of the challenge window),
 * voided by a dispute, applied, rejected by the share-rate limits or superseded.
 */
export function oracleEvents(p: { client: NektarReadClient; contracts: NektarContracts }) {
  const seen = new Map<bigint, string>();
  const anchored = new Set<bigint>();
  return {
    async poll(): Promise<string[]> {
      const s = await getOracleState(p.client, { contracts: p.contracts });
      const lines: string[] = [];
      if (!anchored.has(s.currentFrame)) {
        const snap = await getOracleFrameSnapshot(p.client, { contracts: p.contracts, frame: s.currentFrame });
        if (snap.anchorTimestamp !== 0n) {
          anchored.add(s.currentFrame);
          lines.push(
            `oracle frame ${s.currentFrame}: anchored at ${snap.anchorTimestamp}, vault pull ${formatEther(snap.vaultPull)} ETH`,
          );
        }
      }
      for (const frame of [s.currentFrame - 1n, s.currentFrame]) {
        if (frame < 0n) continue;
        const r = await getOracleReport(p.client, { contracts: p.contracts, frame });
        const key = `${r.status}:${r.version}`;
        if (r.status === "none" || seen.get(frame) === key) continue;
        seen.set(frame, key);
        const who = r.reporterOperatorId === 0n ? "by proofs" : `by operator ${r.reporterOperatorId}`;
        const numbers = `${r.count} validators, ${r.balanceSum} gwei, vault pull ${formatEther(r.withdrawalVaultBalance)} ETH`;
        lines.push(
          r.status === "pending"
            ? `oracle frame ${frame}: report posted ${who} (${numbers}), challenge window until ${r.disputeDeadline}`
            : r.status === "voided"
              ? `oracle frame ${frame}: report ${who} voided by a dispute`
              : `oracle report frame ${frame} ${r.status}: ${numbers} (${who})`,
        );
      }
      for (const frame of [...seen.keys()]) if (frame < s.currentFrame - 4n) seen.delete(frame);
      for (const frame of [...anchored]) if (frame < s.currentFrame - 4n) anchored.delete(frame);
      return lines;
    },
  };
}
