import type { bellatrix } from "@lodestar/types";
import { type DutyDefinition, DutyType } from "../core/interfaces.ts";
import type { SlotClock } from "../core/scheduler/slotClock.ts";
import type { ValidatorKeys } from "../core/signer/validatorKeys.ts";

/** Epochs one registration timestamp lasts: the signed message only changes at a period boundary (~27 h on mainnet). */
export const REGISTRATION_PERIOD_EPOCHS = 256;
/** Gas limit the registrations ask builders for (mainnet default of current clients). */
export const DEFAULT_REGISTRATION_GAS_LIMIT = 36_000_000;

export type BuilderRegistrationsOptions = {
  clock: SlotClock;
  keys: Pick<ValidatorKeys, "all">;
  /** `Scheduler.addDuty`: the duty runs through the pipeline like any other (11 partials, combined, broadcast). */
  addDuty: (definition: DutyDefinition) => void;
  gasLimit?: number;
};

/**
 * Validator registrations of the cluster's validators for the builder flow, signed by the distributed validator: a
 * deterministic `builder_registration` duty at the first slot of every epoch for each validator whose lock names a
 * fee recipient. Every operator derives the same message — the lock's fee recipient, the gas limit, the validator's
 * group key and, as timestamp, the start of the duty's {@link REGISTRATION_PERIOD_EPOCHS}-epoch period — so the
 * partials combine without an agreement round, and the message (hence its signing root and group signature) stays
 * the same from epoch to epoch until the period or the lock changes. Combined, it is sent with `registerValidator`.
 */
export class BuilderRegistrations {
  private readonly o: BuilderRegistrationsOptions & { gasLimit: number };
  private timer: NodeJS.Timeout | undefined;
  private stopped = true;

  constructor(opts: BuilderRegistrationsOptions) {
    this.o = { gasLimit: DEFAULT_REGISTRATION_GAS_LIMIT, ...opts };
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

  /** The duties of the epoch starting at `epoch` (one per validator with a fee recipient). */
  duties(epoch: number): DutyDefinition[] {
    const slot = epoch * this.o.clock.slotsPerEpoch;
    return this.o.keys
      .all()
      .filter((v) => v.feeRecipient !== undefined)
      .map((v) => ({ duty: { slot, type: DutyType.builderRegistration, validator: v.index }, pubkey: v.pubkey }));
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
    for (const d of this.duties(next)) this.o.addDuty(d);
    const at = clock.slotStartMs(next * clock.slotsPerEpoch);
    this.timer = setTimeout(() => this.scheduleNext(), Math.max(0, at - clock.now()) + 10);
  }
}
