import { type ApiClient, WireFormat } from "@lodestar/api";
import type { BeaconConfig } from "@lodestar/config";
import { type phase0, ssz } from "@lodestar/types";
import type { WithdrawalCredentialsProof } from "@nektar/sdk";
import { bytesToHex, type Hex } from "viem";
import { ChainError } from "./errors.ts";

/** `BeaconBlockHeader.state_root` (field 3 of 5, depth 3). */
const STATE_ROOT_IN_HEADER = 11n;
/** `Validator.withdrawal_credentials` (field 1 of 8, depth 3). */
const CREDENTIALS_IN_VALIDATOR = 9n;

/** A node of an SSZ Merkle tree as Lodestar's views expose it (`view.node`). */
type MerkleNode = { readonly root: Uint8Array; readonly left: MerkleNode; readonly right: MerkleNode };
/** The parts of a `BeaconState` view the proof reads. */
type StateView = {
  readonly node: unknown;
  readonly validators: { readonly length: number; getReadonly(i: number): { withdrawalCredentials: Uint8Array } };
};

/** Sibling hashes of the node at `gindex` under `node`, bottom-up (the order `SSZ.processProof` consumes). */
function siblings(node: MerkleNode, gindex: bigint): Uint8Array[] {
  const path: Uint8Array[] = [];
  let n = node;
  for (const bit of gindex.toString(2).slice(1)) {
    path.push(bit === "1" ? n.left.root : n.right.root);
    n = bit === "1" ? n.right : n.left;
  }
  return path.reverse();
}

/** `concat_generalized_indices(outer, inner)`. */
function concatGindices(outer: bigint, inner: bigint): bigint {
  const depth = BigInt(inner.toString(2).length - 1);
  return (outer << depth) | (inner - (1n << depth));
}

/**
 * The withdrawal-credentials proof of `validators[index]` from the root of the block with `header`, whose post-state
 * is `state` (pure: no I/O). The 53 siblings run from the credentials leaf up through the record (the first is the
 * pubkey root), the registry, the state and the header, as `OperatorRegistry.completeDeposit` checks them.
 */
export function credentialsProofFromState(
  config: BeaconConfig,
  header: phase0.BeaconBlockHeader,
  state: StateView,
  index: number,
): { withdrawalCredentials: Hex; proof: Hex[] } {
  if (!Number.isInteger(index) || index < 0 || index >= state.validators.length) {
    throw new RangeError(`validator index ${index} is not in the state (${state.validators.length} validators)`);
  }
  const stateType = config.getForkTypes(header.slot).BeaconState;
  const record = stateType.getPathInfo(["validators", index]).gindex;
  const inState = siblings(state.node as MerkleNode, concatGindices(record, CREDENTIALS_IN_VALIDATOR));
  const headerNode = ssz.phase0.BeaconBlockHeader.toViewDU(header).node as unknown as MerkleNode;
  const inHeader = siblings(headerNode, STATE_ROOT_IN_HEADER);
  return {
    withdrawalCredentials: bytesToHex(state.validators.getReadonly(index).withdrawalCredentials),
    proof: [...inState, ...inHeader].map((s) => bytesToHex(s)),
  };
}

/**
 * Builds the credentials proof of validator `pubkey` from a beacon node, over the standard Beacon API only, so it
 * works against any client that serves `/eth/v2/debug/beacon/states`:
 * the head block's parent `B` carries in its execution payload the timestamp at which the EIP-4788 contract holds the
 * root of `B`'s parent `P` (one block of margin for an execution layer that reflects roots with a delay); the proof runs
 * through `P`'s header and post-state (SSZ, decoded with Lodestar's types). Returns undefined while `P`'s state does
 * not hold the validator yet (its deposit not processed).
 */
export async function fetchWithdrawalCredentialsProof(
  api: ApiClient,
  config: BeaconConfig,
  pubkey: Hex,
): Promise<WithdrawalCredentialsProof | undefined> {
  const call = async <T>(name: string, f: () => Promise<{ ok: boolean; status: number; value(): T }>): Promise<T> => {
    const res = await f();
    if (!res.ok) {
      throw new ChainError({ code: "ERR_CHAIN_BEACON_PROOF", call: name, reason: `HTTP ${res.status}` });
    }
    return res.value();
  };
  const head = await call("getBlockV2(head)", () => api.beacon.getBlockV2({ blockId: "head" }));
  const parent = await call("getBlockV2(parent)", () =>
    api.beacon.getBlockV2({ blockId: bytesToHex(head.message.parentRoot) }),
  );
  const payload = (parent.message.body as { executionPayload?: { timestamp: number | bigint } }).executionPayload;
  if (payload === undefined) {
    throw new ChainError({
      code: "ERR_CHAIN_BEACON_PROOF",
      call: "getBlockV2(parent)",
      reason: "no execution payload",
    });
  }
  const provenRoot = bytesToHex(parent.message.parentRoot);
  const { header } = await call("getBlockHeader", () => api.beacon.getBlockHeader({ blockId: provenRoot }));
  const found = await api.beacon.getStateValidator({
    stateId: bytesToHex(header.message.stateRoot),
    validatorId: pubkey,
  });
  if (found.status === 404) return undefined;
  if (!found.ok)
    throw new ChainError({ code: "ERR_CHAIN_BEACON_PROOF", call: "getStateValidator", reason: `HTTP ${found.status}` });
  const index = found.value().index;
  const stateRes = await api.debug.getStateV2(
    { stateId: bytesToHex(header.message.stateRoot) },
    { responseWireFormat: WireFormat.ssz },
  );
  if (!stateRes.ok) {
    throw new ChainError({ code: "ERR_CHAIN_BEACON_PROOF", call: "getStateV2", reason: `HTTP ${stateRes.status}` });
  }
  const state = config.getForkTypes(header.message.slot).BeaconState.deserializeToViewDU(stateRes.ssz());
  const { withdrawalCredentials, proof } = credentialsProofFromState(config, header.message, state, index);
  return {
    pubkey,
    beaconTimestamp: BigInt(payload.timestamp),
    beaconIndex: BigInt(index),
    withdrawalCredentials,
    proof,
  };
}
