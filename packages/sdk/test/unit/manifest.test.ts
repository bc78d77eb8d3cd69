import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { getAddress } from "viem";
import {
  loadManifest,
  ManifestError,
  type NektarManifest,
  parseManifest,
  serializeManifest,
  writeManifest,
} from "../../src/index.ts";

const dir = mkdtempSync(join(tmpdir(), "nektar-manifest-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const a = (n: number) => getAddress(`0x${n.toString(16).padStart(40, "0")}`);
const manifest: NektarManifest = {
  version: 1,
  network: "devnet",
  chainId: 31337,
  rpcUrl: "http://127.0.0.1:8545",
  beaconUrl: "http://127.0.0.1:5052",
  deploymentBlock: 12n,
  deployer: a(1),
  contracts: {
    depositContract: a(10),
    stakingPool: a(11),
    wrappedDivETH: a(12),
    withdrawalVault: a(13),
    withdrawalQueue: a(14),
    accountingOracle: a(15),
    operatorRegistry: a(16),
    restakingVault: a(17),
    networkRegistry: a(18),
  },
};

describe("manifest", () => {
  it("round-trips through an atomic write and leaves no temporary file", () => {
    const path = join(dir, "nested", "manifest.json");
    writeManifest(path, manifest);
    assert.deepEqual(loadManifest(path), manifest);
    assert.deepEqual(readdirSync(join(dir, "nested")), ["manifest.json"]);
    assert.equal(JSON.parse(readFileSync(path, "utf8")).deploymentBlock, "12");
  });

  it("omits an absent beacon URL", () => {
    const { beaconUrl: _, ...rest } = manifest;
    const parsed = parseManifest(JSON.parse(serializeManifest({ ...rest, beaconUrl: undefined })));
    assert.equal(parsed.beaconUrl, undefined);
  });

  it("names a missing file", () => {
    assert.throws(
      () => loadManifest(join(dir, "nope.json")),
      (e: unknown) => e instanceof ManifestError && /not found/.test(e.shortMessage),
    );
  });

  it("rejects invalid JSON", () => {
    const path = join(dir, "bad.json");
    writeFileSync(path, "{");
    assert.throws(
      () => loadManifest(path),
      (e: unknown) => e instanceof ManifestError && /not valid JSON/.test(e.shortMessage),
    );
  });

  it("reads the Distributor contracts without native restaking (both or neither), and native restaking all or none", () => {
    const distributors = { ...manifest.contracts, distributorFactory: a(20), signalStrategy: a(21) };
    assert.deepEqual(
      parseManifest(JSON.parse(serializeManifest({ ...manifest, contracts: distributors }))).contracts,
      distributors,
    );
    const { signalStrategy: _, ...half } = distributors;
    assert.throws(
      () => parseManifest(JSON.parse(serializeManifest({ ...manifest, contracts: half }))),
      (e: unknown) => e instanceof ManifestError && e.shortMessage.includes("contracts.signalStrategy"),
    );
    assert.throws(
      () =>
        parseManifest(
          JSON.parse(serializeManifest({ ...manifest, contracts: { ...distributors, nativeVault: a(22) } })),
        ),
      (e: unknown) => e instanceof ManifestError && e.shortMessage.includes("contracts.nativeRestakingVault"),
    );
  });

  const good = JSON.parse(serializeManifest(manifest));
  for (const [what, patch, reason] of [
    ["version", { version: 2 }, "unsupported version"],
    ["chain id", { chainId: -1 }, "chainId"],
    ["rpc url", { rpcUrl: "not a url" }, "rpcUrl"],
    ["deployment block", { deploymentBlock: 12 }, "deploymentBlock"],
    ["contract address", { contracts: { ...good.contracts, stakingPool: "0x12" } }, "contracts.stakingPool"],
  ] as const) {
    it(`rejects a bad ${what}`, () => {
      assert.throws(
        () => parseManifest({ ...good, ...patch }, "m.json"),
        (e: unknown) => e instanceof ManifestError && e.shortMessage.includes(reason) && e.type.path === "m.json",
      );
    });
  }
});
