import { LodestarError } from "@lodestar/utils";

export type NetworkModuleErrorType =
  | { code: "ERR_NETWORK_KEY_NOT_FOUND"; path: string }
  | { code: "ERR_NETWORK_KEY_INVALID"; path: string; reason: string }
  | { code: "ERR_NETWORK_KEY_WRONG_PASSWORD"; path: string }
  | { code: "ERR_NETWORK_CONFLICTING_SIGNATURE"; module: string; epoch: string; signed: string; requested: string }
  | { code: "ERR_NETWORK_PROTECTION_CORRUPT"; path: string; reason: string }
  | { code: "ERR_NETWORK_EPOCH_BELOW_WATERMARK"; module: string; epoch: string; watermark: string }
  | { code: "ERR_NETWORK_MODULE_INVALID"; module: string; reason: string }
  | { code: "ERR_NETWORK_MODULE_DUPLICATE"; module: string };

/** Errors of the Network-module host, its per-Network keys and its slashing protection. */
export class NetworkModuleError extends LodestarError<NetworkModuleErrorType> {}
