import type { Address } from "viem";
import type { NektarWriteClient, TransactionResult } from "../client.ts";
import type { NativeNotDeployedError } from "../errors/native.ts";
import { transactionResult } from "../internal/contracts.ts";
import {
  DISTRIBUTOR,
  DISTRIBUTOR_FACTORY,
  distributor,
  distributorFactory,
  type MaybeNativeContracts,
  requireNative,
} from "../internal/native.ts";
import { eventArgs, type SendErrorType, send } from "../internal/send.ts";

export type CreateDistributorParameters = {
  contracts: MaybeNativeContracts<"distributorFactory" | "signalStrategy">;
  /** Allocation strategy (default: the deployment's reference SignalStrategy). */
  strategy?: Address | undefined;
  name: string;
  symbol: string;
  /** Restaking operators to add (the caller becomes the curator), at most 16. */
  operators?: readonly Address[] | undefined;
};

export type CreateDistributorReturnType = TransactionResult & { distributor: Address };

export type CreateDistributorErrorType = NativeNotDeployedError | SendErrorType;

/** Deploys a Distributor through the factory (listed for the marketplace) and adds its operators. */
export async function createDistributor(
  client: NektarWriteClient,
  p: CreateDistributorParameters,
): Promise<CreateDistributorReturnType> {
  const c = requireNative(p.contracts, ["distributorFactory", "signalStrategy"]);
  const f = distributorFactory(c.distributorFactory);
  const sent = await send(client, DISTRIBUTOR_FACTORY, {
    ...f,
    functionName: "create",
    args: [p.strategy ?? c.signalStrategy, p.name, p.symbol],
  });
  const { distributor: address } = eventArgs(f.abi, sent.receipt.logs, "DistributorCreated");
  let last: TransactionResult = transactionResult(sent);
  for (const operator of p.operators ?? []) {
    const added = await send(client, DISTRIBUTOR, {
      ...distributor(address),
      functionName: "addOperator",
      args: [operator],
    });
    last = transactionResult(added);
  }
  return { ...last, distributor: address };
}
