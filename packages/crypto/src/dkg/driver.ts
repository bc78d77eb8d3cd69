import type { Ceremony } from "./ceremony.ts";
import type { DkgAbortedError } from "./errors.ts";
import type { DkgMessage, DkgOutbound, DkgPhase } from "./types.ts";

/**
 * The transport-facing surface shared by the DKG and the resharing participant: both drive one {@link Ceremony} and
 * differ only in how it is configured and what their result is.
 *
 * Drive it like this: `start()` and send what it returns; feed every received message to `receive(from, msg)` (a
 * throw means: drop and count the message); when `isRoundComplete()` or the round's timeout fires, call
 * `closeRound()` and send what it returns.
 */
export abstract class CeremonyDriver {
  protected readonly ceremony: Ceremony;

  protected constructor(ceremony: Ceremony) {
    this.ceremony = ceremony;
  }

  get phase(): DkgPhase {
    return this.ceremony.phase;
  }

  /** 0 before start, 1..3 while running, 4 when finished. */
  get round(): number {
    return this.ceremony.round;
  }

  /** Deal: returns the commitment broadcast and one share message per other member. */
  start(): DkgOutbound[] {
    return this.ceremony.start();
  }

  /**
   * Accept a message from operator `from` (authenticated by the transport). Throws DkgMessageError for wrong session,
   * sender mismatch, wrong recipient, a closed round, duplicates and equivocation (remembered as evidence).
   */
  receive(from: number, msg: DkgMessage): DkgOutbound[] {
    return this.ceremony.receive(from, msg);
  }

  isRoundComplete(): boolean {
    return this.ceremony.isRoundComplete();
  }

  /** End the current round; throws DkgAbortedError when fewer dealers than required stay qualified. */
  closeRound(): DkgOutbound[] {
    return this.ceremony.closeRound();
  }

  /** Why the ceremony aborted, if it did. */
  failure(): DkgAbortedError | undefined {
    return this.ceremony.failure;
  }
}
