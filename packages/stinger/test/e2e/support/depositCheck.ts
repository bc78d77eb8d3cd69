import assert from "node:assert/strict";
import { PublicKey, Signature, verify } from "@chainsafe/blst";
import { DOMAIN_DEPOSIT } from "@lodestar/params";
import { computeDomain, computeSigningRoot } from "@lodestar/state-transition";
import { ssz } from "@lodestar/types";
import type { ClusterLock } from "../../../src/dkg/lock.ts";

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/^0x/, ""), "hex"));

/**
 * Check a lock's deposit data with Lodestar's own helpers (not Stinger's): standard BLS verification of the signature
 * against the group key over the spec signing root, and the deposit data root recomputed with SSZ.
 */
export function assertDepositIndependentlyValid(lock: ClusterLock): void {
  const dd = lock.depositData;
  assert.equal(`0x${dd.pubkey}`, lock.groupPublicKey);
  const message = { pubkey: hex(dd.pubkey), withdrawalCredentials: hex(dd.withdrawal_credentials), amount: dd.amount };
  const domain = computeDomain(DOMAIN_DEPOSIT, hex(dd.fork_version), new Uint8Array(32));
  const signingRoot = computeSigningRoot(ssz.phase0.DepositMessage, message, domain);
  assert.ok(
    verify(
      signingRoot,
      PublicKey.fromBytes(hex(lock.groupPublicKey), true),
      Signature.fromBytes(hex(dd.signature), true),
    ),
    "deposit signature verifies against the group public key",
  );
  const root = ssz.phase0.DepositData.hashTreeRoot({ ...message, signature: hex(dd.signature) });
  assert.equal(Buffer.from(root).toString("hex"), dd.deposit_data_root);
}
