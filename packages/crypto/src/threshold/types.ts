/** One operator's share of a distributed validator key: f(operatorId) for the validator's secret polynomial f. */
export type KeyShare = {
  /** Operator id 1..n: the evaluation point of the share (never 0, which is the whole key). */
  operatorId: number;
  /** 32-byte big-endian scalar in [1, r). */
  secretKey: Uint8Array;
};

/** A BLS signature by one key share over a signing root, as carried between operators. */
export type PartialSignature = {
  operatorId: number;
  /** 96-byte compressed G2 point. */
  signature: Uint8Array;
};
