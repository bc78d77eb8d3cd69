import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import {
  computePerformanceSigningRoot,
  encodePerformanceStatement,
  g1PointFromPublicKey,
  g2PointFromSignature,
  type PerformanceStatement,
} from "@nektar/crypto";
import { network } from "hardhat";
import {
  bytesToHex,
  encodeAbiParameters,
  encodeFunctionData,
  type Hex,
  hexToBytes,
  keccak256,
  stringToHex,
} from "viem";
import { measureHarnessGas } from "../../helpers/gasMeter.ts";

const { viem } = await network.create();
const harness = await viem.deployContract("PerformanceStatementHarness");
const publicClient = await viem.getPublicClient();

/** A statement agreed and signed by 16 simulated Stinger members (`packages/stinger/test/unit/performance/fixture.ts`). */
const fixture = JSON.parse(
  readFileSync(new URL("../../fixtures/performance-statement.json", import.meta.url), "utf8"),
) as {
  genesisForkVersion: Hex;
  statement: {
    chainId: string;
    oracle: Hex;
    validatorPubkey: Hex;
    frame: string;
    expected: number[];
    contributed: number[];
  };
  signature: Hex;
};
const FORK = fixture.genesisForkVersion;
const signed: PerformanceStatement = {
  chainId: BigInt(fixture.statement.chainId),
  oracle: fixture.statement.oracle,
  validatorPubkey: hexToBytes(fixture.statement.validatorPubkey),
  frame: BigInt(fixture.statement.frame),
  expected: fixture.statement.expected,
  contributed: fixture.statement.contributed,
};

function solidity(s: PerformanceStatement) {
  return {
    chainId: BigInt(s.chainId),
    oracle: s.oracle,
    validatorPubkey: bytesToHex(s.validatorPubkey),
    frame: BigInt(s.frame),
    expected: [...s.expected],
    contributed: [...s.contributed],
  };
}

function verifyArgs(s: PerformanceStatement, signature: Hex = fixture.signature, fork: Hex = FORK) {
  return [
    solidity(s),
    fork,
    bytesToHex(g1PointFromPublicKey(s.validatorPubkey)),
    signature,
    bytesToHex(g2PointFromSignature(hexToBytes(signature))),
  ] as const;
}

describe("PerformanceStatement: TypeScript and Solidity agree", () => {
  it("encodes the same bytes as Solidity's abi.encode and viem's encodeAbiParameters; same signing root", async () => {
    const ts = bytesToHex(encodePerformanceStatement(signed));
    const r = solidity(signed);
    assert.equal(await harness.read.encode([r]), ts);
    const viemEncoding = encodeAbiParameters(
      [
        { type: "bytes32" },
        { type: "uint256" },
        { type: "address" },
        { type: "bytes" },
        { type: "uint256" },
        { type: "uint32[]" },
        { type: "uint32[]" },
      ],
      [
        keccak256(stringToHex("NEKTAR_PERFORMANCE_STATEMENT_V1")),
        r.chainId,
        r.oracle,
        r.validatorPubkey,
        r.frame,
        r.expected,
        r.contributed,
      ],
    );
    assert.equal(viemEncoding, ts);
    assert.equal(await harness.read.statementRoot([r]), keccak256(ts));
    assert.equal(
      await harness.read.signingRoot([r, FORK]),
      bytesToHex(computePerformanceSigningRoot(signed, hexToBytes(FORK))),
    );
  });

  it("rejects malformed statements in both languages", async () => {
    type E =
      | "PerformanceInvalidValidatorPubkey"
      | "PerformanceInvalidShareCount"
      | "PerformanceContributedExceedsExpected";
    const bad: [PerformanceStatement, E][] = [
      [{ ...signed, validatorPubkey: new Uint8Array(47) }, "PerformanceInvalidValidatorPubkey"],
      [{ ...signed, contributed: signed.contributed.slice(1) }, "PerformanceInvalidShareCount"],
      [{ ...signed, expected: [], contributed: [] }, "PerformanceInvalidShareCount"],
      [
        { ...signed, contributed: signed.contributed.map((c, i) => (i === 2 ? 226 : c)) },
        "PerformanceContributedExceedsExpected",
      ],
    ];
    for (const [s, error] of bad) {
      assert.throws(() => encodePerformanceStatement(s), /ERR_PERFORMANCE_MESSAGE_INVALID_FIELD/);
      await viem.assertions.revertWithCustomError(harness.read.encode([solidity(s)]), harness, error);
    }
  });
});

describe("PerformanceStatement: the statement Stinger signed verifies on-chain (EIP-2537)", () => {
  it("accepts the validator key's 11-of-16 signature; reports gas", async () => {
    assert.equal(await harness.read.verify(verifyArgs(signed)), true);
    const data = encodeFunctionData({ abi: harness.abi, functionName: "verify", args: verifyArgs(signed) });
    const { execution, tx } = await measureHarnessGas(publicClient, harness, data);
    console.log(`performance statement check (16 shares, 11-of-16 BLS): execution ${execution} gas, tx ${tx} gas`);
    // One pairing check (102,900 at EIP-2537 prices) plus hash-to-G2, the point checks and the encoding.
    assert.ok(execution > 102_900n && execution < 200_000n, `execution ${execution}`);
  });

  it("rejects a tampered statement: any count, the frame, the oracle, the chain or the fork", async () => {
    const tampered: PerformanceStatement[] = [
      { ...signed, contributed: signed.contributed.map((c, i) => (i === 8 ? c + 100 : c)) },
      { ...signed, contributed: signed.contributed.map((c, i) => (i === 3 ? 1 : c)) },
      { ...signed, expected: signed.expected.map((e, i) => (i === 0 ? e + 1 : e)) },
      { ...signed, frame: BigInt(signed.frame) + 1n },
      { ...signed, oracle: "0x00000000000000000000000000000000000000bb" },
      { ...signed, chainId: 1n },
    ];
    for (const s of tampered) assert.equal(await harness.read.verify(verifyArgs(s)), false);
    assert.equal(await harness.read.verify(verifyArgs(signed, fixture.signature, "0x00000000")), false);
  });

  it("rejects a signature that is not the one named, or is not a point", async () => {
    const args = verifyArgs(signed);
    const otherPoint = bytesToHex(
      g2PointFromSignature(hexToBytes(fixture.signature)).map((b, i) => (i === 255 ? b ^ 1 : b)),
    );
    await assert.rejects(harness.read.verify([args[0], args[1], args[2], args[3], otherPoint]));
  });
});
