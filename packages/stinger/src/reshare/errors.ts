import { LodestarError } from "@lodestar/utils";

export type ReshareErrorType =
  | { code: "ERR_RESHARE_REQUEST_INVALID"; reason: string }
  | { code: "ERR_RESHARE_NOT_MEMBER"; peerId: string }
  | { code: "ERR_RESHARE_TOO_FEW_DEALERS"; dealers: number[]; threshold: number }
  | { code: "ERR_RESHARE_FAILED"; reason: string }
  | { code: "ERR_RESHARE_VALIDATOR_SIGNATURE"; reason: string }
  | { code: "ERR_RESHARE_SLASHING_STATE"; reason: string; attesters: number[]; required: number };

/** A resharing that cannot start or did not complete; nothing is written when it is thrown. */
export class ReshareError extends LodestarError<ReshareErrorType> {}
