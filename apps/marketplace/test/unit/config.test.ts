import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CONTRACT_NAMES, SDK_ERROR_HINTS } from "@nektar/sdk";
import { ConfigError, parseConfig } from "../../src/config.ts";
import { APP_ERROR_HINTS, describeForUser } from "../../src/errorHints.ts";
import { NoAccountError, WrongWalletChainError } from "../../src/wallet/errors.ts";

const address = (n: number) => `0x${n.toString(16).padStart(40, "0")}`;
const manifest = {
  version: 1,
  network: "devnet",
  chainId: 31337,
  rpcUrl: "http://127.0.0.1:8545",
  deploymentBlock: "0",
  deployer: address(1),
  roles: { reporter: address(1), lifecycleReporter: address(1) },
  contracts: Object.fromEntries(
    // Every contract the SDK's manifest names, so the fixture follows the deployment.
    CONTRACT_NAMES.map((name, i) => [name, address(i + 2)]),
  ),
};

describe("config.json", () => {
  it("takes the manifest's RPC unless given one, and a development mode with devnet accounts", () => {
    const plain = parseConfig({ manifest });
    assert.equal(plain.rpcUrl, "http://127.0.0.1:8545");
    assert.equal(plain.devnet, undefined);
    assert.equal(plain.manifest.deploymentBlock, 0n);
    const dev = parseConfig({
      manifest,
      rpcUrl: "http://127.0.0.1:9000/rpc",
      devnet: {
        mnemonic: "test test test test test test test test test test test junk",
        accounts: [{ index: 1, label: "staker" }],
      },
    });
    assert.equal(dev.rpcUrl, "http://127.0.0.1:9000/rpc");
    assert.deepEqual(dev.devnet?.accounts, [{ index: 1, label: "staker" }]);
  });

  it("rejects malformed configs with a ConfigError naming the problem", () => {
    const bad: [unknown, RegExp][] = [
      [null, /not a JSON object/],
      [{ manifest: { ...manifest, chainId: -1 } }, /chainId/],
      [{ manifest, rpcUrl: "ftp://x" }, /rpcUrl/],
      [{ manifest, devnet: { mnemonic: "too short", accounts: [] } }, /mnemonic/],
      [{ manifest, devnet: { mnemonic: "a b c d e f g h i j k l", accounts: [] } }, /non-empty/],
      [
        { manifest, devnet: { mnemonic: "a b c d e f g h i j k l", accounts: [{ index: -1, label: "x" }] } },
        /accounts\[0\]/,
      ],
    ];
    for (const [json, message] of bad) {
      assert.throws(
        () => parseConfig(json),
        (e: unknown) => e instanceof ConfigError && message.test(e.shortMessage),
      );
    }
  });
});

describe("error hints", () => {
  it("has a hint for every code the app throws, and none shadows an SDK code", () => {
    for (const error of [new ConfigError("config.json", "x"), new NoAccountError(), new WrongWalletChainError(1, 2)]) {
      const code = error.type.code;
      assert.ok(code in APP_ERROR_HINTS, `${code} has a hint`);
      assert.equal(describeForUser(error).hint, APP_ERROR_HINTS[code].hint);
    }
    for (const code of Object.keys(APP_ERROR_HINTS)) assert.ok(!(code in SDK_ERROR_HINTS), `${code} is the app's own`);
  });
});
