import { getBytecode, getChainId } from "viem/actions";
import type { NektarReadClient, WithContracts } from "../client.ts";
import { RpcError } from "../errors/contract.ts";
import { ContractNotDeployedError, WrongNetworkError } from "../errors/input.ts";
import { CONTRACT_NAMES } from "../manifest/types.ts";

export type AssertDeploymentParameters = WithContracts & {
  /** The chain the contracts were deployed on; omitted: not checked. */
  chainId?: number | undefined;
};

export type AssertDeploymentReturnType = { chainId: number };

export type AssertDeploymentErrorType = RpcError | WrongNetworkError | ContractNotDeployedError;

/** Checks that the RPC serves the expected chain and that every contract has code there. */
export async function assertDeployment(
  client: NektarReadClient,
  p: AssertDeploymentParameters,
): Promise<AssertDeploymentReturnType> {
  let chainId: number;
  try {
    chainId = await getChainId(client);
  } catch (e) {
    throw new RpcError("eth_chainId", e);
  }
  if (p.chainId !== undefined && chainId !== p.chainId) throw new WrongNetworkError(p.chainId, chainId);
  const codes = await Promise.all(
    CONTRACT_NAMES.map((name) =>
      getBytecode(client, { address: p.contracts[name] }).catch((e: unknown) => {
        throw new RpcError("eth_getCode", e);
      }),
    ),
  );
  CONTRACT_NAMES.forEach((name, i) => {
    const code = codes[i];
    if (code === undefined || code === "0x") throw new ContractNotDeployedError(name, p.contracts[name]);
  });
  return { chainId };
}
