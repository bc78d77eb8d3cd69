import { BaseError } from "./base.ts";

/** The address is not a registered restaking operator (checked before any approval or transaction). */
export class UnknownRestakingOperatorError extends BaseError<{
  code: "ERR_UNKNOWN_RESTAKING_OPERATOR";
  operator: string;
}> {
  override name = "UnknownRestakingOperatorError";
  constructor(operator: string) {
    super({ code: "ERR_UNKNOWN_RESTAKING_OPERATOR", operator }, `${operator} is not a registered restaking operator`, {
      hint: "Pick an operator from `nektar restake positions` / `stinger operator networks`, or register it first.",
    });
  }
}

/** The network id does not exist in the network registry. */
export class UnknownNetworkError extends BaseError<{ code: "ERR_UNKNOWN_NETWORK"; networkId: string }> {
  override name = "UnknownNetworkError";
  constructor(networkId: bigint) {
    super({ code: "ERR_UNKNOWN_NETWORK", networkId: networkId.toString() }, `network ${networkId} does not exist`, {
      hint: "List the networks with `stinger operator networks` (ids start at 1).",
    });
  }
}
