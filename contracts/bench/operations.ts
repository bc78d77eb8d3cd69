/** Operations measured by `bench/gas.ts` and listed in `snapshots/gas.txt`, with the targets (gas used). */
export const GAS_OPERATIONS = [
  { name: "first stake", target: undefined },
  { name: "repeat stake", target: 60_000n },
  { name: "transfer", target: undefined },
  { name: "wrap", target: undefined },
  { name: "unwrap", target: undefined },
  { name: "requestWithdrawal", target: 120_000n },
  { name: "requestWithdrawal (first receipt of owner)", target: undefined },
  { name: "finalize (per request, batch of 100)", target: undefined },
  { name: "claim", target: 60_000n },
] as const;

export type GasOperationName = (typeof GAS_OPERATIONS)[number]["name"];
