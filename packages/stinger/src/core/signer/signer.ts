import type { BeaconConfig } from "@lodestar/config";
import type { SlashingProtectionDB } from "../../slashing/db.ts";
import type { AttestationSigningRequest, BlockSigningRequest } from "../../slashing/rules.ts";
import {
  type Duty,
  dutyKey,
  type ParSignedData,
  type Signer,
  type SigningItem,
  type SigningOutcome,
  type UnsignedData,
} from "../interfaces.ts";
import { PipelineError } from "../pipelineError.ts";
import { computeDutySigningRoot } from "./signingRoot.ts";
import type { ValidatorKeys } from "./validatorKeys.ts";

const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString("hex")}`;

/**
 * Signs with this operator's key shares. Slashable messages (attestations, blocks) are checked against and recorded in
 * the EIP-3076 DB first — one fsynced batch per call — so no partial of a conflicting message ever exists, even after
 * a crash between signing and broadcasting. Non-slashable duties (RANDAO, selection proofs, sync) sign directly.
 */
export class ShareSigner implements Signer {
  private readonly config: BeaconConfig;
  private readonly slotsPerEpoch: number;
  private readonly keys: ValidatorKeys;
  private readonly db: SlashingProtectionDB;

  constructor(opts: { config: BeaconConfig; slotsPerEpoch: number; keys: ValidatorKeys; db: SlashingProtectionDB }) {
    this.config = opts.config;
    this.slotsPerEpoch = opts.slotsPerEpoch;
    this.keys = opts.keys;
    this.db = opts.db;
  }

  /** Signs one duty; throws `ERR_DUTY_SLASHABLE` when slashing protection refuses it. */
  async sign(duty: Duty, data: UnsignedData): Promise<ParSignedData> {
    const [outcome] = await this.signBatch([{ duty, data }]);
    if (outcome === undefined || !outcome.ok) {
      throw new PipelineError({
        code: "ERR_DUTY_SLASHABLE",
        duty: dutyKey(duty),
        reason: outcome?.ok === false ? outcome.reason : "no outcome",
      });
    }
    return outcome.partial;
  }

  /** Signs a batch (e.g. every validator's attestation of a slot) with one slashing-DB write per message kind. */
  async signBatch(items: readonly SigningItem[]): Promise<SigningOutcome[]> {
    const roots = items.map((item) => {
      if (item.duty.type !== item.data.type) {
        throw new PipelineError({
          code: "ERR_DUTY_DATA_INVALID",
          reason: `${dutyKey(item.duty)} got ${item.data.type} data`,
        });
      }
      return computeDutySigningRoot(this.config, this.slotsPerEpoch, item.data);
    });
    const verdicts = new Map<number, string | null>();
    const atts: { i: number; req: AttestationSigningRequest }[] = [];
    const blocks: { i: number; req: BlockSigningRequest }[] = [];
    items.forEach((item, i) => {
      const v = this.keys.get(item.duty.validator, item.duty.slot);
      const root = hex(roots[i] as Uint8Array);
      if (item.data.type === "attester") {
        const d = item.data.data;
        atts.push({
          i,
          req: {
            pubkey: v.pubkeyHex,
            source: BigInt(d.source.epoch),
            target: BigInt(d.target.epoch),
            signingRoot: root,
          },
        });
      } else if (item.data.type === "proposer") {
        blocks.push({ i, req: { pubkey: v.pubkeyHex, slot: BigInt(item.data.data.slot), signingRoot: root } });
      }
    });
    if (atts.length > 0) {
      const res = await this.db.checkAndInsertAttestations(atts.map((a) => a.req));
      res.forEach((r, k) => {
        verdicts.set((atts[k] as { i: number }).i, r.ok ? null : r.reason);
      });
    }
    if (blocks.length > 0) {
      const res = await this.db.checkAndInsertBlocks(blocks.map((b) => b.req));
      res.forEach((r, k) => {
        verdicts.set((blocks[k] as { i: number }).i, r.ok ? null : r.reason);
      });
    }
    return items.map((item, i): SigningOutcome => {
      const refused = verdicts.get(i);
      if (typeof refused === "string") return { ok: false, duty: item.duty, reason: refused };
      const root = roots[i] as Uint8Array;
      const signature = this.keys.get(item.duty.validator, item.duty.slot).secretShare.sign(root).toBytes();
      return { ok: true, partial: { duty: item.duty, signingRoot: root, signature, shareIndex: this.keys.shareIndex } };
    });
  }
}
