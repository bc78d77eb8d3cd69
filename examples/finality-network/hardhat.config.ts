import { createRequire } from "node:module";
import hardhatToolboxViemPlugin from "@nomicfoundation/hardhat-toolbox-viem";
import { defineConfig } from "hardhat/config";

// Offline compiler (solc-js from npm), as in contracts/. The Nektar contracts the tests deploy are compiled from the
// @nektar/contracts workspace package, so the example builds against exactly the restaking code it runs on.
const require = createRequire(import.meta.url);
const compiler = {
  version: "0.8.30",
  path: require.resolve("solc/soljson.js"),
  settings: { optimizer: { enabled: true, runs: 10_000 }, evmVersion: "prague", viaIR: false },
};
const vaultCompiler = { ...compiler, settings: { ...compiler.settings, optimizer: { enabled: true, runs: 1_000 } } };

export default defineConfig({
  plugins: [hardhatToolboxViemPlugin],
  paths: { sources: "contracts", tests: { nodejs: "test/contracts", solidity: "test/contracts" } },
  solidity: {
    profiles: {
      default: {
        compilers: [compiler],
        overrides: { "@nektar/contracts/src/nektar/RestakingVault.sol": vaultCompiler },
      },
    },
    npmFilesToBuild: [
      "@nektar/contracts/src/diva/StakingPool.sol",
      "@nektar/contracts/src/diva/WrappedDivETH.sol",
      "@nektar/contracts/src/devnet/DepositContract.sol",
      "@nektar/contracts/src/nektar/RestakingVault.sol",
      "@nektar/contracts/src/nektar/NetworkRegistry.sol",
    ],
  },
});
