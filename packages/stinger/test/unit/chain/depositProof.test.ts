import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, it } from "node:test";
import { createBeaconConfig } from "@lodestar/config";
import { chainConfig } from "@lodestar/config/default";
import { ssz } from "@lodestar/types";
import { bytesToHex, type Hex, hexToBytes } from "viem";
import { credentialsProofFromState } from "../../../src/chain/depositProof.ts";

// Electra from genesis, so the state type of slot 0 is the Electra `BeaconState` the contracts' gindices describe.
const config = createBeaconConfig(
  {
    ...chainConfig,
    ALTAIR_FORK_EPOCH: 0,
    BELLATRIX_FORK_EPOCH: 0,
    CAPELLA_FORK_EPOCH: 0,
    DENEB_FORK_EPOCH: 0,
    ELECTRA_FORK_EPOCH: 0,
  },
  new Uint8Array(32),
);
const sha = (a: Uint8Array, b: Uint8Array) => new Uint8Array(createHash("sha256").update(a).update(b).digest());

/** Hashes `leaf` up along `gindex` with `proof` (bottom-up), as `SSZ.processProof` does on-chain. */
function processProof(leaf: Hex, proof: Hex[], gindex: bigint): Hex {
  let node = hexToBytes(leaf);
  let g = gindex;
  for (const sibling of proof) {
    node = g % 2n === 0n ? sha(node, hexToBytes(sibling)) : sha(hexToBytes(sibling), node);
    g >>= 1n;
  }
  assert.equal(g, 1n, "the proof length is the gindex depth");
  return bytesToHex(node);
}

describe("withdrawal-credentials proof from a beacon state", () => {
  it("proves validators[i].withdrawal_credentials and its pubkey root against the block (header) root", () => {
    const state = ssz.electra.BeaconState.defaultViewDU();
    const keys = [0x11, 0x22, 0x33].map((b) => new Uint8Array(48).fill(b));
    const credentials = [1, 2, 3].map((b) => new Uint8Array(32).fill(b));
    keys.forEach((pubkey, i) => {
      state.validators.push(
        ssz.phase0.Validator.toViewDU({
          pubkey,
          withdrawalCredentials: credentials[i] as Uint8Array,
          effectiveBalance: 1e9,
          slashed: false,
          activationEligibilityEpoch: 1,
          activationEpoch: Number.POSITIVE_INFINITY,
          exitEpoch: Number.POSITIVE_INFINITY,
          withdrawableEpoch: Number.POSITIVE_INFINITY,
        }),
      );
    });
    state.commit();
    const header = { ...ssz.phase0.BeaconBlockHeader.defaultValue(), slot: 0, stateRoot: state.hashTreeRoot() };
    const blockRoot = bytesToHex(ssz.phase0.BeaconBlockHeader.hashTreeRoot(header));
    for (const index of [0, 2]) {
      const { withdrawalCredentials, proof } = credentialsProofFromState(config, header, state, index);
      assert.equal(withdrawalCredentials, bytesToHex(credentials[index] as Uint8Array));
      assert.equal(proof.length, 53);
      // The contracts' gindex: (1430 · 2^40 + i) · 8 + 1 (see BeaconProofs.sol).
      const gindex = (((1430n << 40n) | BigInt(index)) << 3n) | 1n;
      assert.equal(processProof(withdrawalCredentials, proof, gindex), blockRoot);
      const pubkeyRoot = sha(keys[index] as Uint8Array, new Uint8Array(16));
      assert.equal(proof[0], bytesToHex(pubkeyRoot));
    }
    assert.throws(() => credentialsProofFromState(config, header, state, 3), RangeError);
  });
});
