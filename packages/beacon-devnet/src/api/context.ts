import type { Logger } from "pino";
import type { BlobStore } from "../blobs/blobs.ts";
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
  /** Blobs each produced block carries (0: none). */
  blobsPerBlock: number;
  /** Blobs published with imported blocks, by block root. */
  blobs: BlobStore;
};
