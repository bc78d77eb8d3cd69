import { LodestarError } from "@lodestar/utils";

export type DevnetErrorType =
  | { code: "ERR_DEVNET_INVALID_OPTION"; option: string; reason: string }
  | { code: "ERR_DEVNET_UNKNOWN_PARENT"; parentRoot: string; slot: number }
  | { code: "ERR_DEVNET_BLOCK_INVALID"; slot: number; reason: string }
  | { code: "ERR_DEVNET_BLOCK_SLOT"; slot: number; currentSlot: number; reason: string }
  | { code: "ERR_DEVNET_STATE_UNAVAILABLE"; stateId: string; reason: string }
  | { code: "ERR_DEVNET_EL_RPC"; method: string; reason: string };

/** Errors of the devnet chain and bridge. Messages say what to do next. */
export class DevnetError extends LodestarError<DevnetErrorType> {
  constructor(type: DevnetErrorType) {
    super(type, describe(type));
  }
}

function describe(type: DevnetErrorType): string {
  switch (type.code) {
    case "ERR_DEVNET_INVALID_OPTION":
      return `Invalid option ${type.option}: ${type.reason}`;
    case "ERR_DEVNET_UNKNOWN_PARENT":
      return `Block for slot ${type.slot} has unknown parent ${type.parentRoot}; build on the current head`;
    case "ERR_DEVNET_BLOCK_INVALID":
      return `Block for slot ${type.slot} is invalid: ${type.reason}`;
    case "ERR_DEVNET_BLOCK_SLOT":
      return `Block for slot ${type.slot} rejected at slot ${type.currentSlot}: ${type.reason}`;
    case "ERR_DEVNET_STATE_UNAVAILABLE":
      return `State ${type.stateId} is not available: ${type.reason}`;
    case "ERR_DEVNET_EL_RPC":
      return `Execution node call ${type.method} failed: ${type.reason}; check --el-rpc points at a running Hardhat node`;
  }
}
