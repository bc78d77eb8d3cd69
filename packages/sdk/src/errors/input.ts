import { BaseError } from "./base.ts";

/** An amount that is not a positive decimal number of ether (at most 18 decimals). */
export class InvalidAmountError extends BaseError<{ code: "ERR_INVALID_AMOUNT"; value: string }> {
  override name = "InvalidAmountError";
  constructor(value: string, reason: string) {
    super({ code: "ERR_INVALID_AMOUNT", value }, `invalid amount "${value}": ${reason}`, {
      hint: "Give a positive decimal amount of ether, e.g. 1.5 (at most 18 decimals).",
    });
  }
}

/** A string that is not a 20-byte hex address (or fails its EIP-55 checksum). */
export class InvalidAddressError extends BaseError<{ code: "ERR_INVALID_ADDRESS"; value: string }> {
  override name = "InvalidAddressError";
  constructor(value: string, what = "address") {
    super({ code: "ERR_INVALID_ADDRESS", value }, `invalid ${what} "${value}"`, {
      hint: "Give a 0x-prefixed 20-byte hex address (mixed case must match its EIP-55 checksum).",
    });
  }
}

/** A number that must be a non-negative integer id (operator id, request id, validator id). */
export class InvalidIdError extends BaseError<{ code: "ERR_INVALID_ID"; value: string; what: string }> {
  override name = "InvalidIdError";
  constructor(value: string, what: string) {
    super({ code: "ERR_INVALID_ID", value, what }, `invalid ${what} "${value}": expected a positive integer`);
  }
}

/** The account cannot pay for the action. */
export class InsufficientBalanceError extends BaseError<{
  code: "ERR_INSUFFICIENT_BALANCE";
  account: string;
  asset: string;
  balance: string;
  needed: string;
}> {
  override name = "InsufficientBalanceError";
  constructor(params: { account: string; asset: string; balance: string; needed: string }) {
    super(
      { code: "ERR_INSUFFICIENT_BALANCE", ...params },
      `insufficient ${params.asset} balance: ${params.account} has ${params.balance}, needs ${params.needed}`,
      { hint: `Fund ${params.account} with more ${params.asset} or use a smaller amount.` },
    );
  }
}

/** The RPC endpoint serves a different chain than the addresses belong to. */
export class WrongNetworkError extends BaseError<{ code: "ERR_WRONG_NETWORK"; expected: number; actual: number }> {
  override name = "WrongNetworkError";
  constructor(expected: number, actual: number) {
    super(
      { code: "ERR_WRONG_NETWORK", expected, actual },
      `wrong network: the RPC serves chain ${actual}, the contracts are deployed on chain ${expected}`,
      { hint: "Point --rpc at the chain of the manifest (or give the manifest of that chain)." },
    );
  }
}

/** No contract code at an address the SDK was told to use. */
export class ContractNotDeployedError extends BaseError<{
  code: "ERR_CONTRACT_NOT_DEPLOYED";
  contract: string;
  address: string;
}> {
  override name = "ContractNotDeployedError";
  constructor(contract: string, address: string) {
    super(
      { code: "ERR_CONTRACT_NOT_DEPLOYED", contract, address },
      `no ${contract} contract at ${address} on this chain`,
      {
        hint: "Check the manifest or the address flags; a restarted devnet has new contracts (run `nektar devnet status`).",
      },
    );
  }
}

/** A URL flag or setting that is not an http(s) or ws(s) URL. */
export class InvalidUrlError extends BaseError<{ code: "ERR_INVALID_URL"; value: string; what: string }> {
  override name = "InvalidUrlError";
  constructor(value: string, what: string) {
    super({ code: "ERR_INVALID_URL", value, what }, `invalid ${what} "${value}"`, {
      hint: "Give an http(s) URL such as http://127.0.0.1:8545 (or set rpcUrl in the manifest).",
    });
  }
}
