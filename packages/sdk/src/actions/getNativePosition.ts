import type { Address } from "viem";
import type { NektarReadClient } from "../client.ts";
import type { NativeNotDeployedError } from "../errors/native.ts";
import {
  type MaybeNativeContracts,
  NATIVE_RESTAKING_VAULT,
  NATIVE_VAULT,
  nativeRestakingVault,
  nativeVault,
  requireNative,
} from "../internal/native.ts";
import { type ReadErrorType, read } from "../internal/read.ts";

export type GetNativePositionParameters = {
  contracts: MaybeNativeContracts<"nativeVault" | "nativeRestakingVault">;
  account: Address;
  /** Operators whose delegations to report. */
  operators?: readonly Address[] | undefined;
};

export type NativeDelegation = {
  operator: Address;
  /** Active native shares (slashable, earning) and their ether value now. */
  active: bigint;
  activeEther: bigint;
  /** Native shares waiting for activation. */
  pending: bigint;
  pendingEpoch: bigint;
};

export type GetNativePositionReturnType = {
  /** Undelegated native shares and their ether value now. */
  shares: bigint;
  ether: bigint;
  delegations: NativeDelegation[];
  vault: {
    totalPooledEther: bigint;
    totalShares: bigint;
    /** Ether owed to queued and refused payouts (slashes and withdrawals). */
    owedEther: bigint;
    /** Ether the queue lacks beyond balance and in-flight EIP-7002 requests. */
    shortfall: bigint;
    depositedValidators: bigint;
    pendingTopUps: bigint;
    reportedValidators: bigint;
    payoutQueueNext: bigint;
    payoutQueueLength: bigint;
  };
};

export type GetNativePositionErrorType = NativeNotDeployedError | ReadErrorType;

/** A native restaker's position: undelegated shares, delegations and the vault's state. */
export async function getNativePosition(
  client: NektarReadClient,
  p: GetNativePositionParameters,
): Promise<GetNativePositionReturnType> {
  const c = requireNative(p.contracts, ["nativeVault", "nativeRestakingVault"]);
  const v = nativeVault(c.nativeVault);
  const r = (functionName: "getTotalPooledEther" | "getTotalShares" | "owedEther" | "shortfall") =>
    read(client, NATIVE_VAULT, { ...v, functionName });
  const [shares, totalPooledEther, totalShares, owedEther, shortfall, stats, queue] = await Promise.all([
    read(client, NATIVE_VAULT, { ...v, functionName: "sharesOf", args: [p.account] }),
    r("getTotalPooledEther"),
    r("getTotalShares"),
    r("owedEther"),
    r("shortfall"),
    read(client, NATIVE_VAULT, { ...v, functionName: "validatorStats" }),
    read(client, NATIVE_VAULT, { ...v, functionName: "payoutQueue" }),
  ]);
  const ether = await read(client, NATIVE_VAULT, { ...v, functionName: "getPooledEthByShares", args: [shares] });
  const delegations = await Promise.all(
    (p.operators ?? []).map(async (operator): Promise<NativeDelegation> => {
      const [active, pending, pendingEpoch] = await read(client, NATIVE_RESTAKING_VAULT, {
        ...nativeRestakingVault(c.nativeRestakingVault),
        functionName: "positionOf",
        args: [p.account, operator],
      });
      const activeEther = await read(client, NATIVE_VAULT, {
        ...v,
        functionName: "getPooledEthByShares",
        args: [active],
      });
      return { operator, active, activeEther, pending, pendingEpoch };
    }),
  );
  return {
    shares,
    ether,
    delegations,
    vault: {
      totalPooledEther,
      totalShares,
      owedEther,
      shortfall,
      depositedValidators: stats[0],
      pendingTopUps: stats[1],
      reportedValidators: stats[2],
      payoutQueueNext: queue[0],
      payoutQueueLength: queue[1],
    },
  };
}
