import { PublicKey, SecretKey } from "@chainsafe/blst";
import type { ValidatorIndex } from "@lodestar/types";
import { PipelineError } from "../pipelineError.ts";

/** One distributed validator as this operator holds it: group key, own share, every operator's share public key. */
export type DistributedValidator = {
  readonly index: ValidatorIndex;
  /** 48-byte group public key (what the beacon chain knows). */
  readonly pubkey: Uint8Array;
  /** 0x-prefixed lowercase hex of `pubkey` (slashing DB key). */
  readonly pubkeyHex: string;
  /** Subgroup-checked group public key. */
  readonly groupPublicKey: PublicKey;
  /** Share public keys, subgroup-checked, at `shareIndex − 1`. */
  readonly sharePublicKeys: readonly PublicKey[];
  /** This operator's secret share (never logged). */
  readonly secretShare: SecretKey;
  /**
   * 20-byte execution address the validator's blocks must pay (the protocol's withdrawal vault, from the lock's
   * withdrawal credentials); registered with the beacon node and checked in every proposed block.
   */
  readonly feeRecipient?: Uint8Array;
};

export type DistributedValidatorInput = {
  readonly index: ValidatorIndex;
  readonly pubkey: Uint8Array;
  readonly sharePublicKeys: readonly Uint8Array[];
  readonly secretShare: Uint8Array;
  readonly feeRecipient?: Uint8Array;
};

/**
 * The cluster's distributed validators by beacon index. Built once at startup: keys are decoded with subgroup checks,
 * and the secret share must match this operator's share public key, so a wrong keystore fails here, not at a duty.
 */
export class ValidatorKeys {
  readonly shareIndex: number;
  private readonly byIndex = new Map<ValidatorIndex, DistributedValidator>();

  constructor(shareIndex: number, validators: readonly DistributedValidatorInput[]) {
    this.shareIndex = shareIndex;
    for (const v of validators) {
      const bad = (reason: string) =>
        new PipelineError({ code: "ERR_DUTY_DATA_INVALID", reason: `validator ${v.index}: ${reason}` });
      let groupPublicKey: PublicKey;
      let sharePublicKeys: PublicKey[];
      let secretShare: SecretKey;
      try {
        groupPublicKey = PublicKey.fromBytes(v.pubkey, true);
        sharePublicKeys = v.sharePublicKeys.map((k) => PublicKey.fromBytes(k, true));
        secretShare = SecretKey.fromBytes(v.secretShare);
      } catch (e) {
        throw bad(`invalid key material (${(e as Error).message})`);
      }
      if (v.feeRecipient !== undefined && v.feeRecipient.length !== 20) throw bad("fee recipient must be 20 bytes");
      const own = sharePublicKeys[shareIndex - 1];
      if (own === undefined) throw bad(`no share public key for share index ${shareIndex}`);
      if (!Buffer.from(secretShare.toPublicKey().toBytes()).equals(Buffer.from(own.toBytes()))) {
        throw bad(
          `secret share does not match share public key ${shareIndex}; check the keystore belongs to this lock`,
        );
      }
      this.byIndex.set(v.index, {
        index: v.index,
        pubkey: v.pubkey,
        pubkeyHex: `0x${Buffer.from(v.pubkey).toString("hex")}`,
        groupPublicKey,
        sharePublicKeys,
        secretShare,
        ...(v.feeRecipient !== undefined ? { feeRecipient: v.feeRecipient } : {}),
      });
    }
  }

  get(index: ValidatorIndex): DistributedValidator {
    const v = this.byIndex.get(index);
    if (v === undefined) throw new PipelineError({ code: "ERR_DUTY_UNKNOWN_VALIDATOR", validator: index });
    return v;
  }

  has(index: ValidatorIndex): boolean {
    return this.byIndex.has(index);
  }

  indices(): ValidatorIndex[] {
    return [...this.byIndex.keys()];
  }

  all(): DistributedValidator[] {
    return [...this.byIndex.values()];
  }
}
