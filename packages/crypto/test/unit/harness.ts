import { sha256 } from "@noble/hashes/sha2.js";
import {
  computeDkgSessionId,
  type DkgMessage,
  DkgMessageError,
  type DkgOutbound,
  DkgParticipant,
  decodeDkgMessage,
  encodeDkgMessage,
  type OperatorIdentity,
  type RandomSource,
} from "../../src/index.ts";

/** Deterministic randomness for tests: SHA-256 in counter mode over a seed. */
export function seededRandom(seed: string): RandomSource {
  let counter = 0;
  const key = new TextEncoder().encode(seed);
  return (n) => {
    const out = new Uint8Array(n);
    for (let o = 0; o < n; o += 32) {
      const block = sha256(
        new Uint8Array([...key, counter >> 24, (counter >> 16) & 255, (counter >> 8) & 255, counter & 255]),
      );
      counter++;
      out.set(block.subarray(0, Math.min(32, n - o)), o);
    }
    return out;
  };
}

export function operators(n: number, offset = 0): OperatorIdentity[] {
  return Array.from({ length: n }, (_, i) => ({
    address: `0x${(i + 1 + offset).toString(16).padStart(40, "0")}` as const,
  }));
}

export function sessionFor(participants: readonly OperatorIdentity[], requestId = 1n): Uint8Array {
  return computeDkgSessionId({
    chainId: 1n,
    contractAddress: "0x00000000000000000000000000000000000000aa",
    requestId,
    participants,
  });
}

/** A member of a simulated network: anything with receive/closeRound. */
export type Node = {
  receive(from: number, msg: DkgMessage): DkgOutbound[];
  closeRound(): DkgOutbound[];
  isRoundComplete(): boolean;
};

/** Delivery of one outbound message from `from`, which a test may rewrite per recipient (or drop with null). */
export type Tamper = (from: number, to: number, msg: DkgMessage) => DkgMessage | null;

/**
 * Deliver outbound messages between in-process nodes. `senderOf` maps a message to the sender id its role uses;
 * `recipientsOf` lists the node keys a broadcast or point-to-point message reaches. Rejected messages are counted.
 */
export class Network {
  readonly rejected: { to: number; error: DkgMessageError }[] = [];
  readonly nodes: Map<number, Node>;
  readonly tamper: Tamper;
  constructor(nodes: Map<number, Node>, tamper: Tamper = (_f, _t, m) => m) {
    this.nodes = nodes;
    this.tamper = tamper;
  }

  deliver(fromNode: number, outbound: DkgOutbound[], senderId: (m: DkgMessage) => number = senderOf): void {
    for (const { to, message } of outbound) {
      const targets = to === "all" ? [...this.nodes.keys()].filter((k) => k !== fromNode) : [to];
      for (const t of targets) {
        const node = this.nodes.get(t);
        if (node === undefined) continue;
        const m = this.tamper(fromNode, t, message);
        if (m === null) continue;
        try {
          node.receive(senderId(m), m);
        } catch (e) {
          if (e instanceof DkgMessageError) this.rejected.push({ to: t, error: e });
          else throw e;
        }
      }
    }
  }
}

export function senderOf(m: DkgMessage): number {
  return m.type === "complaints" ? m.sender : m.dealer;
}

export type DkgRunOptions = {
  n?: number;
  t?: number;
  seed?: string;
  /** Rewrite or drop (null) a message on its way from one node to another. */
  tamper?: Tamper;
  /** Send every delivery through encodeDkgMessage/decodeDkgMessage, as a transport would. */
  throughCodec?: boolean;
  /** Rewrite what a node emits in a round (1 = start, 2 = first closeRound, 3 = second closeRound). */
  outbound?: (self: number, round: number, out: DkgOutbound[]) => DkgOutbound[];
};

export type DkgRun = { participants: Map<number, DkgParticipant>; network: Network; aborted: Map<number, unknown> };

/** Run a whole DKG among in-process participants, round by round, with optional misbehaviour. */
export function runDkg(options: DkgRunOptions = {}): DkgRun {
  const n = options.n ?? 16;
  const t = options.t ?? 11;
  const participants = operators(n);
  const sessionId = sessionFor(participants);
  const nodes = new Map<number, DkgParticipant>();
  for (let i = 1; i <= n; i++) {
    nodes.set(
      i,
      new DkgParticipant(
        { sessionId, participants, threshold: t, self: i },
        seededRandom(`${options.seed ?? "dkg"}-${i}`),
      ),
    );
  }
  const tamper = options.tamper ?? ((_f: number, _t: number, m: DkgMessage) => m);
  const codec: Tamper = (f, t, m) => {
    const out = tamper(f, t, m);
    return out === null ? null : decodeDkgMessage(encodeDkgMessage(out));
  };
  const network = new Network(nodes as Map<number, Node>, options.throughCodec === true ? codec : tamper);
  const rewrite = options.outbound ?? ((_s, _r, out) => out);
  const aborted = new Map<number, unknown>();
  const pending = new Map<number, DkgOutbound[]>();
  for (const [i, p] of nodes) pending.set(i, rewrite(i, 1, p.start()));
  for (let round = 2; round <= 4; round++) {
    for (const [i, out] of pending) network.deliver(i, out);
    pending.clear();
    for (const [i, p] of nodes) {
      try {
        const out = p.closeRound();
        if (round < 4) pending.set(i, rewrite(i, round, out));
      } catch (e) {
        aborted.set(i, e);
      }
    }
  }
  return { participants: nodes, network, aborted };
}
