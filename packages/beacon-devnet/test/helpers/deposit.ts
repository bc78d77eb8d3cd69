import type { SecretKey } from "@chainsafe/blst";
import type { ChainForkConfig } from "@lodestar/config";
import { DOMAIN_DEPOSIT } from "@lodestar/params";
import { computeDomain, computeSigningRoot, ZERO_HASH } from "@lodestar/state-transition";
import { ssz } from "@lodestar/types";

/** A signed deposit (DepositData) and its SSZ root, as the deposit contract checks it. */
export function makeDeposit(
  config: ChainForkConfig,
  sk: SecretKey,
  withdrawalCredentials: Uint8Array,
  amountGwei: number,
) {
  const pubkey = sk.toPublicKey().toBytes();
  const domain = computeDomain(DOMAIN_DEPOSIT, config.GENESIS_FORK_VERSION, ZERO_HASH);
  const message = { pubkey, withdrawalCredentials, amount: amountGwei };
  const signature = sk.sign(computeSigningRoot(ssz.phase0.DepositMessage, message, domain)).toBytes();
  const data = { ...message, signature };
  return { ...data, depositDataRoot: ssz.phase0.DepositData.hashTreeRoot(data) };
}
