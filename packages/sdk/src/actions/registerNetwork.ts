import { type Address, zeroAddress } from "viem";
import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { CliUsageError } from "../errors/cli.ts";
import { NETWORK_REGISTRY, networkRegistry, transactionResult } from "../internal/contracts.ts";
import { eventArgs, type SendErrorType, send } from "../internal/send.ts";

export type RegisterNetworkParameters = WithContracts<"networkRegistry"> & {
  /** Pays rewards and requests veto slashes (default: the caller). */
  middleware?: Address | undefined;
  /** `objective`: `slasher` is an ISlashVerifier checking evidence; `veto`: `slasher` is the veto resolver. */
  kind: "objective" | "veto";
  slasher: Address;
  /** Seconds the resolver may veto (veto networks; shorter than an epoch). */
  vetoWindow?: number | undefined;
  /** Receives slashed divETH; default: burnt. */
  slashReceiver?: Address | undefined;
  /** Most divETH shares counted per operator. */
  maxStakePerOperator: bigint;
  /** Most stake wanted in total (advisory). */
  maxTotalStake?: bigint | undefined;
  /** Reward tokens (zero address: ether), at most 4. */
  rewardTokens?: readonly Address[] | undefined;
  metadataURI: string;
};

export type RegisterNetworkReturnType = TransactionResult & { networkId: bigint };

export type RegisterNetworkErrorType = CliUsageError | SendErrorType;

/** Registers a network (permissionless; the caller becomes its admin). */
export async function registerNetwork(
  client: NektarWriteClient,
  p: RegisterNetworkParameters,
): Promise<RegisterNetworkReturnType> {
  if (p.kind === "veto" && (p.vetoWindow === undefined || p.vetoWindow <= 0)) {
    throw new CliUsageError("a veto network needs a positive veto window", "Give --veto-window <seconds>.");
  }
  if (p.maxStakePerOperator <= 0n) {
    throw new CliUsageError("the maximum stake per operator must be positive", "Give --max-stake-per-operator.");
  }
  const registry = networkRegistry(p.contracts);
  const sent = await send(client, NETWORK_REGISTRY, {
    ...registry,
    functionName: "registerNetwork",
    args: [
      {
        middleware: p.middleware ?? client.account.address,
        slasher: p.slasher,
        slashReceiver: p.slashReceiver ?? zeroAddress,
        kind: p.kind === "objective" ? 0 : 1,
        vetoWindow: p.kind === "veto" ? (p.vetoWindow ?? 0) : 0,
        maxStakePerOperator: p.maxStakePerOperator,
        maxTotalStake: p.maxTotalStake ?? p.maxStakePerOperator,
        rewardTokens: [...(p.rewardTokens ?? [zeroAddress])],
        metadataURI: p.metadataURI,
      },
    ],
  });
  const { networkId } = eventArgs(registry.abi, sent.receipt.logs, "NetworkRegistered");
  return { ...transactionResult(sent), networkId };
}
