import type { ApiClient } from "@lodestar/api";
import type { SlotClock } from "../core/scheduler/slotClock.ts";
import type { ValidatorKeys } from "../core/signer/validatorKeys.ts";
import type { Logger } from "../logger/logger.ts";

export type ProposerPreparationOptions = {
  api: ApiClient;
  clock: SlotClock;
  keys: Pick<ValidatorKeys, "all">;
  logger: Logger;
};

/**
 * Tells the beacon node, at start and then every epoch (beacon nodes forget preparations after a few epochs), which
 * fee recipient each cluster validator's blocks pay: the protocol's withdrawal vault from the validator's lock
 * (`prepareBeaconProposer`). The validity step refuses any proposed block that pays another address, so a beacon node
 * that ignored this registration costs the proposal instead of the rewards.
 */
export class ProposerPreparation {
  private readonly o: ProposerPreparationOptions;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(opts: ProposerPreparationOptions) {
    this.o = opts;
  }

  /** The registrations sent: validators whose lock names a fee recipient. */
  proposers(): { validatorIndex: number; feeRecipient: string }[] {
    return this.o.keys
      .all()
      .flatMap((v) =>
        v.feeRecipient === undefined
          ? []
          : [{ validatorIndex: v.index, feeRecipient: `0x${Buffer.from(v.feeRecipient).toString("hex")}` }],
      );
  }

  start(): void {
    this.stopped = false;
    void this.prepare();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Sends the registrations now and schedules the next at the next epoch's first slot. */
  async prepare(): Promise<void> {
    const proposers = this.proposers();
    if (proposers.length > 0) {
      try {
        const res = await this.o.api.validator.prepareBeaconProposer({ proposers });
        if (!res.ok) this.o.logger.warn("prepareBeaconProposer refused", { status: res.status });
      } catch (e) {
        this.o.logger.warn("prepareBeaconProposer failed; retrying next epoch", { reason: (e as Error).message });
      }
    }
    if (this.stopped) return;
    const { clock } = this.o;
    const next = (clock.epochOf(clock.currentSlot()) + 1) * clock.slotsPerEpoch;
    this.timer = setTimeout(() => void this.prepare(), Math.max(0, clock.slotStartMs(next) - clock.now()));
  }
}
