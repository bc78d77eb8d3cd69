import { ssz } from "@lodestar/types";
import { bytesToHex } from "@noble/hashes/utils.js";
import type { Hex, ReportLeaf } from "./reportTree.ts";

/** The beacon-chain `FAR_FUTURE_EPOCH`: the exit epoch of a validator that has not initiated an exit. */
export const FAR_FUTURE_EPOCH = 2n ** 64n - 1n;

/** A Merkle node as `@chainsafe/persistent-merkle-tree` exposes it on Lodestar's views. */
type MerkleNode = { readonly root: Uint8Array; readonly left: MerkleNode; readonly right: MerkleNode };

/** An Electra (or later) beacon state as a Lodestar tree-backed view. */
export type BeaconStateView = ReturnType<typeof ssz.electra.BeaconState.deserializeToViewDU>;

/** A `Validator` record with `BeaconProofs.Validator`'s field names. */
export type ValidatorRecord = {
  pubkey: Hex;
  withdrawalCredentials: Hex;
  effectiveBalance: bigint;
  slashed: boolean;
  activationEligibilityEpoch: bigint;
  activationEpoch: bigint;
  exitEpoch: bigint;
  withdrawableEpoch: bigint;
};

const VALIDATOR_REGISTRY_DEPTH = 40n;
const BALANCES_DEPTH = 38n;
/** `BeaconBlockHeader.slot` and `.state_root` in the header tree. */
const SLOT_GINDEX = 8n;
const STATE_ROOT_GINDEX = 11n;

const hex = (b: Uint8Array): Hex => `0x${bytesToHex(b)}`;
/** Lodestar's `UintNum64` fields hold `FAR_FUTURE_EPOCH` (2^64 - 1) as `Infinity`. */
const uint64 = (n: number): bigint => (n === Number.POSITIVE_INFINITY ? FAR_FUTURE_EPOCH : BigInt(n));

/** The leaf at `gindex` under `node` and its sibling hashes bottom-up. */
function branch(node: MerkleNode, gindex: bigint): { leaf: Uint8Array; siblings: Uint8Array[] } {
  const siblings: Uint8Array[] = [];
  let n = node;
  for (const bit of gindex.toString(2).slice(1)) {
    siblings.push(bit === "1" ? n.left.root : n.right.root);
    n = bit === "1" ? n.right : n.left;
  }
  return { leaf: n.root, siblings: siblings.reverse() };
}

/**
 * A beacon state together with the block whose post-state it is, so that facts can be proven from the block root
 * (what the EIP-4788 contract holds). Build it from the Beacon API: `/eth/v2/debug/beacon/states/{id}` (SSZ) and the
 * block header of the same slot.
 */
export class AnchoredBeaconState {
  readonly state: BeaconStateView;
  readonly header: {
    slot: number;
    proposerIndex: number;
    parentRoot: Uint8Array;
    stateRoot: Uint8Array;
    bodyRoot: Uint8Array;
  };
  readonly #headerNode: MerkleNode;
  readonly #validatorsGindex: bigint;
  readonly #balancesGindex: bigint;

  constructor(
    state: BeaconStateView,
    header: { slot: number; proposerIndex: number; parentRoot: Uint8Array; bodyRoot: Uint8Array },
  ) {
    this.state = state;
    state.commit();
    this.header = { ...header, stateRoot: state.hashTreeRoot() };
    this.#headerNode = ssz.phase0.BeaconBlockHeader.toViewDU(this.header).node as unknown as MerkleNode;
    this.#validatorsGindex = state.type.getPropertyGindex("validators") as bigint;
    this.#balancesGindex = state.type.getPropertyGindex("balances") as bigint;
  }

  /** `hash_tree_root` of the block header: the beacon block root. */
  get blockRoot(): Hex {
    return hex(this.#headerNode.root);
  }

  get #stateNode(): MerkleNode {
    return this.state.node as unknown as MerkleNode;
  }

