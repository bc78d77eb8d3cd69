import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SecretKey, Signature } from "@chainsafe/blst";
import {
  combinePartialSignatures,
  computeReshareSigningRoot,
  encodeReshareResult,
  evaluatePolynomial,
  g1PointFromPublicKey,
  g2PointFromSignature,
  interpolateSignatures,
  type KeyShare,
  type ReshareMessageParameters,
  randomPolynomial,
  scalarToBytes,
  signPartial,
} from "@nektar/crypto";
import { network } from "hardhat";
import {
  type Address,
  bytesToHex,
  encodeAbiParameters,
  encodeFunctionData,
  type Hex,
  keccak256,
  stringToHex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { measureHarnessGas } from "../../helpers/gasMeter.ts";

const { viem } = await network.create();
const harness = await viem.deployContract("ReshareMessageHarness");
const publicClient = await viem.getPublicClient();
const chainId = BigInt(await publicClient.getChainId());

const FORK = Uint8Array.of(0x10, 0x00, 0x00, 0x38);
const newcomerAccount = privateKeyToAccount(`0x${"11".repeat(32)}`);

/** A trusted-dealer 16-share key with 11 as threshold: the "old" shares of a validator (seeded, deterministic). */
function oldKey(): { groupPublicKey: Uint8Array; shares: KeyShare[] } {
  let n = 0;
  const f = randomPolynomial(11, (len) => {
    const out = new Uint8Array(len);
    for (let i = 0; i < len; i++) out[i] = (n++ * 73 + 19) & 0xff;
    return out;
  });
  const shares = Array.from({ length: 16 }, (_, i) => ({
    shareIndex: i + 1,
    secretKey: scalarToBytes(evaluatePolynomial(f, BigInt(i + 1))),
  }));
  const groupPublicKey = SecretKey.fromBytes(scalarToBytes(f[0] as bigint))
    .toPublicKey()
    .toBytes();
  return { groupPublicKey, shares };
}

const key = oldKey();
const sharePublicKeys = key.shares.map((s) => SecretKey.fromBytes(s.secretKey).toPublicKey().toBytes());
const members = Array.from({ length: 16 }, (_, i) => `0x${(i + 1).toString(16).padStart(40, "0")}` as Address);
members[5] = newcomerAccount.address;

const params: ReshareMessageParameters = {
  chainId,
  registry: harness.address,
  validatorPubkey: key.groupPublicKey,
  nonce: 3n,
  leavingIndex: 6,
  newcomer: newcomerAccount.address,
  members,
  // New share keys: any 16 valid keys will do for the encoding; the signature is what binds them.
  sharePublicKeys: Array.from({ length: 16 }, (_, i) =>
    SecretKey.fromBytes(scalarToBytes(BigInt(1000 + i)))
      .toPublicKey()
      .toBytes(),
  ),
  genesisForkVersion: FORK,
};

function solidityResult(p: ReshareMessageParameters) {
  return {
    chainId: BigInt(p.chainId),
    registry: p.registry,
    validatorPubkey: bytesToHex(p.validatorPubkey),
    nonce: p.nonce,
    leavingIndex: p.leavingIndex,
    newcomer: p.newcomer,
    members: [...p.members],
    sharePublicKeys: bytesToHex(new Uint8Array(p.sharePublicKeys.flatMap((k) => [...k]))),
  };
}

/** The validator key's signature of `p`: 11 partial signatures of the old shares, combined. */
function thresholdSign(p: ReshareMessageParameters, signers: number[]): Uint8Array {
  const root = computeReshareSigningRoot(p);
  const { signature, bad } = combinePartialSignatures({
    partials: signers.map((id) => signPartial(key.shares[id - 1] as KeyShare, root)),
    threshold: 11,
    groupPublicKey: key.groupPublicKey,
    signingRoot: root,
    sharePublicKeys,
  });
  assert.deepEqual(bad, []);
  return signature;
}

function approve(p: ReshareMessageParameters): Promise<Hex> {
  return newcomerAccount.signTypedData({
    domain: { name: "Nektar Operator Registry", version: "1", chainId, verifyingContract: harness.address },
    types: { ReshareApproval: [{ name: "resultRoot", type: "bytes32" }] },
    primaryType: "ReshareApproval",
    message: { resultRoot: keccak256(encodeReshareResult(p)) },
  });
}

function verifyArgs(p: ReshareMessageParameters, signature: Uint8Array) {
  return [
    solidityResult(p),
    bytesToHex(FORK),
    bytesToHex(g1PointFromPublicKey(key.groupPublicKey)),
    bytesToHex(signature),
    bytesToHex(g2PointFromSignature(signature)),
  ] as const;
}

describe("ReshareMessage: TypeScript and Solidity agree", () => {
  it("encodes the same bytes as Solidity's abi.encode and viem's encodeAbiParameters", async () => {
    const ts = bytesToHex(encodeReshareResult(params));
    assert.equal(await harness.read.encode([solidityResult(params)]), ts);
    const r = solidityResult(params);
    const viemEncoding = encodeAbiParameters(
      [
        { type: "bytes32" },
        { type: "uint256" },
        { type: "address" },
        { type: "bytes" },
        { type: "uint256" },
        { type: "uint8" },
        { type: "address" },
        { type: "address[]" },
        { type: "bytes" },
      ],
      [
        keccak256(stringToHex("NEKTAR_RESHARE_RESULT_V1")),
        r.chainId,
        r.registry,
        r.validatorPubkey,
        r.nonce,
        r.leavingIndex,
        r.newcomer,
        r.members,
        r.sharePublicKeys,
      ],
    );
    assert.equal(viemEncoding, ts);
    assert.equal(await harness.read.resultRoot([r]), keccak256(ts));
    assert.equal(await harness.read.signingRoot([r, bytesToHex(FORK)]), bytesToHex(computeReshareSigningRoot(params)));
  });

  it("agrees on every field: changing any one changes both roots the same way", async () => {
    const variants: ReshareMessageParameters[] = [
      { ...params, chainId: chainId + 1n },
      { ...params, nonce: 4n },
      { ...params, registry: "0x00000000000000000000000000000000000000bb" },
      {
        ...params,
        members: params.members.map((m, i) => (i === 0 ? "0x00000000000000000000000000000000000000cc" : m)),
      },
      { ...params, sharePublicKeys: [...params.sharePublicKeys].reverse() },
      { ...params, genesisForkVersion: Uint8Array.of(0, 0, 0, 1) },
    ];
    const roots = new Set<string>([bytesToHex(computeReshareSigningRoot(params))]);
    for (const v of variants) {
      const ts = bytesToHex(computeReshareSigningRoot(v));
      assert.equal(await harness.read.signingRoot([solidityResult(v), bytesToHex(v.genesisForkVersion)]), ts);
      roots.add(ts);
    }
    assert.equal(roots.size, variants.length + 1);
  });

  it("rejects malformed results in both languages", async () => {
    type ReshareError = "ReshareInvalidValidatorPubkey" | "ReshareInvalidSharePublicKeys" | "ReshareInvalidSeat";
    const bad: [ReshareMessageParameters, ReshareError][] = [
      [{ ...params, validatorPubkey: new Uint8Array(47) }, "ReshareInvalidValidatorPubkey"],
      [{ ...params, sharePublicKeys: params.sharePublicKeys.slice(1) }, "ReshareInvalidSharePublicKeys"],
      [{ ...params, leavingIndex: 7 }, "ReshareInvalidSeat"],
      [{ ...params, leavingIndex: 17 }, "ReshareInvalidSeat"],
    ];
    for (const [p, error] of bad) {
      assert.throws(() => encodeReshareResult(p), /ERR_RESHARE_MESSAGE_INVALID_FIELD/);
      const r = solidityResult(p);
      await viem.assertions.revertWithCustomError(harness.read.encode([r]), harness, error);
    }
  });
});

describe("ReshareMessage: the validator key's 11-of-16 signature verifies on-chain (EIP-2537)", () => {
  it("accepts the old shares' threshold signature and the newcomer's approval; reports gas", async () => {
    const signature = thresholdSign(params, [1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12]);
    assert.equal(await harness.read.verifyValidatorSignature(verifyArgs(params, signature)), true);
    const approval = await approve(params);
    assert.equal(await harness.read.verifyApproval([solidityResult(params), approval]), true);

    const checkArgs = [...verifyArgs(params, signature), approval] as const;
    assert.equal(await harness.read.checkResult(checkArgs), true);
    const data = encodeFunctionData({ abi: harness.abi, functionName: "checkResult", args: checkArgs });
    const { execution, tx } = await measureHarnessGas(publicClient, harness, data);
    console.log(`reshare result check (11-of-16 BLS + EIP-712 approval): execution ${execution} gas, tx ${tx} gas`);
    // One pairing check (102,900 at EIP-2537 prices) plus hash-to-G2, encoding and one ecrecover.
    assert.ok(execution > 102_900n && execution < 220_000n, `execution ${execution}`);
    assert.ok(tx < 260_000n, `tx ${tx}`);
  });

  it("rejects the signature for another nonce (replay), membership, share keys or fork, and a signature of 10 shares", async () => {
    const signature = thresholdSign(params, [16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6]);
    const others: ReshareMessageParameters[] = [
      { ...params, nonce: 2n },
      {
        ...params,
        members: params.members.map((m, i) => (i === 0 ? "0x00000000000000000000000000000000000000dd" : m)),
      },
      { ...params, sharePublicKeys: [...params.sharePublicKeys.slice(1), params.sharePublicKeys[0] as Uint8Array] },
    ];
    for (const p of others) assert.equal(await harness.read.verifyValidatorSignature(verifyArgs(p, signature)), false);
    const otherFork = verifyArgs(params, signature);
    assert.equal(
      await harness.read.verifyValidatorSignature([
        otherFork[0],
        "0x00000001",
        otherFork[2],
        otherFork[3],
        otherFork[4],
      ]),
      false,
    );
    // Ten shares interpolated as if they were eleven (the 11th partial from a share of another key) do not verify.
    const root = computeReshareSigningRoot(params);
    const stranger = { shareIndex: 1, secretKey: scalarToBytes(777n) };
    const forged = combineUnchecked([stranger, ...key.shares.slice(1, 11)], root);
    assert.equal(await harness.read.verifyValidatorSignature(verifyArgs(params, forged)), false);
  });

  it("rejects an approval by anyone but the newcomer, or of another result", async () => {
    const other = privateKeyToAccount(`0x${"22".repeat(32)}`);
    const wrongSigner = await other.signTypedData({
      domain: { name: "Nektar Operator Registry", version: "1", chainId, verifyingContract: harness.address },
      types: { ReshareApproval: [{ name: "resultRoot", type: "bytes32" }] },
      primaryType: "ReshareApproval",
      message: { resultRoot: keccak256(encodeReshareResult(params)) },
    });
    assert.equal(await harness.read.verifyApproval([solidityResult(params), wrongSigner]), false);
    const otherResult = await approve({ ...params, nonce: 9n });
    assert.equal(await harness.read.verifyApproval([solidityResult(params), otherResult]), false);
  });
});

/** Lagrange-interpolate partials at zero with no checks (to build a forged signature). */
function combineUnchecked(shares: KeyShare[], root: Uint8Array): Uint8Array {
  return interpolateSignatures(
    shares.map((s) => s.shareIndex),
    shares.map((s) => Signature.fromBytes(signPartial(s, root).signature)),
  ).toBytes();
}
