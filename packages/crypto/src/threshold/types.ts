/** One operator's share of a distributed validator key: f(shareIndex) for the validator's secret polynomial f. */
export type KeyShare = {
  /** Share index 1..n: the evaluation point of the share (never 0, which is the whole key). */
  shareIndex: number;
  /** 32-byte big-endian scalar in [1, r). */
  secretKey: Uint8Array;
};

/** A BLS signature by one key share over a signing root, as carried between operators. */
export type PartialSignature = {
  shareIndex: number;
  /** 96-byte compressed G2 point. */
  signature: Uint8Array;
};
