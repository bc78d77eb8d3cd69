import type { Logger } from "pino";
import type { BeaconChain } from "../chain/chain.ts";
import type { SlotClock } from "../chain/clock.ts";
import type { AttestationPool } from "../pool/attestationPool.ts";
import type { SyncCommitteePool } from "../pool/syncCommitteePool.ts";
import type { VoluntaryExitPool } from "../pool/voluntaryExitPool.ts";

/** Everything the API handlers read or write. */
export type ApiContext = {
  chain: BeaconChain;
  clock: SlotClock;
  attestationPool: AttestationPool;
  syncCommitteePool: SyncCommitteePool;
  voluntaryExitPool: VoluntaryExitPool;
  logger: Logger;
  version: string;
};
