import type { Hex } from "viem";
import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { ExitConditionError } from "../errors/exits.ts";
import { exitManagerAbi } from "../generated/abis.ts";
import {
  EXIT_MANAGER,
  exitManager,
  OPERATOR_REGISTRY,
  operatorRegistry,
  transactionResult,
} from "../internal/contracts.ts";
import { read } from "../internal/read.ts";
import { eventArgs, type SendErrorType, send } from "../internal/send.ts";

export type RequestExitForLostBondParameters = WithContracts<"withdrawalVault" | "operatorRegistry"> & {
  validatorId: bigint;
  /** Cluster position (0..15) of an ejected operator; default: the first ejected one, found on-chain. */
  position?: number | undefined;
};

export type RequestExitForLostBondReturnType = TransactionResult & {
  validatorId: bigint;
  pubkey: Hex;
  /** The ejected operator the exit was justified by. */
  operatorId: bigint;
  withdrawalRequestAfter: bigint;
};

/**
 * `ExitConditionError` when no operator of the cluster is ejected; `ContractRevertedError` `NotExitable`,
 * `ExitAlreadyRequested`, `OperatorNotEjected`, `InvalidClusterPosition`.
 */
export type RequestExitForLostBondErrorType = SendErrorType | ExitConditionError;

/**
 * Asks a validator to exit because an operator of its cluster was ejected (its bond no longer backs its key share).
 * Anyone may call.
 */
export async function requestExitForLostBond(
  client: NektarWriteClient,
  p: RequestExitForLostBondParameters,
): Promise<RequestExitForLostBondReturnType> {
  const registry = operatorRegistry(p.contracts);
  const { operatorIds } = await read(client, OPERATOR_REGISTRY, {
    ...registry,
    functionName: "getRequest",
    args: [p.validatorId],
  });
  let position = p.position;
  if (position === undefined) {
    const operators = await Promise.all(
      operatorIds.map((id) =>
        read(client, OPERATOR_REGISTRY, { ...registry, functionName: "getOperator", args: [BigInt(id)] }),
      ),
    );
    const found = operators.findIndex((o) => o.ejected);
    if (found < 0) {
      throw new ExitConditionError(`no operator of validator ${p.validatorId}'s cluster is ejected`, p.validatorId);
    }
    position = found;
  }
  const manager = await exitManager(client, p.contracts);
  const sent = await send(client, EXIT_MANAGER, {
    ...manager,
    functionName: "requestExitForLostBond",
    args: [p.validatorId, BigInt(position)],
  });
  const e = eventArgs(exitManagerAbi, sent.receipt.logs, "ValidatorExitRequested");
  return {
    ...transactionResult(sent),
    validatorId: p.validatorId,
    pubkey: e.pubkey,
    operatorId: BigInt(operatorIds[position] ?? 0),
    withdrawalRequestAfter: e.withdrawalRequestAfter,
  };
}
