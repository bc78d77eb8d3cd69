import type { BeaconConfig } from "@lodestar/config";
import {
  DOMAIN_AGGREGATE_AND_PROOF,
  DOMAIN_APPLICATION_BUILDER,
  DOMAIN_BEACON_ATTESTER,
  DOMAIN_BEACON_PROPOSER,
  DOMAIN_CONTRIBUTION_AND_PROOF,
  DOMAIN_RANDAO,
  DOMAIN_SELECTION_PROOF,
  DOMAIN_SYNC_COMMITTEE,
  DOMAIN_SYNC_COMMITTEE_SELECTION_PROOF,
  ZERO_HASH,
} from "@lodestar/params";
import { computeDomain } from "@lodestar/state-transition";
import { ssz } from "@lodestar/types";
import type { UnsignedData } from "../interfaces.ts";
import { PipelineError } from "../pipelineError.ts";

/** `compute_signing_root(object_root, domain)` of the consensus specs. */
function signingRoot(objectRoot: Uint8Array, domain: Uint8Array): Uint8Array {
  return ssz.phase0.SigningData.hashTreeRoot({ objectRoot, domain });
}

/**
 * The signing root of a duty's agreed data: what every operator's partial and the combined signature sign. Domains
 * follow the consensus specs (fork of the message's slot/epoch), so a partial of one fork never combines with another.
 */
export function computeDutySigningRoot(config: BeaconConfig, slotsPerEpoch: number, data: UnsignedData): Uint8Array {
  switch (data.type) {
    case "attester": {
      const d = data.data;
      return signingRoot(
        ssz.phase0.AttestationData.hashTreeRoot(d),
        config.getDomain(d.slot, DOMAIN_BEACON_ATTESTER, d.slot),
      );
    }
    case "proposer":
      return signingRoot(data.data.blockRoot, config.getDomain(data.data.slot, DOMAIN_BEACON_PROPOSER, data.data.slot));
    case "sync_message":
      return signingRoot(
        data.data.beaconBlockRoot,
        config.getDomain(data.data.slot, DOMAIN_SYNC_COMMITTEE, data.data.slot),
      );
    case "aggregator": {
      const slot = data.data.aggregate.data.slot;
      return signingRoot(
        ssz.electra.AggregateAndProof.hashTreeRoot(data.data),
        config.getDomain(slot, DOMAIN_AGGREGATE_AND_PROOF, slot),
      );
    }
    case "sync_contribution": {
      const slot = data.data.contribution.slot;
      return signingRoot(
        ssz.altair.ContributionAndProof.hashTreeRoot(data.data),
        config.getDomain(slot, DOMAIN_CONTRIBUTION_AND_PROOF, slot),
      );
    }
    case "randao": {
      const epoch = required(data.data.epoch, "epoch");
      const slot = epoch * slotsPerEpoch;
      return signingRoot(ssz.Epoch.hashTreeRoot(epoch), config.getDomain(slot, DOMAIN_RANDAO, slot));
    }
    case "prepare_aggregator": {
      const slot = required(data.data.slot, "slot");
      return signingRoot(ssz.Slot.hashTreeRoot(slot), config.getDomain(slot, DOMAIN_SELECTION_PROOF, slot));
    }
    case "voluntary_exit": {
      // EIP-7044: voluntary exits are signed with the Capella fork's domain whatever the fork, so they stay valid.
      const slot = data.data.epoch * slotsPerEpoch;
      return signingRoot(ssz.phase0.VoluntaryExit.hashTreeRoot(data.data), config.getDomainForVoluntaryExit(slot));
    }
    case "builder_registration":
      // builder-specs: the builder domain with the genesis fork version and a zero genesis validators root.
      return signingRoot(
        ssz.bellatrix.ValidatorRegistrationV1.hashTreeRoot(data.data),
        computeDomain(DOMAIN_APPLICATION_BUILDER, config.GENESIS_FORK_VERSION, ZERO_HASH),
      );
    case "prepare_sync_contribution": {
      const slot = required(data.data.slot, "slot");
      const subcommitteeIndex = required(data.data.subcommitteeIndex, "subcommitteeIndex");
      return signingRoot(
        ssz.altair.SyncAggregatorSelectionData.hashTreeRoot({ slot, subcommitteeIndex }),
        config.getDomain(slot, DOMAIN_SYNC_COMMITTEE_SELECTION_PROOF, slot),
      );
    }
  }
}

function required(value: number | undefined, field: string): number {
  if (value === undefined || !Number.isSafeInteger(value) || value < 0) {
    throw new PipelineError({ code: "ERR_DUTY_DATA_INVALID", reason: `${field} missing or not a u64` });
  }
  return value;
}
