import { readFileSync } from "node:fs";
import {
  ByteListType,
  ByteVectorType,
  ContainerType,
  ListCompositeType,
  UintBigintType,
  UintNumberType,
} from "@chainsafe/ssz";
import { peerIdFromString } from "@libp2p/peer-id";
import { multiaddr } from "@multiformats/multiaddr";
import { getAddress, hexToBytes, isAddress, numberToBytes } from "viem";
import { DefinitionError } from "./errors.ts";

export const DEFINITION_VERSION = "nektar-cluster-definition/v1";
export const MAX_OPERATORS = 16;
/** Dialing hints kept per operator (`parseClusterDefinition` rejects more, so a lock listing more would not verify). */
export const MAX_OPERATOR_MULTIADDRS = 8;
const MIN_OPERATORS = 3;
const MAX_DEPOSIT_GWEI = 2048_000_000_000n;
const MIN_DEPOSIT_GWEI = 1_000_000_000n;

export type DefinitionOperator = {
  /** libp2p peer id of the operator's Ed25519 identity (what the operator registered). */
  peerId: string;
  /** Where to dial the operator (transport hints; not part of the definition hash). */
  multiaddrs: string[];
  /** Operator's execution-layer account (checksummed), as registered. */
  elAddress: `0x${string}`;
};

/**
 * Everything a DKG ceremony needs, agreed by all operators before it starts. Produced from a file today and from the
 * operator registry's `ValidatorRequested` event later; both feed the same `runDkgCeremony`.
 */
export type ClusterDefinition = {
  version: typeof DEFINITION_VERSION;
  name: string;
  /** Contract that requested the validator (the operator registry); with `requestId` it names the ceremony. */
  registryAddress: `0x${string}`;
  /** The registry's validator request id (`ValidatorRequested`); file-driven ceremonies pick an unused one. */
  requestId: bigint;
  /** Ordered operators; operator index i (1-based) is its Shamir share index. */
  operators: DefinitionOperator[];
  threshold: number;
  withdrawalCredentials: `0x${string}`;
  /** Genesis fork version of the target chain (deposit domain). */
  forkVersion: `0x${string}`;
  chainId: number;
  depositAmountGwei: bigint;
};

const Bytes4 = new ByteVectorType(4);
const Bytes20 = new ByteVectorType(20);
const Bytes32 = new ByteVectorType(32);
const OperatorSsz = new ContainerType({ peerId: new ByteListType(64), elAddress: Bytes20 });
/** SSZ shape hashed into the definition hash; multiaddrs and name are deliberately excluded. */
export const ClusterDefinitionSsz = new ContainerType({
  registryAddress: Bytes20,
  requestId: Bytes32,
  operators: new ListCompositeType(OperatorSsz, MAX_OPERATORS),
  threshold: new UintNumberType(1),
  withdrawalCredentials: Bytes32,
  forkVersion: Bytes4,
  chainId: new UintBigintType(8),
  depositAmountGwei: new UintBigintType(8),
});

/** Hash-tree-root of the definition's consensus-relevant fields; every operator must compute the same value. */
export function definitionHash(def: ClusterDefinition): Uint8Array {
  return ClusterDefinitionSsz.hashTreeRoot({
    registryAddress: hexToBytes(def.registryAddress),
    requestId: uint256Bytes(def.requestId),
    operators: def.operators.map((o) => ({
      peerId: peerIdFromString(o.peerId).toMultihash().bytes,
      elAddress: hexToBytes(o.elAddress),
    })),
    threshold: def.threshold,
    withdrawalCredentials: hexToBytes(def.withdrawalCredentials),
    forkVersion: hexToBytes(def.forkVersion),
    chainId: BigInt(def.chainId),
    depositAmountGwei: def.depositAmountGwei,
  });
}

/** Read and strictly validate a cluster definition file. */
export function readClusterDefinition(path: string): ClusterDefinition {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new DefinitionError({ code: "ERR_DEFINITION_INVALID", path, reason: (e as Error).message });
  }
  return parseClusterDefinition(raw, path);
}

