import { BaseError } from "@nektar/sdk/browser";

/** An action needs an account and none is connected. */
export class NoAccountError extends BaseError<{ code: "ERR_NO_ACCOUNT" }> {
  override name = "NoAccountError";
  constructor() {
    super({ code: "ERR_NO_ACCOUNT" }, "no account connected");
  }
}

/** The wallet is on another chain than the deployment. */
export class WrongWalletChainError extends BaseError<{
  code: "ERR_WRONG_WALLET_CHAIN";
  expected: number;
  actual: number;
}> {
  override name = "WrongWalletChainError";
  constructor(expected: number, actual: number) {
    super(
      { code: "ERR_WRONG_WALLET_CHAIN", expected, actual },
      `the wallet is on chain ${actual}, the deployment on ${expected}`,
    );
  }
}
