import type { AnchoredBeaconState } from "@nektar/crypto";
import type { NektarWriteClient, TransactionResult, WithContracts } from "../client.ts";
import { oracleProverAbi } from "../generated/abis.ts";
import { ACCOUNTING_ORACLE, accountingOracle, transactionResult } from "../internal/contracts.ts";
import { read } from "../internal/read.ts";
import { type SendErrorType, send } from "../internal/send.ts";

export type ProveValidatorStatusParameters = WithContracts<"accountingOracle"> & {
  validatorId: bigint;
  /** Execution-block timestamp whose EIP-4788 root is `state`'s block root. */
  anchorTimestamp: bigint;
  state: AnchoredBeaconState;
  beaconIndex: number;
};

export type ProveValidatorStatusReturnType = TransactionResult;

/** `ContractRevertedError` with `NoStatusChange`, `ValidatorMismatch`, `UnknownValidator`, `BeaconRootNotFound`, … */
export type ProveValidatorStatusErrorType = SendErrorType;

/**
 * Moves a validator's registry lifecycle forward (active, exiting, exited, withdrawn — the last unlocks its operators'
 * bonds) from a beacon proof of its record; anyone may call.
 */
export async function proveValidatorStatus(
  client: NektarWriteClient,
  p: ProveValidatorStatusParameters,
): Promise<ProveValidatorStatusReturnType> {
  const address = await read(client, ACCOUNTING_ORACLE, { ...accountingOracle(p.contracts), functionName: "prover" });
  const { slot, proof } = p.state.slotProof();
  const v = p.state.validatorProof(p.beaconIndex);
  const sent = await send(client, "OracleProver", {
    address,
    abi: oracleProverAbi,
    functionName: "proveValidatorStatus",
    args: [p.validatorId, p.anchorTimestamp, slot, proof, BigInt(p.beaconIndex), v.validator, v.proof],
  });
  return transactionResult(sent);
}
