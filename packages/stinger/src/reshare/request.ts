import { reshareManagerAbi } from "@nektar/sdk";
import type { Address, Hex, Log } from "viem";
import { getAddress, hexToBytes, parseEventLogs } from "viem";
import type { ClusterDefinition, DefinitionOperator } from "../dkg/definition.ts";
import type { VerifiedLock } from "../dkg/verifyLock.ts";
import { ReshareError } from "./errors.ts";

/**
 * What the operator registry will emit when a seat of a distributed validator changes hands:
 * `ReshareRequested(validator, leavingIndex, newcomer, members, deadline, nonce)`. The chain follower turns it, with
 * the cluster lock every member already holds and the newcomer's registered peer, into a {@link ReshareRequest}.
 */
export type ReshareRequestedEvent = {
  /** The validator key (48 bytes, 0x hex). */
  validator: Hex;
  /** The seat (1-based share index) whose operator leaves. */
  leavingIndex: number;
  /** The replacement's registered execution-layer address. */
  newcomer: Address;
  /** The current membership in seat order (execution-layer addresses), the leaving operator included. */
  members: readonly Address[];
  /** Unix time (seconds) by which the result must be accepted; the new shares take over at the first epoch after it. */
  deadline: bigint;
  /** The request's nonce: bound into the session id and the signed result, so nothing is replayed across requests. */
  nonce: bigint;
};

/** A `ReshareRequested` log of the reshare manager, with the ids the event also carries. */
export type OnchainReshareRequested = ReshareRequestedEvent & { validatorId: bigint; newcomerOperatorId: bigint };

/**
 * The `ReshareRequested` events among `logs` (the reshare manager's, `contracts/src/diva/ReshareManager.sol`), as the
 * {@link ReshareRequestedEvent}s `planReshare` takes. Refuses a seat outside 1..16 or a validator key that is not 48
 * bytes, so nothing malformed reaches a ceremony.
 */
export function reshareRequestsFromLogs(logs: Log[]): OnchainReshareRequested[] {
  return parseEventLogs({ abi: reshareManagerAbi, logs, eventName: "ReshareRequested", strict: true }).map(
    ({ args }) => {
      if (args.leavingIndex < 1n || args.leavingIndex > BigInt(args.members.length))
        invalid(`leavingIndex ${args.leavingIndex} is not a seat 1..${args.members.length}`);
      if (hexToBytes(args.validator).length !== 48) invalid("the validator key is not 48 bytes");
      return {
        validatorId: args.validatorId,
        newcomerOperatorId: args.newcomerOperatorId,
        validator: args.validator,
        leavingIndex: Number(args.leavingIndex),
        newcomer: getAddress(args.newcomer),
        members: args.members.map((m) => getAddress(m)),
        deadline: args.deadline,
        nonce: args.nonce,
      };
    },
  );
}

/** Chain timing the switch epoch is computed with (every member reads the same from its beacon node). */
export type ChainTiming = { genesisTime: number; secondsPerSlot: number; slotsPerEpoch: number };

/** Everything a member needs to run one resharing. */
export type ReshareRequest = {
  event: ReshareRequestedEvent;
  /** The validator's current lock (verified) and its definition. */
  current: VerifiedLock;
  /** The newcomer as registered: its libp2p identity and dialing hints. */
  newcomer: DefinitionOperator;
  /** The network's GENESIS_FORK_VERSION (4 bytes), for the signing domain of the result. */
  genesisForkVersion: Hex;
  timing: ChainTiming;
};

/** A checked request: the definition after the seat changes hands and the epoch at which the new shares take over. */
export type ResharePlan = {
  request: ReshareRequest;
  /** The definition after the change: the same seats, the leaving one held by the newcomer. */
  next: ClusterDefinition;
  switchEpoch: number;
};

function invalid(reason: string): never {
  throw new ReshareError({ code: "ERR_RESHARE_REQUEST_INVALID", reason });
}

/**
 * The first epoch that starts at or after `deadline`: the new shares sign from there on, the old ones up to the epoch
 * before. A fixed function of the request, so every member switches at the same boundary without another round.
 */
export function switchEpochOf(deadline: bigint, timing: ChainTiming): number {
  const epochSeconds = timing.secondsPerSlot * timing.slotsPerEpoch;
  const since = Number(deadline) - timing.genesisTime;
  return since <= 0 ? 0 : Math.ceil(since / epochSeconds);
}

/**
 * Check a request against the lock this node holds and derive the new definition. Refuses a request whose validator,
 * membership or seat differ from the lock, a newcomer already in the cluster, or a newcomer without the registered
 * address, so a member never deals its share into a ceremony it cannot account for.
 */
export function planReshare(request: ReshareRequest): ResharePlan {
  const { event, newcomer } = request;
  const { definition, lock } = request.current;
  const n = definition.operators.length;
  if (event.members.length !== n) invalid(`the request names ${event.members.length} members, the lock ${n}`);
  event.members.forEach((m, i) => {
    if (
      getAddress(m) !== getAddress(definition.operators[i]?.elAddress ?? "0x0000000000000000000000000000000000000000")
    )
      invalid(`member ${i + 1} is ${m} in the request but ${definition.operators[i]?.elAddress} in the lock`);
  });
  if (!Number.isInteger(event.leavingIndex) || event.leavingIndex < 1 || event.leavingIndex > n)
    invalid(`leavingIndex ${event.leavingIndex} is not a seat 1..${n}`);
  if (event.validator.toLowerCase() !== lock.groupPublicKey.toLowerCase())
    invalid(`the request is for validator ${event.validator}, the lock holds ${lock.groupPublicKey}`);
  if (getAddress(newcomer.elAddress) !== getAddress(event.newcomer))
    invalid(`the newcomer's peer is registered for ${newcomer.elAddress}, the request names ${event.newcomer}`);
  const existing = definition.operators.findIndex(
    (o) => o.peerId === newcomer.peerId || getAddress(o.elAddress) === getAddress(newcomer.elAddress),
  );
  if (existing >= 0) invalid(`the newcomer already holds seat ${existing + 1}`);
  if (hexToBytes(request.genesisForkVersion).length !== 4) invalid("genesisForkVersion must be 4 bytes");
  const operators = definition.operators.map((o, i) => (i + 1 === event.leavingIndex ? { ...newcomer } : o));
  return { request, next: { ...definition, operators }, switchEpoch: switchEpochOf(event.deadline, request.timing) };
}
