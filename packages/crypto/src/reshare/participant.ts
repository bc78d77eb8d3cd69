import { PublicKey, SecretKey } from "@chainsafe/blst";
import { byteArrayEquals } from "@chainsafe/ssz";
import { Ceremony } from "../dkg/ceremony.ts";
import { CeremonyDriver } from "../dkg/driver.ts";
import { DkgUsageError } from "../dkg/errors.ts";
import { secureRandom } from "../dkg/random.ts";
import type { OperatorIdentity, RandomSource } from "../dkg/types.ts";
import { scalarFromBytes, scalarToBytes } from "../field/scalar.ts";
import type { KeyShare } from "../threshold/types.ts";

export type ReshareConfig = {
  /** From computeReshareSessionId. */
  sessionId: Uint8Array;
  /** The validator key, which stays the same. */
  groupPublicKey: Uint8Array;
  /** Old set, ordered (old id = index + 1), its threshold and share public keys (index = old id - 1). */
  oldParticipants: readonly OperatorIdentity[];
  oldThreshold: number;
  oldSharePublicKeys: readonly Uint8Array[];
  /** New set, ordered (new id = index + 1), and its threshold. */
  newParticipants: readonly OperatorIdentity[];
  newThreshold: number;
  /** This member's share in the old set (it deals), if it is an old member. */
  oldKeyShare: KeyShare | null;
  /** This member's id in the new set (it receives), if it is a new member. */
  newOperatorId: number | null;
};

export type ReshareResult = {
  groupPublicKey: Uint8Array;
  /** New share public keys, index = new id - 1. */
  sharePublicKeys: Uint8Array[];
  /** Old ids of the dealers whose re-dealings make up the new shares. */
  qualified: number[];
  /** This member's new share (null for an old member leaving the set). */
  keyShare: KeyShare | null;
};

/**
 * One member's side of a resharing: every old member deals its old share x_i with a fresh degree t'-1 polynomial
 * g_i (g_i(0) = x_i, so its commitment's constant must equal its old share public key), and every new member j ends
 * with x'_j = Σ_{i∈QUAL} λ_i·g_i(j), λ_i the Lagrange coefficients of QUAL at 0. Same rounds, messages and errors as
 * DkgParticipant; in `receive(from, …)`, `from` is the OLD id for commitment/share/answer messages (sent by dealers)
 * and the NEW id for complaints (sent by recipients). `to: j` in outbound messages is a new id; "all" means every
 * other member of the old and new sets.
 */
export class ReshareParticipant extends CeremonyDriver {
  readonly config: ReshareConfig;

  constructor(config: ReshareConfig, random: RandomSource = secureRandom) {
    const fail = (reason: string): never => {
      throw new DkgUsageError({ code: "ERR_DKG_INVALID_CONFIG", reason });
    };
    if (config.oldSharePublicKeys.length !== config.oldParticipants.length)
      fail("one old share public key per old member");
    for (const [name, list] of [
      ["old", config.oldParticipants],
      ["new", config.newParticipants],
    ] as const) {
      if (new Set(list.map((p) => p.address.toLowerCase())).size !== list.length) fail(`duplicate ${name} participant`);
    }
    try {
      PublicKey.fromBytes(config.groupPublicKey, true);
      for (const pk of config.oldSharePublicKeys) PublicKey.fromBytes(pk, true);
    } catch {
      fail("group or old share public key is not a valid G1 point");
    }
    const old = config.oldKeyShare;
    let secret: bigint | null = null;
    if (old !== null) {
      const expected = config.oldSharePublicKeys[old.shareIndex - 1];
      let own: Uint8Array | undefined;
      try {
        own = SecretKey.fromBytes(old.secretKey).toPublicKey().toBytes();
      } catch {
        fail("old key share is not a valid secret key");
      }
      if (expected === undefined || own === undefined || !byteArrayEquals(own, expected)) {
        fail("old key share does not match its old share public key");
      }
      secret = scalarFromBytes(old.secretKey);
    }
    super(
      new Ceremony({
        sessionId: config.sessionId,
        dealerCount: config.oldParticipants.length,
        recipientCount: config.newParticipants.length,
        threshold: config.newThreshold,
        minQualified: config.oldThreshold,
        selfDealer: old?.shareIndex ?? null,
        selfRecipient: config.newOperatorId,
        secret,
        expectedConstants: config.oldSharePublicKeys,
        combine: "lagrange",
        expectedGroupPublicKey: config.groupPublicKey,
        random,
      }),
    );
    this.config = config;
  }

  result(): ReshareResult | undefined {
    const o = this.ceremony.outcome;
    if (o === undefined || o.groupPublicKey === null || o.sharePublicKeys === null) return undefined;
    const id = this.config.newOperatorId;
    const keyShare = id === null || o.secret === null ? null : { shareIndex: id, secretKey: scalarToBytes(o.secret) };
    return { groupPublicKey: o.groupPublicKey, sharePublicKeys: o.sharePublicKeys, qualified: o.qualified, keyShare };
  }
}
