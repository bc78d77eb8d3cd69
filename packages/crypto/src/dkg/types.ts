/** An operator taking part in a ceremony, as registered on-chain. Only hashed into the session id. */
export type OperatorIdentity = {
  /** The operator's 20-byte Ethereum address (0x-prefixed hex), as registered in the operator registry. */
  address: `0x${string}`;
};

/** A dealer's Feldman commitment to its polynomial g(x) = a_0 + a_1 x + … + a_{t-1} x^{t-1}. */
export type DealerCommitment = {
  /** a_k·G1 for k = 0..t-1, 48-byte compressed G1 points. */
  commitments: readonly Uint8Array[];
  /** Proof of possession of a_0: BLS signature by a_0 over the session-bound PoP message (96 bytes). */
  pop: Uint8Array;
};

/** Round 1, broadcast: the dealer's commitment and proof of possession. */
export type DkgCommitmentMessage = DealerCommitment & {
  type: "commitment";
  sessionId: Uint8Array;
  dealer: number;
};

/** Round 1, point-to-point (the transport encrypts and authenticates it): g_dealer(recipient). */
export type DkgShareMessage = {
  type: "share";
  sessionId: Uint8Array;
  dealer: number;
  recipient: number;
  /** 32-byte big-endian scalar in [0, r). */
  share: Uint8Array;
};

/** What one recipient saw from one dealer in round 1. */
export type DkgDealerView = {
  /** Digest of the dealer's commitment this recipient accepted (PoP valid), or null if none. */
  commitmentDigest: Uint8Array | null;
  /** True when the recipient holds no valid share from this dealer (missing, or fails the Feldman check). */
  complaint: boolean;
};

/**
 * Round 2, broadcast: the sender's view of every dealer (index = dealer id - 1). Complaints and differing commitment
 * digests (equivocation, silence) both oblige the dealer to answer publicly in round 3.
 */
export type DkgComplaintsMessage = {
  type: "complaints";
  sessionId: Uint8Array;
  sender: number;
  views: readonly DkgDealerView[];
};

/** A share revealed in public by its dealer in answer to a complaint. */
export type RevealedShare = { recipient: number; share: Uint8Array };

/**
 * Round 3, broadcast: the dealer's answer: the one commitment it stands by and, for every recipient that complained
 * or saw another commitment, that recipient's share in the clear.
 */
export type DkgAnswerMessage = DealerCommitment & {
  type: "answer";
  sessionId: Uint8Array;
  dealer: number;
  revealed: readonly RevealedShare[];
};

export type DkgMessage = DkgCommitmentMessage | DkgShareMessage | DkgComplaintsMessage | DkgAnswerMessage;
export type DkgMessageType = DkgMessage["type"];

/** A message to send: `to` is a share index (point-to-point, secret) or "all" (broadcast to every other member). */
export type DkgOutbound = { to: number | "all"; message: DkgMessage };

export type DkgPhase = "idle" | "dealing" | "complaining" | "answering" | "done" | "aborted";

/** Randomness source: n uniformly random bytes. Tests inject a seeded one; the default is the platform CSPRNG. */
export type RandomSource = (n: number) => Uint8Array;

export type DkgConfig = {
  /** 32-byte session id from computeDkgSessionId; every message carries it. */
  sessionId: Uint8Array;
  /** Ordered members; share index = index + 1. */
  participants: readonly OperatorIdentity[];
  /** Signing threshold t (default deployment: 11 of 16). */
  threshold: number;
  /** This participant's share index, 1..n. */
  self: number;
};

/** What a successful ceremony yields to each member. */
export type DkgResult = {
  /** 48-byte validator public key. */
  groupPublicKey: Uint8Array;
  /** Public key of every member's share, index = share index - 1. */
  sharePublicKeys: Uint8Array[];
  /** Dealers whose contributions make up the key, ascending. */
  qualified: number[];
  /** This member's share. Secret: store it encrypted (see keystore), never log it. */
  keyShare: { shareIndex: number; secretKey: Uint8Array };
};
