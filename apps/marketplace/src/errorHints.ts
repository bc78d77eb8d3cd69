import { describeError, type ErrorHints, type ErrorReport } from "@nektar/sdk/browser";

/** Hints of the app's own error codes; the SDK's codes (reverts, RPC, input) come with the SDK's hints. */
export const APP_ERROR_HINTS = {
  ERR_MARKETPLACE_CONFIG: {
    hint: "Serve a config.json next to index.html: {manifest: <the deployment manifest>, rpcUrl: <JSON-RPC URL>} (`npm start` writes one).",
  },
  ERR_NO_ACCOUNT: {
    hint: "Connect a wallet (or pick a devnet account in development mode) first.",
  },
  ERR_WRONG_WALLET_CHAIN: {
    hint: "Switch your wallet to the chain of this deployment, then try again.",
  },
} as const satisfies ErrorHints;

/** One thrown value as the app shows it: message, hint and, for reverts, the decoded custom error. */
export function describeForUser(error: unknown): ErrorReport {
  return describeError(error, APP_ERROR_HINTS);
}
