import type { Account, Chain, Client, Transport } from "viem";
import type { NektarContracts } from "./manifest/types.ts";

/** Any viem client that can read the chain. */
export type NektarReadClient = Client<Transport, Chain | undefined>;

/** A viem client with a chain and an account that signs transactions (local key or unlocked JSON-RPC account). */
export type NektarWriteClient = Client<Transport, Chain, Account>;

/**
 * Every action takes the deployment's contract addresses: a whole manifest's `contracts`, or only the ones the action
 * calls (`{ operatorRegistry }` for a registry reader).
 */
export type WithContracts<name extends keyof NektarContracts = keyof NektarContracts> = {
  contracts: Pick<NektarContracts, name>;
};

/** What a state-changing action returns besides its own result. */
export type TransactionResult = { hash: `0x${string}`; blockNumber: bigint; gasUsed: bigint };
