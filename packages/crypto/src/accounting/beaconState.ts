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

/**
 * Depth of the subtrees of the `validators` data tree that `OracleProver` proves a frame's validators from:
 * `max(2, ceil(log2(listLength)))` (the `balances` subtree is two levels lower, four balances per chunk).
 */
export function proofSubtreeDepth(listLength: number): number {
  let depth = 2;
  while (depth < Number(VALIDATOR_REGISTRY_DEPTH) && 2 ** depth < listLength) depth++;
  return depth;
}

/** The roots `OracleProver.startProofFrame` takes: both data subtrees with their list roots' proofs. */
export type ProofFrameRoots = {
  listLength: bigint;
  validatorsSubtreeRoot: Hex;
  validatorsRootProof: Hex[];
  balancesSubtreeRoot: Hex;
  balancesRootProof: Hex[];
};

/** One `OracleProver.proveValidators` batch. */
export type ValidatorBatchProof = {
  /** Per validator: the beacon index (8 bytes, big-endian) and the SSZ serialization of its record (121 bytes). */
  records: Hex;
  /** The distinct `balances` chunks the validators fall in, in order. */
  balancesChunks: Hex[];
  /** The records' multiproof from the validators subtree root, then the chunks' from the balances subtree root. */
  proof: Hex[];
  /** How many of `proof`'s hashes belong to the records' multiproof. */
  recordsProofLength: number;
};

/** The node at `position` of the level `height` levels above the leaves of a subtree of height `depth`. */
function nodeAt(root: MerkleNode, depth: number, height: number, position: bigint): MerkleNode {
  let n = root;
  for (let level = depth - height - 1; level >= 0; level--) n = (position >> BigInt(level)) & 1n ? n.right : n.left;
  return n;
}

/**
 * The sibling hashes a multiproof of `positions` (strictly increasing leaves of a subtree of height `depth`) needs,
 * in the order `OracleProver` consumes them: level by level from the leaves up, left to right, skipping siblings the
 * batch supplies itself.
 */
function multiproof(subtree: MerkleNode, depth: number, positions: readonly bigint[]): Hex[] {
  const siblings: Hex[] = [];
  let level = [...positions];
  for (let h = 0; h < depth; h++) {
    const up: bigint[] = [];
    for (let i = 0; i < level.length; ) {
      const x = level[i] as bigint;
      if ((x & 1n) === 0n && level[i + 1] === x + 1n) i += 2;
      else {
        siblings.push(hex(nodeAt(subtree, depth, h, x ^ 1n).root));
        i += 1;
      }
      up.push(x >> 1n);
    }
    level = up;
  }
  return siblings;
}
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

  /** The subtree roots and list-root proofs that open a proof frame (`OracleProver.startProofFrame`). */
  proofFrameRoots(): ProofFrameRoots {
    const length = this.state.validators.length;
    const depth = proofSubtreeDepth(length);
    return {
      listLength: BigInt(length),
      validatorsSubtreeRoot: hex(this.#dataSubtree(this.#validatorsGindex, depth).root),
      validatorsRootProof: this.validatorsRootProof().proof,
      balancesSubtreeRoot: hex(this.#dataSubtree(this.#balancesGindex, depth).root),
      balancesRootProof: this.balancesRootProof().proof,
    };
  }

  /**
   * One `OracleProver.proveValidators` batch for the validators at `indices` (strictly increasing beacon indices):
   * packed records, the distinct balance chunks and the two multiproofs.
   */
  validatorBatchProof(indices: readonly number[]): ValidatorBatchProof {
    const depth = proofSubtreeDepth(this.state.validators.length);
    const records: string[] = [];
    const chunkPositions: bigint[] = [];
    for (const index of indices) {
      const record = this.state.validators.getReadonly(index).serialize();
      records.push(index.toString(16).padStart(16, "0"), bytesToHex(record));
      const chunk = BigInt(index >> 2);
      if (chunkPositions.at(-1) !== chunk) chunkPositions.push(chunk);
    }
    const validators = this.#dataSubtree(this.#validatorsGindex, depth);
    const balances = this.#dataSubtree(this.#balancesGindex, depth);
    const recordsProof = multiproof(
      validators,
      depth,
      indices.map((i) => BigInt(i)),
    );
    return {
      records: `0x${records.join("")}`,
      balancesChunks: chunkPositions.map((c) => hex(nodeAt(balances, depth - 2, 0, c).root)),
      proof: [...recordsProof, ...multiproof(balances, depth - 2, chunkPositions)],
      recordsProofLength: recordsProof.length,
    };
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

  /** The leftmost subtree of the list's data tree that is `depth` levels high (`depth - 2` for `balances`). */
  #dataSubtree(fieldGindex: bigint, depth: number): MerkleNode {
    let n = this.#listNode(fieldGindex).left;
    for (let h = Number(VALIDATOR_REGISTRY_DEPTH); h > depth; h--) n = n.left;
    return n;
  }

  #listNode(fieldGindex: bigint): MerkleNode {
    let n = this.#stateNode;
    for (const bit of fieldGindex.toString(2).slice(1)) n = bit === "1" ? n.right : n.left;
    return n;
  }
}
