import type { Hex, PublicClient } from "viem";

/** A harness inheriting `GasMeter` (its `measureGas(data)` runs one of its own functions and returns the gas used). */
type Metered = { address: Hex; simulate: { measureGas: (args: readonly [Hex]) => Promise<{ result: bigint }> } };

/** The execution gas of calling `harness` with `data` (measured inside it) and the gas of a whole transaction. */
export async function measureHarnessGas(
  publicClient: Pick<PublicClient, "estimateGas">,
  harness: Metered,
  data: Hex,
): Promise<{ execution: bigint; tx: bigint }> {
  const { result: execution } = await harness.simulate.measureGas([data]);
  const tx = await publicClient.estimateGas({ to: harness.address, data });
  return { execution, tx };
}
