import { ApiError } from "@lodestar/api/server";
import { toHex } from "@lodestar/utils";
import type { FastifyInstance } from "fastify";
import type { BeaconChain } from "../chain/chain.ts";
import { getValidatorProofs, type LeafProof } from "../proofs/validatorProofs.ts";
import { resolveBlock } from "./resolve.ts";

/** JSON shape of a proof: gindex as a decimal string (it exceeds 2^53), hashes as 0x hex. */
export type LeafProofJson = { gindex: string; leaf: string; witnesses: string[] };

const toJson = (p: LeafProof): LeafProofJson => ({
  gindex: p.gindex.toString(),
  leaf: toHex(p.leaf),
  witnesses: p.witnesses.map((w) => toHex(w)),
});

/**
 * `GET /nektar/v1/proofs/validators/{validator_id}?block_id=head`: SSZ Merkle proofs of a validator's balance,
 * record and record fields against a beacon block root (what the trustless oracle submits on-chain).
 */
export function registerProofRoutes(server: FastifyInstance, chain: BeaconChain): void {
  server.get<{ Params: { validator_id: string }; Querystring: { block_id?: string } }>(
    "/nektar/v1/proofs/validators/:validator_id",
    async (req) => {
      const block = resolveBlock(chain, req.query.block_id ?? "head");
      const id = req.params.validator_id;
      let index: number | null = null;
      if (/^\d{1,15}$/.test(id)) index = Number(id);
      else if (/^0x[0-9a-fA-F]{96}$/.test(id)) {
        index = chain.getStateByBlockRoot(block.rootHex).epochCtx.getValidatorIndex(Buffer.from(id.slice(2), "hex"));
      } else {
        throw new ApiError(400, `Invalid validator id '${id}': use an index or a 0x-prefixed 48-byte public key`);
      }
      const count = chain.getStateByBlockRoot(block.rootHex).validators.length;
      if (index === null || index >= count)
        throw new ApiError(404, `Validator ${id} not found at block ${block.rootHex}`);
      const p = getValidatorProofs(chain, block, index);
      const v = p.validator;
      return {
        data: {
          block_root: toHex(p.blockRoot),
          slot: String(p.slot),
          state_root: toHex(p.stateRoot),
          validator_index: String(p.validatorIndex),
          balance: String(p.balance),
          balance_proof: toJson(p.balanceProof),
          validator: {
            pubkey: toHex(v.pubkey),
            withdrawal_credentials: toHex(v.withdrawalCredentials),
            effective_balance: String(v.effectiveBalance),
            slashed: v.slashed,
            activation_eligibility_epoch: String(v.activationEligibilityEpoch),
            activation_epoch: String(v.activationEpoch),
            exit_epoch: String(v.exitEpoch),
            withdrawable_epoch: String(v.withdrawableEpoch),
          },
          validator_proof: toJson(p.validatorProof),
          field_proofs: Object.fromEntries(Object.entries(p.fieldProofs).map(([k, fp]) => [k, toJson(fp)])),
        },
      };
    },
  );
}
