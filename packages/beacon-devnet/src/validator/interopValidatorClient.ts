import type { SecretKey, Signature } from "@chainsafe/blst";
import { aggregateSignatures } from "@chainsafe/blst";
import { BitArray } from "@chainsafe/ssz";
import { DOMAIN_BEACON_ATTESTER, DOMAIN_BEACON_PROPOSER, DOMAIN_RANDAO, DOMAIN_SYNC_COMMITTEE } from "@lodestar/params";
import { computeEpochAtSlot, computeSigningRoot, interopSecretKey } from "@lodestar/state-transition";
import type { electra } from "@lodestar/types";
import { ssz } from "@lodestar/types";
import { produceAttestationData } from "../chain/attestationData.ts";
import type { BeaconChain } from "../chain/chain.ts";
import type { StoredBlock } from "../chain/types.ts";
import type { AttestationPool } from "../pool/attestationPool.ts";
import type { SyncCommitteePool } from "../pool/syncCommitteePool.ts";

/**
 * The built-in validator client: signs proposals, attestations and sync committee messages for the interop keys
 * it holds (indices 0..n-1) and nothing else. Validators whose keys it does not hold must act over the API.
 */
export class InteropValidatorClient {
  private readonly keys = new Map<number, SecretKey>();
  private readonly chain: BeaconChain;
  private readonly attestations: AttestationPool;
  private readonly syncCommittee: SyncCommitteePool;

  constructor(
    chain: BeaconChain,
    attestations: AttestationPool,
    syncCommittee: SyncCommitteePool,
    validatorCount: number,
  ) {
    this.chain = chain;
    this.attestations = attestations;
    this.syncCommittee = syncCommittee;
    for (let i = 0; i < validatorCount; i++) this.keys.set(i, interopSecretKey(i));
  }

  holds(validatorIndex: number): boolean {
    return this.keys.has(validatorIndex);
  }

  /** Sign and import a block for `slot` if the proposer is one of ours; returns it, or null if not our duty. */
  propose(slot: number): StoredBlock | null {
    const state = this.chain.getHeadStateAtSlot(slot);
    const proposer = state.epochCtx.getBeaconProposer(slot);
    const sk = this.keys.get(proposer);
    if (sk === undefined) return null;
    const config = this.chain.config;
    const epoch = computeEpochAtSlot(slot);
    const randaoReveal = sk
      .sign(computeSigningRoot(ssz.Epoch, epoch, config.getDomain(slot, DOMAIN_RANDAO, slot)))
      .toBytes();
    const block = this.chain.produceBlock({ slot, randaoReveal, graffiti: graffiti("nektar-devnet") });
    const signature = sk
      .sign(computeSigningRoot(ssz.electra.BeaconBlock, block, config.getDomain(slot, DOMAIN_BEACON_PROPOSER, slot)))
      .toBytes();
    const signed: electra.SignedBeaconBlock = { message: block, signature };
    return this.chain.importBlock(signed);
  }

  /** Attest and send sync committee messages for `slot` with every held key that has the duty. */
  attest(slot: number): { attestations: number; syncMessages: number } {
    const epoch = computeEpochAtSlot(slot);
    const state = this.chain.getHeadStateAtEpoch(epoch);
    const config = this.chain.config;
    const data = produceAttestationData(this.chain, slot);
    const attRoot = computeSigningRoot(
      ssz.phase0.AttestationData,
      data,
      config.getDomain(state.slot, DOMAIN_BEACON_ATTESTER, slot),
    );
    let attestations = 0;
    const committeeCount = state.epochCtx.getCommitteeCountPerSlot(epoch);
    for (let committeeIndex = 0; committeeIndex < committeeCount; committeeIndex++) {
      const committee = state.epochCtx.getBeaconCommittee(slot, committeeIndex);
      const bits = BitArray.fromBitLen(committee.length);
      const signatures: Signature[] = [];
      for (let position = 0; position < committee.length; position++) {
        const sk = this.keys.get(committee[position] as number);
        if (sk === undefined) continue;
        bits.set(position, true);
        signatures.push(sk.sign(attRoot));
      }
      if (signatures.length === 0) continue;
      this.attestations.addOwnAggregate(data, committeeIndex, bits, aggregateSignatures(signatures));
      attestations += signatures.length;
    }
    const head = this.chain.head;
    const syncRoot = computeSigningRoot(ssz.Root, head.root, config.getDomain(state.slot, DOMAIN_SYNC_COMMITTEE, slot));
    let syncMessages = 0;
    // Lodestar's `getIndexedSyncCommittee(slot)` is already the committee of `slot + 1` (the block that includes the
    // message): adding one more signed with the next period's committee at a period's second-to-last slot.
    for (const [validatorIndex, positions] of state.epochCtx.getIndexedSyncCommittee(slot).validatorIndexMap) {
      const sk = this.keys.get(validatorIndex);
      if (sk === undefined) continue;
      this.syncCommittee.addOwnMessage(slot, head.root, positions, sk.sign(syncRoot));
      syncMessages++;
    }
    return { attestations, syncMessages };
  }
}

function graffiti(text: string): Uint8Array {
  const out = new Uint8Array(32);
  out.set(new TextEncoder().encode(text).subarray(0, 32));
  return out;
}
