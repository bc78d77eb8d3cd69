import { PublicKey } from "@chainsafe/blst";
import { peerIdFromString } from "@libp2p/peer-id";
import { bytesToHex, type Hex, hexToBytes } from "viem";
import { identityVerifier, peerIdPublicKey } from "../identity/ed25519.ts";
import { type ClusterDefinition, definitionHash, parseClusterDefinition } from "./definition.ts";
import { depositDataRoot, depositMessageRoot, verifyDepositSignature } from "./deposit.ts";
import { LockError } from "./errors.ts";
import {
  agreementSettingsProblem,
  type ClusterLock,
  computeLockHash,
  LOCK_VERSION,
  LOCK_VERSION_V1,
  lockSigningRoot,
} from "./lock.ts";

export type VerifiedLock = { lock: ClusterLock; definition: ClusterDefinition };

/**
 * Check a cluster lock on its own, trusting nothing in it: the definition hash, every key's encoding and subgroup,
 * the deposit data against the definition (credentials, amount, fork), its roots recomputed with SSZ, its signature
 * by standard BLS verification against the group key, the lock hash, and every operator's signature over it.
 * Throws `LockError` naming the first failed check.
 */
export function verifyClusterLock(raw: unknown): VerifiedLock {
  const fail = (reason: string): never => {
    throw new LockError({ code: "ERR_LOCK_INVALID", reason });
  };
  if (typeof raw !== "object" || raw === null) fail("not a JSON object");
  const lock = raw as ClusterLock;
  if (lock.version !== LOCK_VERSION && lock.version !== LOCK_VERSION_V1) {
    fail(`version must be ${LOCK_VERSION} (or ${LOCK_VERSION_V1})`);
  }
  if (lock.version === LOCK_VERSION) {
    const problem = agreementSettingsProblem(lock.agreement);
    if (problem !== null) fail(problem);
  } else if (lock.agreement !== undefined) {
    fail(`a ${LOCK_VERSION_V1} lock has no agreement settings`);
  }
  let definition: ClusterDefinition;
  try {
    definition = parseClusterDefinition(lock.definition, "lock.definition");
  } catch (e) {
    return fail((e as Error).message);
  }
  const n = definition.operators.length;
  if (bytesToHex(definitionHash(definition)) !== lock.definitionHash)
    fail("definitionHash does not match the definition");
  if (lock.threshold !== definition.threshold) fail("threshold differs from the definition");
  if (!isHex(lock.sessionId, 32)) fail("sessionId must be 32 bytes of hex");
  if (!Array.isArray(lock.sharePublicKeys) || lock.sharePublicKeys.length !== n) fail(`need ${n} share public keys`);
  for (const [i, key] of [lock.groupPublicKey, ...lock.sharePublicKeys].entries()) {
    if (!isHex(key, 48) || !validG1(key))
      fail(`${i === 0 ? "groupPublicKey" : `sharePublicKeys[${i - 1}]`} is not a valid G1 point`);
  }
  if (
    !Array.isArray(lock.qualifiedDealers) ||
    lock.qualifiedDealers.length < definition.threshold ||
    lock.qualifiedDealers.some(
      (d, i, a) => !Number.isInteger(d) || d < 1 || d > n || (i > 0 && d <= (a[i - 1] as number)),
    )
  ) {
    fail("qualifiedDealers must be ascending operator ids, at least threshold of them");
  }
  const dd = lock.depositData;
  if (typeof dd !== "object" || dd === null) fail("depositData missing");
  for (const [field, bytes] of [
    ["pubkey", 48],
    ["withdrawal_credentials", 32],
    ["signature", 96],
    ["deposit_message_root", 32],
    ["deposit_data_root", 32],
    ["fork_version", 4],
  ] as const) {
    if (!isHex(`0x${dd[field]}`, bytes)) fail(`depositData.${field} must be ${bytes} bytes of hex`);
  }
  if (`0x${dd.pubkey}` !== lock.groupPublicKey) fail("deposit pubkey is not the group public key");
  if (`0x${dd.withdrawal_credentials}` !== definition.withdrawalCredentials)
    fail("deposit withdrawal credentials differ from the definition");
  if (BigInt(dd.amount) !== definition.depositAmountGwei) fail("deposit amount differs from the definition");
  if (`0x${dd.fork_version}` !== definition.forkVersion) fail("deposit fork version differs from the definition");
  const input = {
    pubkey: hexToBytes(`0x${dd.pubkey}`),
    withdrawalCredentials: hexToBytes(`0x${dd.withdrawal_credentials}`),
    amountGwei: definition.depositAmountGwei,
    forkVersion: hexToBytes(`0x${dd.fork_version}`),
  };
  const signature = hexToBytes(`0x${dd.signature}`);
  if (bytesToHex(depositMessageRoot(input)).slice(2) !== dd.deposit_message_root) fail("deposit_message_root is wrong");
  if (bytesToHex(depositDataRoot(input, signature)).slice(2) !== dd.deposit_data_root)
    fail("deposit_data_root is wrong");
  if (!verifyDepositSignature(input, signature)) fail("deposit signature does not verify against the group public key");
  const lockHash = computeLockHash(lock);
  if (bytesToHex(lockHash) !== lock.lockHash) fail("lockHash does not match the lock contents");
  if (!Array.isArray(lock.operatorSignatures) || lock.operatorSignatures.length !== n)
    fail(`need ${n} operator signatures`);
  const root = lockSigningRoot(lockHash);
  const qualified = new Set(lock.qualifiedDealers);
  definition.operators.forEach((op, i) => {
    const sig = lock.operatorSignatures[i];
    if (!qualified.has(i + 1)) {
      if (sig !== null) fail(`operator ${i + 1} is not a qualified dealer; its signature slot must be null`);
      return;
    }
    const verifier = identityVerifier(peerIdPublicKey(peerIdFromString(op.peerId)));
    if (!isHex(sig, 64) || !verifier.verify(root, hexToBytes(sig as Hex)))
      fail(`operator ${i + 1} (${op.peerId}) signature is invalid`);
  });
  return { lock, definition };
}

function isHex(v: unknown, bytes: number): boolean {
  return typeof v === "string" && v.length === 2 + 2 * bytes && /^0x[0-9a-f]*$/.test(v);
}

function validG1(hex: string): boolean {
  try {
    PublicKey.fromBytes(hexToBytes(hex as Hex), true);
    return true;
  } catch {
    return false;
  }
}