/** Validate an untrusted JSON value as a cluster definition. `path` names the source in errors. */
export function parseClusterDefinition(raw: unknown, path = "<definition>"): ClusterDefinition {
  const fail = (reason: string): never => {
    throw new DefinitionError({ code: "ERR_DEFINITION_INVALID", path, reason });
  };
  if (typeof raw !== "object" || raw === null) fail("not a JSON object");
  const d = raw as Record<string, unknown>;
  if (d.version !== DEFINITION_VERSION) fail(`version must be "${DEFINITION_VERSION}"`);
  const name = typeof d.name === "string" && d.name.length <= 128 ? d.name : fail("name must be a string ≤ 128 chars");
  const registryAddress = hexField(d.registryAddress, 20, "registryAddress", fail);
  const requestId = decimalField(d.requestId, "requestId", fail);
  if (requestId >= 1n << 256n) fail("requestId must fit in uint256");
  if (!Array.isArray(d.operators)) fail("operators must be an array");
  const ops = d.operators as unknown[];
  if (ops.length < MIN_OPERATORS || ops.length > MAX_OPERATORS) {
    fail(`operators must list ${MIN_OPERATORS}..${MAX_OPERATORS} identities, got ${ops.length}`);
  }
  const operators = ops.map((o, i) => parseOperator(o, i, fail));
  if (new Set(operators.map((o) => o.peerId)).size !== operators.length) fail("operator peer ids must be distinct");
  if (new Set(operators.map((o) => o.elAddress)).size !== operators.length)
    fail("operator EL addresses must be distinct");
  const n = operators.length;
  const threshold = d.threshold;
  if (
    typeof threshold !== "number" ||
    !Number.isInteger(threshold) ||
    threshold < Math.ceil((2 * n) / 3) ||
    threshold > n
  ) {
    fail(`threshold must be an integer in [ceil(2n/3), n] = [${Math.ceil((2 * n) / 3)}, ${n}]`);
  }
  const withdrawalCredentials = hexField(d.withdrawalCredentials, 32, "withdrawalCredentials", fail);
  if (!["0x00", "0x01", "0x02"].includes(withdrawalCredentials.slice(0, 4))) {
    fail("withdrawalCredentials must start with prefix 0x00, 0x01 or 0x02");
  }
  const forkVersion = hexField(d.forkVersion, 4, "forkVersion", fail);
  const chainId = d.chainId;
  if (typeof chainId !== "number" || !Number.isSafeInteger(chainId) || chainId <= 0)
    fail("chainId must be a positive integer");
  const depositAmountGwei = decimalField(d.depositAmountGwei, "depositAmountGwei", fail);
  if (depositAmountGwei < MIN_DEPOSIT_GWEI || depositAmountGwei > MAX_DEPOSIT_GWEI) {
    fail(`depositAmountGwei must be in [${MIN_DEPOSIT_GWEI}, ${MAX_DEPOSIT_GWEI}]`);
  }
  return {
    version: DEFINITION_VERSION,
    name,
    registryAddress,
    requestId,
    operators,
    threshold: threshold as number,
    withdrawalCredentials,
    forkVersion,
    chainId: chainId as number,
    depositAmountGwei,
  };
}

/** JSON form of a definition (bigint as decimal string), the inverse of `parseClusterDefinition`. */
export function serializeClusterDefinition(def: ClusterDefinition): string {
  return `${JSON.stringify(
    { ...def, requestId: def.requestId.toString(), depositAmountGwei: def.depositAmountGwei.toString() },
    null,
    2,
  )}\n`;
}

function parseOperator(o: unknown, i: number, fail: (r: string) => never): DefinitionOperator {
  if (typeof o !== "object" || o === null) fail(`operators[${i}] must be an object`);
  const op = o as Record<string, unknown>;
  if (typeof op.peerId !== "string") fail(`operators[${i}].peerId must be a string`);
  try {
    const pid = peerIdFromString(op.peerId as string);
    if (pid.type !== "Ed25519") fail(`operators[${i}].peerId must be an Ed25519 peer id`);
  } catch (e) {
    if (e instanceof DefinitionError) throw e;
    fail(`operators[${i}].peerId is not a peer id`);
  }
  // Addresses are dialing hints (not hashed): a definition built from the registry lists none for an operator this
  // node has no address for; that operator dials in, and the lock stays valid.
  if (!Array.isArray(op.multiaddrs) || op.multiaddrs.length > MAX_OPERATOR_MULTIADDRS) {
    fail(`operators[${i}].multiaddrs must list 0..${MAX_OPERATOR_MULTIADDRS} addresses`);
  }
  for (const a of op.multiaddrs as unknown[]) {
    try {
      multiaddr(a as string);
    } catch {
      fail(`operators[${i}].multiaddrs has an invalid address: ${String(a)}`);
    }
  }
  if (typeof op.elAddress !== "string" || !isAddress(op.elAddress, { strict: false })) {
    fail(`operators[${i}].elAddress must be an address`);
  }
  return {
    peerId: op.peerId as string,
    multiaddrs: op.multiaddrs as string[],
    elAddress: getAddress(op.elAddress as string),
  };
}

function hexField(v: unknown, bytes: number, name: string, fail: (r: string) => never): `0x${string}` {
  if (typeof v !== "string" || !new RegExp(`^0x[0-9a-fA-F]{${bytes * 2}}$`).test(v)) {
    return fail(`${name} must be 0x-prefixed hex of ${bytes} bytes`);
  }
  return v.toLowerCase() as `0x${string}`;
}

function decimalField(v: unknown, name: string, fail: (r: string) => never): bigint {
  if (typeof v !== "string" || !/^(0|[1-9][0-9]{0,77})$/.test(v)) return fail(`${name} must be a decimal string`);
  return BigInt(v);
}

function uint256Bytes(v: bigint): Uint8Array {
  return numberToBytes(v, { size: 32 });
}
