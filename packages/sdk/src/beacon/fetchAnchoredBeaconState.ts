import { ssz } from "@lodestar/types";
import { AnchoredBeaconState, type BeaconStateView } from "@nektar/crypto";
import { BaseError } from "../errors/base.ts";

/** The beacon node did not serve the state or header, or served one that does not match. */
export class BeaconStateFetchError extends BaseError<{ code: "ERR_BEACON_STATE"; url: string }> {
  override name = "BeaconStateFetchError";
  constructor(url: string, shortMessage: string) {
    super({ code: "ERR_BEACON_STATE", url }, shortMessage, {
      hint: "Point --beacon-node at a client that serves /eth/v2/debug/beacon/states (SSZ) for recent states.",
    });
  }
}

export type FetchAnchoredBeaconStateParameters = {
  /** Beacon API base URL. */
  beaconUrl: string;
  /** A block id: `head`, a slot or a 0x block root (e.g. the EIP-4788 root a report anchors). */
  blockId: string;
};

export type FetchAnchoredBeaconStateReturnType = AnchoredBeaconState;

export type FetchAnchoredBeaconStateErrorType = BeaconStateFetchError;

type HeaderJson = {
  data: {
    root: string;
    header: {
      message: { slot: string; proposer_index: string; parent_root: string; state_root: string; body_root: string };
    };
  };
};

const bytes = (hex: string) => Uint8Array.from(Buffer.from(hex.slice(2), "hex"));

/**
 * The post-state of a beacon block with the block's header, through the standard Beacon API
 * (`/eth/v1/beacon/headers/{block_id}` and `/eth/v2/debug/beacon/states/{state_root}` as SSZ), checked against the
 * header's state root; `AnchoredBeaconState` then builds every proof from the block root. The process's Lodestar
 * preset must match the network's (minimal on the devnet).
 */
export async function fetchAnchoredBeaconState(
  p: FetchAnchoredBeaconStateParameters,
): Promise<FetchAnchoredBeaconStateReturnType> {
  const headerUrl = `${p.beaconUrl}/eth/v1/beacon/headers/${p.blockId}`;
  const headerRes = await fetch(headerUrl).catch((e: Error) => {
    throw new BeaconStateFetchError(headerUrl, `beacon node unreachable: ${e.message}`);
  });
  if (!headerRes.ok) throw new BeaconStateFetchError(headerUrl, `header request failed with ${headerRes.status}`);
  const header = ((await headerRes.json()) as HeaderJson).data;
  const m = header.header.message;
  const stateUrl = `${p.beaconUrl}/eth/v2/debug/beacon/states/${m.state_root}`;
  const stateRes = await fetch(stateUrl, { headers: { accept: "application/octet-stream" } });
  if (!stateRes.ok) throw new BeaconStateFetchError(stateUrl, `state request failed with ${stateRes.status}`);
  const fork = stateRes.headers.get("eth-consensus-version") ?? "electra";
  const types = ssz as unknown as Record<string, { BeaconState?: { deserializeToViewDU(b: Uint8Array): unknown } }>;
  const type = types[fork]?.BeaconState;
  if (
    type === undefined ||
    fork === "phase0" ||
    fork === "altair" ||
    fork === "bellatrix" ||
    fork === "capella" ||
    fork === "deneb"
  ) {
    throw new BeaconStateFetchError(stateUrl, `fork ${fork} is not supported (Electra or later)`);
  }
  const state = type.deserializeToViewDU(new Uint8Array(await stateRes.arrayBuffer())) as BeaconStateView;
  const anchored = new AnchoredBeaconState(state, {
    slot: Number(m.slot),
    proposerIndex: Number(m.proposer_index),
    parentRoot: bytes(m.parent_root),
    bodyRoot: bytes(m.body_root),
  });
  if (anchored.blockRoot.toLowerCase() !== header.root.toLowerCase()) {
    throw new BeaconStateFetchError(stateUrl, `state does not hash to block ${header.root}`);
  }
  return anchored;
}
