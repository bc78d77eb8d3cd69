import { getOracleState, type NektarReadClient } from "@nektar/sdk";
import type { Logger } from "../logger/logger.ts";
import type { ValidatorSupervisor } from "../node/validatorSupervisor.ts";

/**
 * `stinger run` following the registry: per-share performance statements over the accounting oracle's frames. The
 * frames are the oracle's (`frameAt`: its genesis and `frameSeconds`, read through the SDK; the devnet's oracle genesis
 * is its deployment time, not the beacon genesis), and a frame must be a whole number of the beacon node's slots, else
 * nothing is enabled (a warning says why). Returns the frame length in slots, or undefined when not enabled.
 */
export async function enablePerformanceStatements(p: {
  client: NektarReadClient;
  contracts: { accountingOracle: `0x${string}` };
  chainId: number;
  beacon: { secondsPerSlot: number };
  supervisor: ValidatorSupervisor;
  logger: Logger;
}): Promise<number | undefined> {
  let oracle: Awaited<ReturnType<typeof getOracleState>>;
  try {
    oracle = await getOracleState(p.client, { contracts: p.contracts });
  } catch (e) {
    p.logger.warn("Could not read the accounting oracle's frame: performance statements are off", {}, e);
    return undefined;
  }
  if (oracle.frameSeconds % BigInt(p.beacon.secondsPerSlot) !== 0n) {
    p.logger.warn("The accounting oracle's frame is not a whole number of slots: performance statements are off", {
      frameSeconds: String(oracle.frameSeconds),
      beaconSecondsPerSlot: p.beacon.secondsPerSlot,
      hint: "point --rpc/--manifest and --beacon-node at the same network",
    });
    return undefined;
  }
  const frameSlots = Number(oracle.frameSeconds / BigInt(p.beacon.secondsPerSlot));
  await p.supervisor.enablePerformance({
    frameSlots,
    frames: { genesisTime: Number(oracle.genesisTime), frameSeconds: Number(oracle.frameSeconds) },
    chainId: BigInt(p.chainId),
    oracle: p.contracts.accountingOracle,
  });
  return frameSlots;
}