  /** A proof of the state-tree node at `gindex`, extended from the state root to the block root. */
  #fromBlock(gindex: bigint): { leaf: Hex; proof: Hex[] } {
    const inState = branch(this.#stateNode, gindex);
    const header = branch(this.#headerNode, STATE_ROOT_GINDEX);
    return { leaf: hex(inState.leaf), proof: [...inState.siblings, ...header.siblings].map(hex) };
  }

  /** `validators[index]` and its 50-hash proof from the block root. */
  validatorProof(index: number): { validator: ValidatorRecord; proof: Hex[] } {
    const gindex = ((this.#validatorsGindex * 2n) << VALIDATOR_REGISTRY_DEPTH) | BigInt(index);
    return { validator: this.validator(index), proof: this.#fromBlock(gindex).proof };
  }

  /** The `balances` chunk holding `balances[index]` and its 48-hash proof from the block root. */
  balanceProof(index: number): { chunk: Hex; proof: Hex[]; balance: bigint } {
    const gindex = ((this.#balancesGindex * 2n) << BALANCES_DEPTH) | BigInt(index >> 2);
    const { leaf, proof } = this.#fromBlock(gindex);
    return {
      chunk: leaf,
      proof,
      balance: index < this.state.balances.length ? BigInt(this.state.balances.get(index)) : 0n,
    };
  }

  /** `hash_tree_root(validators)` with its data root, length and 9-hash proof from the block root. */
  validatorsRootProof(): { root: Hex; dataRoot: Hex; length: bigint; proof: Hex[] } {
    const { leaf, proof } = this.#fromBlock(this.#validatorsGindex);
    const dataRoot = hex(branch(this.#stateNode, this.#validatorsGindex * 2n).leaf);
    return { root: leaf, dataRoot, length: BigInt(this.state.validators.length), proof };
  }

  /** `hash_tree_root(balances)` and its 9-hash proof from the block root. */
  balancesRootProof(): { root: Hex; proof: Hex[] } {
    const { leaf, proof } = this.#fromBlock(this.#balancesGindex);
    return { root: leaf, proof };
  }

  /** `validators[index]` proven from the list root (41 hashes). */
  validatorInListProof(index: number): Hex[] {
    const gindex = (2n << VALIDATOR_REGISTRY_DEPTH) | BigInt(index);
    return branch(this.#listNode(this.#validatorsGindex), gindex).siblings.map(hex);
  }

  /** The `balances` chunk of `index` proven from the list root (39 hashes). */
  balanceInListProof(index: number): { chunk: Hex; proof: Hex[] } {
    const gindex = (2n << BALANCES_DEPTH) | BigInt(index >> 2);
    const b = branch(this.#listNode(this.#balancesGindex), gindex);
    return { chunk: hex(b.leaf), proof: b.siblings.map(hex) };
  }

  /** The block's slot and its 3-hash proof in the header. */
  slotProof(): { slot: bigint; proof: Hex[] } {
    return { slot: BigInt(this.header.slot), proof: branch(this.#headerNode, SLOT_GINDEX).siblings.map(hex) };
  }

  /** `validators[index]` with `BeaconProofs.Validator` field names. */
  validator(index: number): ValidatorRecord {
    const v = this.state.validators.getReadonly(index);
    return {
      pubkey: hex(v.pubkey),
      withdrawalCredentials: hex(v.withdrawalCredentials),
      effectiveBalance: uint64(v.effectiveBalance),
      slashed: v.slashed,
      activationEligibilityEpoch: uint64(v.activationEligibilityEpoch),
      activationEpoch: uint64(v.activationEpoch),
      exitEpoch: uint64(v.exitEpoch),
      withdrawableEpoch: uint64(v.withdrawableEpoch),
    };
  }

  /**
   * The report leaves of this state: every validator that holds its full deposit (activation eligibility epoch set,
   * which needs a 32 ETH effective balance and is never reset: a 1 ETH predeposit is not a leaf until its top-up is
   * applied) and that `isProtocol` accepts (registered public key and the pool's withdrawal credentials), in beacon
   * index order. The contracts apply the same rule.
   */
  protocolLeaves(isProtocol: (pubkey: Hex, withdrawalCredentials: Hex) => boolean): ReportLeaf[] {
    const leaves: ReportLeaf[] = [];
    const n = this.state.validators.length;
    for (let i = 0; i < n; i++) {
      const v = this.state.validators.getReadonly(i);
      if (uint64(v.activationEligibilityEpoch) === FAR_FUTURE_EPOCH) continue;
      if (!isProtocol(hex(v.pubkey), hex(v.withdrawalCredentials))) continue;
      leaves.push({
        beaconIndex: BigInt(i),
        balance: BigInt(this.state.balances.get(i)),
        exited: uint64(v.exitEpoch) !== FAR_FUTURE_EPOCH,
        slashed: v.slashed,
      });
    }
    return leaves;
  }

  #listNode(fieldGindex: bigint): MerkleNode {
    let n = this.#stateNode;
    for (const bit of fieldGindex.toString(2).slice(1)) n = bit === "1" ? n.right : n.left;
    return n;
  }
}
