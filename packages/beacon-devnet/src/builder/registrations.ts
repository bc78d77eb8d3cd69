import type { BeaconConfig } from "@lodestar/config";
import { DOMAIN_APPLICATION_BUILDER, ZERO_HASH } from "@lodestar/params";
import { computeDomain, computeSigningRoot } from "@lodestar/state-transition";
import type { bellatrix } from "@lodestar/types";
import { ssz } from "@lodestar/types";
import { toPubkeyHex } from "@lodestar/utils";
import { parseReceivedPublicKey, verifyReceivedSignature } from "../pool/signature.ts";

/**
 * The builder domain: `DOMAIN_APPLICATION_BUILDER` with the genesis fork version and a zero genesis validators root
 * (builder-specs: registrations and bids are valid across forks and signed before genesis is known).
 */
export function builderDomain(config: BeaconConfig): Uint8Array {
  return computeDomain(DOMAIN_APPLICATION_BUILDER, config.GENESIS_FORK_VERSION, ZERO_HASH);
}

/** Signing root of a validator registration under the builder domain. */
export function registrationSigningRoot(config: BeaconConfig, message: bellatrix.ValidatorRegistrationV1): Uint8Array {
  return computeSigningRoot(ssz.bellatrix.ValidatorRegistrationV1, message, builderDomain(config));
}

/** Why a signed registration is refused, or null: a valid public key and a valid signature under the builder domain. */
export function registrationProblem(
  config: BeaconConfig,
  registration: bellatrix.SignedValidatorRegistrationV1,
  nowSec: number,
): string | null {
  const { message, signature } = registration;
  const pubkey = parseReceivedPublicKey(message.pubkey);
  if (pubkey === null) return `invalid public key ${toPubkeyHex(message.pubkey)}`;
  // builder-specs: a registration from the future (beyond a small clock skew) is refused.
  if (message.timestamp > nowSec + 10) return `timestamp ${message.timestamp} is in the future`;
  if (!verifyReceivedSignature(registrationSigningRoot(config, message), [pubkey], signature)) {
    return `invalid signature for ${toPubkeyHex(message.pubkey)} (builder domain)`;
  }
  return null;
}

/**
 * The latest valid registration per validator public key. A registration older than the one held is ignored (relays
 * keep the newest timestamp), an equal or newer one replaces it.
 */
export class RegistrationBook {
  private readonly byPubkey = new Map<string, bellatrix.ValidatorRegistrationV1>();

  /** Adds a verified registration; returns false when an equal-or-newer one is already held and this one is older. */
  put(message: bellatrix.ValidatorRegistrationV1): boolean {
    const key = toPubkeyHex(message.pubkey);
    const held = this.byPubkey.get(key);
    if (held !== undefined && held.timestamp > message.timestamp) return false;
    this.byPubkey.set(key, message);
    return true;
  }

  get(pubkey: Uint8Array): bellatrix.ValidatorRegistrationV1 | undefined {
    return this.byPubkey.get(toPubkeyHex(pubkey));
  }

  get size(): number {
    return this.byPubkey.size;
  }
}

/**
 * Verifies a batch of signed registrations and keeps the valid ones; returns the refusals (`#index: reason`), the
 * valid ones are kept even when others of the batch fail.
 */
export function acceptRegistrations(
  config: BeaconConfig,
  book: RegistrationBook,
  registrations: readonly bellatrix.SignedValidatorRegistrationV1[],
  nowSec: number,
): string[] {
  const failures: string[] = [];
  for (const [index, registration] of registrations.entries()) {
    const problem = registrationProblem(config, registration, nowSec);
    if (problem !== null) failures.push(`#${index}: ${problem}`);
    else book.put(registration.message);
  }
  return failures;
}
