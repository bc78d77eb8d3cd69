import { existsSync, readFileSync } from "node:fs";
import type { bellatrix } from "@lodestar/types";
import {
  type Broadcaster,
  type BroadcastResult,
  type DutyDefinition,
  DutyType,
  type SignedDuty,
} from "../core/interfaces.ts";
import type { SlotClock } from "../core/scheduler/slotClock.ts";
import type { ValidatorKeys } from "../core/signer/validatorKeys.ts";
import { writeFileAtomic } from "../storage/atomicFile.ts";

/** Epochs one registration timestamp lasts: the signed message only changes at a period boundary (~27 h on mainnet). */
export const REGISTRATION_PERIOD_EPOCHS = 256;
/** Gas limit the registrations ask builders for (mainnet default of current clients). */
export const DEFAULT_REGISTRATION_GAS_LIMIT = 36_000_000;

export type BuilderRegistrationsOptions = {
  clock: SlotClock;
  keys: Pick<ValidatorKeys, "all">;
  /** `Scheduler.addDuty`: the duty runs through the pipeline like any other (11 partials, combined, broadcast). */
  addDuty: (definition: DutyDefinition) => void;
  /**
   * Re-sends registrations this node already holds combined (`registerValidator`): every epoch but a period's first,
   * the cached signed messages go to the beacon node without a duty. Rejections are the caller's to log.
   */
  resend?: (registrations: bellatrix.SignedValidatorRegistrationV1[]) => Promise<void>;
  gasLimit?: number;
  /**
   * Where the signed registrations are kept across restarts (JSON, written atomically): a node restarted mid-period
   * re-sends them instead of running a duty its peers, who hold them, do not sign. Absent: memory only.
   */
  file?: string;
  /** Told when the {@link file} cannot be written (the registrations stay cached in memory). */
  onPersistError?: (error: Error) => void;
};

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const bytes = (h: unknown, length: number): Uint8Array | undefined => {
  if (typeof h !== "string" || !new RegExp(`^[0-9a-f]{${2 * length}}$`).test(h)) return undefined;
  return Uint8Array.from(Buffer.from(h, "hex"));
};

type StoredRegistration = {
  feeRecipient: string;
  gasLimit: number;
  timestamp: number;
  pubkey: string;
  signature: string;
};

/** The signed registrations of a {@link BuilderRegistrationsOptions.file}; entries of the wrong shape are skipped. */
export function readRegistrations(file: string): bellatrix.SignedValidatorRegistrationV1[] {
  if (!existsSync(file)) return [];
  let stored: unknown;
  try {
    stored = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    return [];
  }
  const list = (stored as { registrations?: unknown }).registrations;
  if (!Array.isArray(list)) return [];
  return list.flatMap((e: Partial<StoredRegistration>) => {
    const feeRecipient = bytes(e.feeRecipient, 20);
    const pubkey = bytes(e.pubkey, 48);
    const signature = bytes(e.signature, 96);
    const { gasLimit, timestamp } = e;
    if (feeRecipient === undefined || pubkey === undefined || signature === undefined) return [];
    if (!Number.isSafeInteger(gasLimit) || !Number.isSafeInteger(timestamp)) return [];
    return [
      { message: { feeRecipient, gasLimit: gasLimit as number, timestamp: timestamp as number, pubkey }, signature },
    ];
  });
}

function writeRegistrations(file: string, signed: Iterable<bellatrix.SignedValidatorRegistrationV1>): void {
  const registrations: StoredRegistration[] = [...signed].map(({ message, signature }) => ({
    feeRecipient: hex(message.feeRecipient),
    gasLimit: message.gasLimit,
    timestamp: message.timestamp,
    pubkey: hex(message.pubkey),
    signature: hex(signature),
  }));
  writeFileAtomic(file, `${JSON.stringify({ version: 1, registrations }, null, 1)}\n`);
}
/** What a registration says besides its timestamp: a change of any of these needs a new signature. */
const cacheKey = (feeRecipient: Uint8Array, gasLimit: number, pubkey: Uint8Array) =>
  `${hex(feeRecipient)}/${gasLimit}/${hex(pubkey)}`;
const keyOf = (m: bellatrix.ValidatorRegistrationV1) => cacheKey(m.feeRecipient, m.gasLimit, m.pubkey);

