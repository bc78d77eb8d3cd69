import { ContractFunctionRevertedError, BaseError as ViemBaseError } from "viem";
import { BaseError } from "./base.ts";
import { decodeNektarError } from "./nektarErrors.ts";

/** A contract call reverted; `errorName` and `args` are the decoded custom error when the ABI knows it. */
export class ContractRevertedError extends BaseError<{
  code: "ERR_CONTRACT_REVERTED";
  contract: string;
  functionName: string;
  errorName: string;
}> {
  override name = "ContractRevertedError";
  readonly errorName: string;
  readonly args: readonly unknown[];

  constructor(params: {
    contract: string;
    functionName: string;
    errorName: string;
    args: readonly unknown[];
    cause?: unknown;
  }) {
    const args = params.args.map(formatArg).join(", ");
    super(
      {
        code: "ERR_CONTRACT_REVERTED",
        contract: params.contract,
        functionName: params.functionName,
        errorName: params.errorName,
      },
      `${params.contract}.${params.functionName} reverted: ${params.errorName}(${args})`,
      { cause: params.cause },
    );
    this.errorName = params.errorName;
    this.args = params.args;
  }
}

/** The RPC endpoint failed (unreachable, timeout, malformed reply). */
export class RpcError extends BaseError<{ code: "ERR_RPC"; operation: string }> {
  override name = "RpcError";
  constructor(operation: string, cause: unknown) {
    const short =
      cause instanceof ViemBaseError ? cause.shortMessage : cause instanceof Error ? cause.message : String(cause);
    super({ code: "ERR_RPC", operation }, `${operation} failed: ${firstLine(short)}`, {
      cause,
      hint: "Check that the RPC URL is reachable (for the devnet: `nektar devnet status`).",
    });
  }
}

/** Turns a viem error thrown by a contract call into a typed SDK error (reverts decoded, the rest as RpcError). */
export function toSdkError(error: unknown, contract: string, functionName: string): BaseError {
  if (error instanceof BaseError) return error;
  if (error instanceof ViemBaseError) {
    const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
    if (reverted instanceof ContractFunctionRevertedError) {
      const decoded = reverted.data ?? decodeNektarError(reverted.raw);
      const errorName = decoded?.errorName ?? reverted.reason ?? "unknown";
      return new ContractRevertedError({ contract, functionName, errorName, args: decoded?.args ?? [], cause: error });
    }
  }
  return new RpcError(`${contract}.${functionName}`, error);
}

function formatArg(arg: unknown): string {
  if (typeof arg === "bigint") return arg.toString();
  if (typeof arg === "string") return arg;
  return JSON.stringify(arg, (_, v) => (typeof v === "bigint" ? v.toString() : v));
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? text;
}

/** A mined transaction's receipt lacks the event its contract always emits on success (wrong address or ABI). */
export class MissingEventError extends BaseError<{ code: "ERR_MISSING_EVENT"; eventName: string }> {
  override name = "MissingEventError";
  constructor(eventName: string) {
    super({ code: "ERR_MISSING_EVENT", eventName }, `no ${eventName} event in the transaction receipt`, {
      hint: "Check that the contract addresses belong to this deployment (`nektar devnet status` on the devnet).",
    });
  }
}
