import { SecretKey } from "@chainsafe/blst";
import { byteArrayEquals } from "@chainsafe/ssz";
import { scalarToBytes } from "../field/scalar.ts";
import { Ceremony } from "./ceremony.ts";
import { CeremonyDriver } from "./driver.ts";
import { DkgUsageError } from "./errors.ts";
import { secureRandom } from "./random.ts";
import type { DkgConfig, DkgResult, RandomSource } from "./types.ts";

/** Default deployment: 16 operators, any 11 can sign. */
export const DEFAULT_DKG_PARTICIPANTS = 16;
export const DEFAULT_DKG_THRESHOLD = 11;

/**
 * One member's side of a joint-Feldman DKG, as a transport-independent state machine.
 *
 * Drive it like this: `start()` and send what it returns; feed every received message to `receive(from, msg)` (a
 * throw means: drop and count the message); when `isRoundComplete()` or the round's timeout fires, call
 * `closeRound()` and send what it returns. After the third `closeRound()` the phase is "done" and `result()` holds
 * the key share, or the phase is "aborted" and `closeRound()` threw DkgAbortedError.
 *
 * Rounds: 1 dealing (commitment + PoP broadcast, shares point-to-point), 2 complaints (every member broadcasts the
 * digest of each dealer's commitment it accepted and whether its share from that dealer is valid), 3 answers (a
 * disputed dealer broadcasts the commitment it stands by and reveals the disputed shares), then QUAL and the key.
 */
export class DkgParticipant extends CeremonyDriver {
  readonly config: DkgConfig;

  constructor(config: DkgConfig, random: RandomSource = secureRandom) {
    const n = config.participants.length;
    if (!Number.isInteger(config.self) || config.self < 1 || config.self > n) {
      throw new DkgUsageError({
        code: "ERR_DKG_INVALID_CONFIG",
        reason: `self ${config.self} is not a share index 1..${n}`,
      });
    }
    const addresses = new Set(config.participants.map((p) => p.address.toLowerCase()));
    if (addresses.size !== n)
      throw new DkgUsageError({ code: "ERR_DKG_INVALID_CONFIG", reason: "duplicate participant" });
    super(
      new Ceremony({
        sessionId: config.sessionId,
        dealerCount: n,
        recipientCount: n,
        threshold: config.threshold,
        minQualified: config.threshold,
        selfDealer: config.self,
        selfRecipient: config.self,
        secret: null,
        expectedConstants: null,
        combine: "sum",
        expectedGroupPublicKey: null,
        random,
      }),
    );
    this.config = config;
  }

  result(): DkgResult | undefined {
    const o = this.ceremony.outcome;
    if (o === undefined || o.groupPublicKey === null || o.sharePublicKeys === null || o.secret === null)
      return undefined;
    const secretKey = scalarToBytes(o.secret);
    const own = SecretKey.fromBytes(secretKey).toPublicKey().toBytes();
    if (!byteArrayEquals(own, o.sharePublicKeys[this.config.self - 1] as Uint8Array)) {
      // Cannot happen with the checks above; refuse to hand out a share that would sign wrongly.
      throw new DkgUsageError({
        code: "ERR_DKG_INVALID_PHASE",
        action: "result (share/public key mismatch)",
        phase: this.phase,
      });
    }
    return {
      groupPublicKey: o.groupPublicKey,
      sharePublicKeys: o.sharePublicKeys,
      qualified: o.qualified,
      keyShare: { shareIndex: this.config.self, secretKey },
    };
  }
}
