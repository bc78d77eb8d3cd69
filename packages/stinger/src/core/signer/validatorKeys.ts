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
 * A reshared validator's next share set: from the first slot of `fromEpoch` on, duties are signed with it and partial
 * signatures are checked against its share public keys. `secretShare` is null on the leaving operator's node, which
 * then holds no share of the validator from that slot on.
 */
export type ShareSwitch = {
  readonly fromEpoch: number;
  readonly sharePublicKeys: readonly Uint8Array[];
  readonly secretShare: Uint8Array | null;
};

/**
 * The cluster's distributed validators by beacon index. Built once at startup: keys are decoded with subgroup checks,
 * and the secret share must match this operator's share public key, so a wrong keystore fails here, not at a duty.
 */
export class ValidatorKeys {
  readonly shareIndex: number;
  private readonly byIndex = new Map<ValidatorIndex, DistributedValidator>();
  private readonly switches = new Map<ValidatorIndex, { fromSlot: number; next: DistributedValidator | null }>();
  /** First slot this node signs with a validator's share, when a resharing gave it (absent: held from the start). */
  private readonly starts = new Map<ValidatorIndex, number>();

  constructor(shareIndex: number, validators: readonly DistributedValidatorInput[]) {
    this.shareIndex = shareIndex;
    for (const v of validators) this.byIndex.set(v.index, this.decode(v));
  }

  private decode(v: DistributedValidatorInput): DistributedValidator {
    const shareIndex = this.shareIndex;
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
      throw bad(`secret share does not match share public key ${shareIndex}; check the keystore belongs to this lock`);
    }
    return {
      index: v.index,
      pubkey: v.pubkey,
      pubkeyHex: `0x${Buffer.from(v.pubkey).toString("hex")}`,
      groupPublicKey,
      sharePublicKeys,
      secretShare,
      ...(v.feeRecipient !== undefined ? { feeRecipient: v.feeRecipient } : {}),
    };
  }

  /**
   * Switch validator `index` to the share set a resharing produced, from the first slot of `sw.fromEpoch` on (the
   * key checks are the constructor's). Until then every duty keeps using the current shares, so no duty is missed.
   */
  scheduleSwitch(index: ValidatorIndex, sw: ShareSwitch, slotsPerEpoch: number): void {
    const current = this.get(index);
    const next =
      sw.secretShare === null
        ? null
        : this.decode({
            index,
            pubkey: current.pubkey,
            sharePublicKeys: sw.sharePublicKeys,
            secretShare: sw.secretShare,
            ...(current.feeRecipient !== undefined ? { feeRecipient: current.feeRecipient } : {}),
          });
    this.switches.set(index, { fromSlot: sw.fromEpoch * slotsPerEpoch, next });
  }

  /**
   * Hold validator `index` only from the first slot of `fromEpoch` on: the share a resharing dealt to this cluster's
   * operator set, whose duties before the switch another share set signs (this node's previous share, in the
   * previous operator set's pipeline, or none on the newcomer).
   */
  scheduleStart(index: ValidatorIndex, fromEpoch: number, slotsPerEpoch: number): void {
    this.get(index);
    this.starts.set(index, fromEpoch * slotsPerEpoch);
  }

  private notYet(index: ValidatorIndex, slot: number | undefined): boolean {
    return slot !== undefined && slot < (this.starts.get(index) ?? 0);
  }

  /** The validator as held for a duty at `slot` (default: the current shares, whatever the slot). */
  get(index: ValidatorIndex, slot?: number): DistributedValidator {
    const sw = this.switches.get(index);
    const v = this.notYet(index, slot)
      ? null
      : sw !== undefined && slot !== undefined && slot >= sw.fromSlot
        ? sw.next
        : this.byIndex.get(index);
    if (v == null) throw new PipelineError({ code: "ERR_DUTY_UNKNOWN_VALIDATOR", validator: index });
    return v;
  }

  /** Whether this operator holds a share of the validator (for a duty at `slot`, when given). */
  has(index: ValidatorIndex, slot?: number): boolean {
    if (!this.byIndex.has(index) || this.notYet(index, slot)) return false;
    const sw = this.switches.get(index);
    return sw === undefined || slot === undefined || slot < sw.fromSlot || sw.next !== null;
  }

  indices(): ValidatorIndex[] {
    return [...this.byIndex.keys()];
  }

  all(): DistributedValidator[] {
    return [...this.byIndex.values()];
  }
}
