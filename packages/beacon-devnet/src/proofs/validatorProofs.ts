import { concatGindices, Tree } from "@chainsafe/persistent-merkle-tree";
import type { ContainerType } from "@chainsafe/ssz";
import type { phase0 } from "@lodestar/types";
import { ssz } from "@lodestar/types";
import type { BeaconChain } from "../chain/chain.ts";
import type { StoredBlock } from "../chain/types.ts";

/** A single SSZ Merkle proof from a beacon block root down to one 32-byte leaf. */
export type LeafProof = {
  /** Generalized index of the leaf in the tree rooted at the block root (exceeds 2^53: bigint). */
  gindex: bigint;
  leaf: Uint8Array;
  /** Sibling hashes, bottom-up. */
  witnesses: Uint8Array[];
};

export type ValidatorProofs = {
  blockRoot: Uint8Array;
  slot: number;
  stateRoot: Uint8Array;
  validatorIndex: number;
  /** Balance in gwei; the leaf packs 4 balances, this one at offset (index % 4) * 8. */
  balance: bigint;
  balanceProof: LeafProof;
  /** The validator record; the proof's leaf is its hash tree root. */
  validator: phase0.Validator;
  validatorProof: LeafProof;
  /** One proof per Validator field (pubkey's leaf is its 2-chunk hash tree root), from the block root. */
  fieldProofs: Record<ValidatorField, LeafProof>;
};

export type ValidatorField = keyof typeof validatorFieldGindices;

/** Proofs of validator `index`'s balance and record against `block`'s root, from that block's post-state. */
export function getValidatorProofs(chain: BeaconChain, block: StoredBlock, validatorIndex: number): ValidatorProofs {
  const state = chain.getStateByBlockRoot(block.rootHex);
  if (!Number.isInteger(validatorIndex) || validatorIndex < 0 || validatorIndex >= state.validators.length) {
    throw new RangeError(`validator index ${validatorIndex} out of range (${state.validators.length} validators)`);
  }
  state.commit();
  const stateType = chain.config.getForkTypes(state.slot).BeaconState as unknown as ContainerType<never>;
  const stateTree = new Tree(state.node);
  const blockTree = new Tree(ssz.electra.BeaconBlock.value_toTree(block.signedBlock.message));
  const stateRootGindex = ssz.electra.BeaconBlock.getPathInfo(["stateRoot"]).gindex;
  const stateRootWitnesses = blockTree.getSingleProof(stateRootGindex);

  const proveInState = (path: (string | number)[]): LeafProof => {
    const gindex = stateType.getPathInfo(path).gindex;
    return {
      gindex: concatGindices([stateRootGindex, gindex]),
      leaf: stateTree.getRoot(gindex),
      witnesses: [...stateTree.getSingleProof(gindex), ...stateRootWitnesses],
    };
  };

  return {
    blockRoot: block.root,
    slot: block.slot,
    stateRoot: block.signedBlock.message.stateRoot,
    validatorIndex,
    balance: BigInt(state.balances.get(validatorIndex)),
    balanceProof: proveInState(["balances", validatorIndex]),
    validator: state.validators.getReadonly(validatorIndex).toValue(),
    validatorProof: proveInState(["validators", validatorIndex]),
    fieldProofs: Object.fromEntries(
      Object.keys(validatorFieldGindices).map((field) => [field, proveInState(["validators", validatorIndex, field])]),
    ) as Record<ValidatorField, LeafProof>,
  };
}

/** Generalized indices of the Validator container's fields, relative to the validator root (for field proofs). */
export const validatorFieldGindices = {
  pubkey: ssz.phase0.Validator.getPathInfo(["pubkey"]).gindex,
  withdrawalCredentials: ssz.phase0.Validator.getPathInfo(["withdrawalCredentials"]).gindex,
  effectiveBalance: ssz.phase0.Validator.getPathInfo(["effectiveBalance"]).gindex,
  slashed: ssz.phase0.Validator.getPathInfo(["slashed"]).gindex,
  activationEligibilityEpoch: ssz.phase0.Validator.getPathInfo(["activationEligibilityEpoch"]).gindex,
  activationEpoch: ssz.phase0.Validator.getPathInfo(["activationEpoch"]).gindex,
  exitEpoch: ssz.phase0.Validator.getPathInfo(["exitEpoch"]).gindex,
  withdrawableEpoch: ssz.phase0.Validator.getPathInfo(["withdrawableEpoch"]).gindex,
} as const;
