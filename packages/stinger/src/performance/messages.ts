import {
  ByteVectorType,
  ContainerType,
  ListBasicType,
  ListCompositeType,
  UintNumberType,
  type ValueOf,
} from "@chainsafe/ssz";

/**
 * The end-of-frame performance messages on the cluster's duty topic (`DutyMessageKind.performance`): one type byte,
 * then the SSZ body. Every message is a batch for one frame (one message per member and round, never one per
 * validator: the topic's publishers saturate around 150 messages/s on loopback), and every list is bounded, so a
 * message is at most a few hundred kilobytes before the transport fragments it. The sender's share index is the
 * transport's authenticated `from` + 1, never a field.
 */
export const PerformanceMessageType = {
  /** This member's signed counts for the validators it combined duties of (to the round's leaders). */
  views: 1,
  /** A round leader's proposals: per validator it leads, the signed views it holds. */
  proposals: 2,
  /** Partial signatures of accepted statements, each with the statement's arrays (so any member can combine). */
  partials: 3,
} as const;
export type PerformanceMessageType = (typeof PerformanceMessageType)[keyof typeof PerformanceMessageType];

/** Most shares a cluster has (`PerformanceStatement.check`: 1..255). */
export const MAX_SHARES = 255;
/** Most validators in one views or partials message (a batch is split above it). */
export const MAX_BATCH_ITEMS = 1024;
/** Most proposals in one message: each carries up to n signed views (~2.7 KB at n = 16). */
export const MAX_PROPOSAL_ITEMS = 64;

const Uint32 = new UintNumberType(4);
const Counts = new ListBasicType(Uint32, MAX_SHARES);

const ViewItem = new ContainerType({
  validatorIndex: new UintNumberType(8),
  duties: Uint32,
  contributed: Counts,
  signature: new ByteVectorType(96),
});
const ProposedView = new ContainerType({
  shareIndex: new UintNumberType(1),
  duties: Uint32,
  contributed: Counts,
  signature: new ByteVectorType(96),
});
const ProposalItem = new ContainerType({
  validatorIndex: new UintNumberType(8),
  views: new ListCompositeType(ProposedView, MAX_SHARES),
});
const PartialItem = new ContainerType({
  validatorIndex: new UintNumberType(8),
  expected: Counts,
  contributed: Counts,
  signature: new ByteVectorType(96),
});

const ViewsMessage = new ContainerType({
  frame: new UintNumberType(8),
  round: new UintNumberType(2),
  items: new ListCompositeType(ViewItem, MAX_BATCH_ITEMS),
});
const ProposalsMessage = new ContainerType({
  frame: new UintNumberType(8),
  round: new UintNumberType(2),
  items: new ListCompositeType(ProposalItem, MAX_PROPOSAL_ITEMS),
});
const PartialsMessage = new ContainerType({
  frame: new UintNumberType(8),
  items: new ListCompositeType(PartialItem, MAX_BATCH_ITEMS),
});

export type ViewsMessage = ValueOf<typeof ViewsMessage>;
export type ProposalsMessage = ValueOf<typeof ProposalsMessage>;
export type PartialsMessage = ValueOf<typeof PartialsMessage>;

export type PerformanceMessage =
  | { type: typeof PerformanceMessageType.views; body: ViewsMessage }
  | { type: typeof PerformanceMessageType.proposals; body: ProposalsMessage }
  | { type: typeof PerformanceMessageType.partials; body: PartialsMessage };

function prefixed(type: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(body.length + 1);
  out[0] = type;
  out.set(body, 1);
  return out;
}

/** Serializes one message (lists above their bounds throw: split batches with {@link chunk} first). */
export function encodePerformanceMessage(m: PerformanceMessage): Uint8Array {
  switch (m.type) {
    case PerformanceMessageType.views:
      return prefixed(m.type, ViewsMessage.serialize(m.body));
    case PerformanceMessageType.proposals:
      return prefixed(m.type, ProposalsMessage.serialize(m.body));
    case PerformanceMessageType.partials:
      return prefixed(m.type, PartialsMessage.serialize(m.body));
  }
}

/** Parses a received message; undefined when it is not a well-formed performance message. Never throws. */
export function decodePerformanceMessage(data: Uint8Array): PerformanceMessage | undefined {
  const body = data.subarray(1);
  try {
    switch (data[0]) {
      case PerformanceMessageType.views:
        return { type: PerformanceMessageType.views, body: ViewsMessage.deserialize(body) };
      case PerformanceMessageType.proposals:
        return { type: PerformanceMessageType.proposals, body: ProposalsMessage.deserialize(body) };
      case PerformanceMessageType.partials:
        return { type: PerformanceMessageType.partials, body: PartialsMessage.deserialize(body) };
      default:
        return undefined;
    }
  } catch {
    return undefined;
  }
}

/** `items` in consecutive slices of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
