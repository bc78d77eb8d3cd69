import { fileURLToPath } from "node:url";

/** Repository root (the CLI runs from the workspace checkout). */
export const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
export const CONTRACTS_DIR = `${REPO_ROOT}contracts/`;
export const HARDHAT_CLI = `${REPO_ROOT}node_modules/hardhat/dist/src/cli.js`;
export const BEACON_DEVNET_CLI = `${REPO_ROOT}packages/beacon-devnet/src/cli.ts`;
export const STINGER_CLI = `${REPO_ROOT}packages/stinger/bin/stinger.js`;
/** Default devnet directory: manifest, state file, logs, operator data dirs. */
export const DEFAULT_DEVNET_DIR = `${REPO_ROOT}.nektar/devnet`;
