import { writeSnapshot } from "@nektar/contracts/bench/snapshot.ts";
import { network } from "hardhat";
import { finalityGasTable, measureFinalityGas } from "./operations.ts";

const { viem } = await network.create();
writeSnapshot(
  new URL("../snapshots/gas.txt", import.meta.url).pathname,
  finalityGasTable(await measureFinalityGas(viem)),
);
