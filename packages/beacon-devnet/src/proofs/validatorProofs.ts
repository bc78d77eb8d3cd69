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

  // Lodestar's Validator type is a node struct whose getPathInfo stops at the record: field gindices are
  // concatenated explicitly.
  const proveInState = (path: (string | number)[], subGindex?: bigint): LeafProof => {
    const recordGindex = stateType.getPathInfo(path).gindex;
    const gindex = subGindex === undefined ? recordGindex : concatGindices([recordGindex, subGindex]);
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
      Object.entries(validatorFieldGindices).map(([field, fieldGindex]) => [
        field,
        proveInState(["validators", validatorIndex], fieldGindex),
      ]),
    ) as Record<ValidatorField, LeafProof>,
  };
}

/**
 * Generalized indices of the Validator container's fields, relative to the validator root (8 fields: depth 3,
 * field i at 8 + i). The pubkey's leaf is its own 2-chunk hash tree root.
 */
export const validatorFieldGindices = {
  pubkey: 8n,
  withdrawalCredentials: 9n,
  effectiveBalance: 10n,
  slashed: 11n,
  activationEligibilityEpoch: 12n,
  activationEpoch: 13n,
  exitEpoch: 14n,
  withdrawableEpoch: 15n,
} as const;
