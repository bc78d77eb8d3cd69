import { BaseError } from "../errors/base.ts";

/** One deployment step failed (unreachable node, reverted or unconfirmed transaction, no account to sign with). */
export class DeploymentError extends BaseError<{ code: "ERR_DEPLOYMENT"; step: string }> {
  override name = "DeploymentError";
  constructor(step: string, shortMessage: string, params: { hint?: string; cause?: unknown } = {}) {
    super({ code: "ERR_DEPLOYMENT", step }, shortMessage, params);
  }
}

/**
 * The devnet deposit contract was about to be deployed on a chain that is not a local development chain. A public
 * network already has the beacon chain's deposit contract; a second one would take real ether that no beacon chain
 * ever sees.
 */
export class DepositContractChainError extends BaseError<{
  code: "ERR_DEPOSIT_CONTRACT_CHAIN";
  chainId: number;
  localChainIds: readonly number[];
}> {
  override name = "DepositContractChainError";
  constructor(chainId: number, localChainIds: readonly number[]) {
    super(
      { code: "ERR_DEPOSIT_CONTRACT_CHAIN", chainId, localChainIds },
      `refusing to deploy the devnet deposit contract on chain ${chainId}: it is not a local chain (${localChainIds.join(", ")})`,
      {
        hint: "On a public network pass the beacon chain's deposit contract (`--deposit-contract <address>`, or the `depositContract` option of deployNektar).",
      },
    );
  }
}

/** Creation bytecode could not be linked to its external libraries (missing or bad address, stale references). */
export class LinkBytecodeError extends BaseError<{ code: "ERR_LINK_BYTECODE"; library: string }> {
  override name = "LinkBytecodeError";
  constructor(library: string, shortMessage: string) {
    super({ code: "ERR_LINK_BYTECODE", library }, shortMessage, {
      hint: "Deploy every library the contract links and pass its address; regenerate the SDK's bytecode (`npm run build`) if the references are stale.",
    });
  }
}
