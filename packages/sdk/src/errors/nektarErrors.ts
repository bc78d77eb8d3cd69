import { type Abi, decodeErrorResult, type Hex } from "viem";
import {
  accountingOracleAbi,
  depositContractAbi,
  exitManagerAbi,
  operatorRegistryAbi,
  stakingPoolAbi,
  withdrawalQueueAbi,
  withdrawalVaultAbi,
  wrappedDivETHAbi,
} from "../generated/abis.ts";

/** Every custom error of every Nektar contract: a call reverts with errors of the contracts it calls into too. */
const allErrorsAbi: Abi = (() => {
  const seen = new Set<string>();
  const out: Abi[number][] = [];
  for (const abi of [
    stakingPoolAbi,
    operatorRegistryAbi,
    withdrawalQueueAbi,
    wrappedDivETHAbi,
    accountingOracleAbi,
    withdrawalVaultAbi,
    exitManagerAbi,
    depositContractAbi,
  ] as readonly Abi[]) {
    for (const item of abi) {
      if (item.type !== "error") continue;
      const key = `${item.name}(${item.inputs.map((i) => i.type).join(",")})`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(item);
    }
  }
  return out;
})();

/** Decodes revert data against every Nektar error; undefined when unknown. */
export function decodeNektarError(data: Hex | undefined): { errorName: string; args: readonly unknown[] } | undefined {
  if (data === undefined || data.length < 10) return undefined;
  try {
    const decoded = decodeErrorResult({ abi: allErrorsAbi, data });
    return { errorName: decoded.errorName, args: decoded.args ?? [] };
  } catch {
    return undefined;
  }
}
