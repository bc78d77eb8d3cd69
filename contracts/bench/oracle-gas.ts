/**
 * Prints the accounting oracle's gas table and writes `snapshots/gas-oracle.txt`. Run from `contracts/`:
 * `npx hardhat run bench/oracle-gas.ts` (also part of `npm run bench`).
 */
import { fileURLToPath } from "node:url";
import { network } from "hardhat";
import { formatOracleGas, measureOracleGas } from "./oracle-operations.ts";
import { writeSnapshot } from "./snapshot.ts";

const SNAPSHOT = fileURLToPath(new URL("../snapshots/gas-oracle.txt", import.meta.url));
const { viem } = await network.create();
writeSnapshot(SNAPSHOT, formatOracleGas(await measureOracleGas(viem)));
