import type { Logger } from "pino";
import type { BlobStore } from "../blobs/blobs.ts";
import type { BuilderConnection } from "../builder/builderConnection.ts";
import type { RegistrationBook } from "../builder/registrations.ts";
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
  /** Builder flow (`--builder`): the builder blocks come from; absent: local payloads only. */
  builder?: BuilderConnection | null;
  /** Latest verified validator registration per public key (`register_validator`). */
  registrations?: RegistrationBook;
  /** What a local payload is worth in wei, compared with builder bids × `builder_boost_factor` / 100 (default 0). */
  localBlockValueWei?: bigint;
};