/**
 * Validator registrations of the cluster's validators for the builder flow, signed by the distributed validator
 * whatever this node's own `builder_boost_factor` (the registration is the cluster's; the factor a node preference): a
 * deterministic `builder_registration` duty at the first slot of an epoch for each validator whose lock names a
 * fee recipient. Every operator derives the same message — the lock's fee recipient, the gas limit, the validator's
 * group key and, as timestamp, the start of the duty's {@link REGISTRATION_PERIOD_EPOCHS}-epoch period — so the
 * partials combine without an agreement round, and the message (hence its signing root and group signature) stays
 * the same from epoch to epoch until the period or the lock changes. Combined, it is sent with `registerValidator`.
 *
 * Signed once, sent every epoch: the combined message is cached per (fee recipient, gas limit, validator key) when
 * the pipeline publishes it ({@link observe}), and later epochs re-send the cached message ({@link resend}) instead
 * of running the duty again (builders keep a registration's timestamp: a fixed one is valid). The duty runs again
 * only when nothing is cached for the validator's current (fee recipient, gas limit, key) — a new validator, a lock
 * change, a restarted node — and for every validator at the start of each {@link REGISTRATION_PERIOD_EPOCHS} period,
 * so that an operator whose cache was lost (the others do not sign mid-period) holds it again at the next period and
 * relays see a fresh timestamp once a period. With a {@link BuilderRegistrationsOptions.file} the cache survives a
 * restart of the node.
 */
export class BuilderRegistrations {
  private readonly o: BuilderRegistrationsOptions & { gasLimit: number };
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;
  private readonly signed = new Map<string, bellatrix.SignedValidatorRegistrationV1>();

  constructor(opts: BuilderRegistrationsOptions) {
    this.o = { gasLimit: DEFAULT_REGISTRATION_GAS_LIMIT, ...opts };
    for (const r of opts.file === undefined ? [] : readRegistrations(opts.file)) this.signed.set(keyOf(r.message), r);
  }

  /** The message a `builder_registration` duty signs, or undefined for a validator without fee recipient. */
  registration(definition: DutyDefinition): bellatrix.ValidatorRegistrationV1 | undefined {
    const { clock } = this.o;
    const v = this.o.keys.all().find((k) => k.index === definition.duty.validator);
    if (v?.feeRecipient === undefined) return undefined;
    const periodSlots = REGISTRATION_PERIOD_EPOCHS * clock.slotsPerEpoch;
    const periodStart = Math.floor(definition.duty.slot / periodSlots) * periodSlots;
    return {
      feeRecipient: v.feeRecipient,
      gasLimit: this.o.gasLimit,
      timestamp: Math.floor(clock.slotStartMs(periodStart) / 1000),
      pubkey: v.pubkey,
    };
  }

  /**
   * The epoch starting at `epoch`: `duties` to run (one per validator with a fee recipient whose current registration
   * is not cached, or every such validator at a period's first epoch) and the cached signed registrations to re-send.
   */
  epoch(epoch: number): { duties: DutyDefinition[]; resend: bellatrix.SignedValidatorRegistrationV1[] } {
    const slot = epoch * this.o.clock.slotsPerEpoch;
    const periodStart = epoch % REGISTRATION_PERIOD_EPOCHS === 0;
    const duties: DutyDefinition[] = [];
    const resend: bellatrix.SignedValidatorRegistrationV1[] = [];
    for (const v of this.o.keys.all()) {
      if (v.feeRecipient === undefined) continue;
      const cached = this.signed.get(cacheKey(v.feeRecipient, this.o.gasLimit, v.pubkey));
      if (cached !== undefined && !periodStart) resend.push(cached);
      else duties.push({ duty: { slot, type: DutyType.builderRegistration, validator: v.index }, pubkey: v.pubkey });
    }
    return { duties, resend };
  }

  /** Caches the registrations of a broadcast batch the beacon node accepted (or already had). */
  remember(result: BroadcastResult): void {
    let added = false;
    for (const item of [...result.published, ...result.duplicates]) {
      if (item.data.type !== DutyType.builderRegistration) continue;
      const message = item.data.data;
      this.signed.set(keyOf(message), { message, signature: item.signature.signature });
      added = true;
    }
    if (!added || this.o.file === undefined) return;
    try {
      writeRegistrations(this.o.file, this.signed.values());
    } catch (e) {
      this.o.onPersistError?.(e as Error);
    }
  }

  /** The pipeline's broadcaster, with every registration it publishes cached here. */
  observe(broadcaster: Broadcaster): Broadcaster {
    return {
      broadcastBatch: async (items: readonly SignedDuty[]) => {
        const result = await broadcaster.broadcastBatch(items);
        this.remember(result);
        return result;
      },
      prune: (slot) => broadcaster.prune(slot),
    };
  }

  start(): void {
    this.stopped = false;
    this.scheduleNext();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Adds the next epoch's duties now and comes back at that epoch's start for the one after. */
  private scheduleNext(): void {
    if (this.stopped) return;
    const { clock } = this.o;
    const next = clock.epochOf(clock.currentSlot()) + 1;
    const { duties, resend } = this.epoch(next);
    for (const d of duties) this.o.addDuty(d);
    if (resend.length > 0) void this.o.resend?.(resend);
    const at = clock.slotStartMs(next * clock.slotsPerEpoch);
    this.timer = setTimeout(() => this.scheduleNext(), Math.max(0, at - clock.now()) + 10);
  }
}
