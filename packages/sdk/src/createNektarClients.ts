import {
  type Account,
  type Chain,
  createPublicClient,
  createWalletClient,
  http,
  type PublicClient,
  publicActions,
  type Transport,
} from "viem";
import { type AssertDeploymentErrorType, assertDeployment } from "./actions/assertDeployment.ts";
import { nektarChain } from "./chain.ts";
import { InvalidUrlError } from "./errors/input.ts";
import type { NektarContracts } from "./manifest/types.ts";

export type CreateNektarClientsParameters = {
  /** JSON-RPC URL (default: the manifest's `rpcUrl`). */
  rpc?: string | undefined;
  /**
   * The deployment: a loaded manifest, or only the contract addresses (then `chainId`, if given, is the chain they
   * must be on).
   */
  manifest: { chainId?: number | undefined; rpcUrl?: string | undefined; contracts: NektarContracts };
  /** Signs transactions; without it only the public client is made. */
  account?: Account | undefined;
};

/** A wallet client on the deployment's chain that can also read (viem's public actions). */
export type NektarWalletClient = ReturnType<typeof walletClientFor>;

export type NektarClients = {
  /** The chain the RPC serves (checked against the manifest's chain id). */
  chain: Chain;
  chainId: number;
  contracts: NektarContracts;
  publicClient: PublicClient<Transport, Chain>;
  /** A wallet client for another account on the same chain and RPC. */
  connectAccount(account: Account): NektarWalletClient;
};

/** RpcError, WrongNetworkError (not the manifest's chain), ContractNotDeployedError, InvalidUrlError. */
export type CreateNektarClientsErrorType = AssertDeploymentErrorType | InvalidUrlError;

/**
 * The clients every tool talks to the contracts with: a public client and, with an account, a wallet client, both on
 * the chain the RPC serves. Refuses an RPC on another chain than the manifest's, or without the contracts' code.
 */
export function createNektarClients(
  p: CreateNektarClientsParameters & { account: Account },
): Promise<NektarClients & { walletClient: NektarWalletClient }>;
export function createNektarClients(
  p: CreateNektarClientsParameters & { account?: undefined },
): Promise<NektarClients & { walletClient?: undefined }>;
export async function createNektarClients(
  p: CreateNektarClientsParameters,
): Promise<NektarClients & { walletClient?: NektarWalletClient | undefined }> {
  const rpcUrl = p.rpc ?? p.manifest.rpcUrl;
  if (rpcUrl === undefined || !URL.canParse(rpcUrl) || !/^https?:\/\//.test(rpcUrl)) {
    throw new InvalidUrlError(String(rpcUrl), "RPC URL");
  }
  const transport = http(rpcUrl);
  const { chainId } = await assertDeployment(createPublicClient({ transport }), {
    contracts: p.manifest.contracts,
    chainId: p.manifest.chainId,
  });
  const chain = nektarChain(chainId, rpcUrl);
  const publicClient = createPublicClient({ chain, transport });
  const connectAccount = (account: Account) => walletClientFor(chain, transport, account);
  return {
    chain,
    chainId,
    contracts: p.manifest.contracts,
    publicClient,
    connectAccount,
    walletClient: p.account === undefined ? undefined : connectAccount(p.account),
  };
}

function walletClientFor(chain: Chain, transport: Transport, account: Account) {
  return createWalletClient({ chain, transport, account }).extend(publicActions);
}
