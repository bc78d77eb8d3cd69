import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { SecretKey } from "@chainsafe/blst";
import {
  computeReshareSigningRoot,
  encodeReshareResult,
  g1PointFromPublicKey,
  g2PointFromSignature,
} from "@nektar/crypto";
import { type Address, concatHex, type Hex, hexToBytes, keccak256, parseEther, toHex } from "viem";
import {
  attestDkgResult,
  bondOperator,
  ContractRevertedError,
  drawReplacement,
  getDkgResultDigest,
  getPendingDraw,
  getReshare,
  getValidatorRequest,
  leaveCluster,
  operatorRegistryAbi,
  registerOperator,
  stake,
  stakingPoolAbi,
  submitDkgResult,
  submitReshareResult,
} from "../../src/index.ts";
import { startNetwork } from "../helpers/network.ts";
import { signedDkgResult } from "../helpers/validators.ts";

let net: Awaited<ReturnType<typeof startNetwork>>;

before(async () => {
  net = await startNetwork();
  // 17 operators, owner = signer = account i: 16 seats and one replacement.
  for (let i = 1; i <= 17; i++) {
    const owner = net.client(i);
    const { operatorId } = await registerOperator(owner, {
      contracts: net.contracts,
      signer: owner.account.address,
      nodeIdentity: keccak256(toHex(`sdk-reshare-node-${i}`)),
    });
    await bondOperator(owner, { contracts: net.contracts, operatorId, amount: parseEther("3") });
  }
  await net.increaseTime(1);
  await stake(net.client(18), { contracts: net.contracts, amount: parseEther("32") });
});
after(() => net.close());

describe("resharing through the SDK", () => {
  it("a member leaves, the replacement is drawn and the validator key's result swaps the seat", async () => {
    const { contracts } = net;
    const drawn = await net.requestAndDrawValidator(net.client(18));
    const credentials = await net.client(0).readContract({
      address: contracts.stakingPool,
      abi: stakingPoolAbi,
      functionName: "withdrawalCredentials",
    });
    const { result, points } = signedDkgResult(drawn.requestId, credentials);
    const resultDigest = await getDkgResultDigest(net.client(0), { contracts, result });
    for (const id of drawn.operatorIds) {
      await attestDkgResult(net.client(id), { contracts, requestId: drawn.requestId, resultDigest });
    }
    const empty: Hex[] = Array.from({ length: 16 }, () => "0x");
    await submitDkgResult(net.client(0), { contracts, result, points, signatures: empty });
    const validatorId = drawn.requestId;
    const leaverId = BigInt(drawn.operatorIds[3] ?? 0);
    await assert.rejects(
      leaveCluster(net.client(0), { contracts: net.contracts, validatorId, operatorId: leaverId }),
      (e: unknown) => e instanceof ContractRevertedError && e.errorName === "NotOperatorOwner",
    );
    const left = await leaveCluster(net.client(Number(leaverId)), {
      contracts: net.contracts,
      validatorId,
      operatorId: leaverId,
    });
    assert.equal(left.leavingIndex, 4n);
    assert.equal((await getPendingDraw(net.client(0), { contracts: net.contracts })).reshareValidatorId, validatorId);
    assert.equal((await getReshare(net.client(0), { contracts: net.contracts, validatorId })).stage, "drawing");
    const current = await net.client(0).getBlockNumber({ cacheTime: 0 });
    await net.mine(Number(left.drawBlock - current + 1n));
    const r = await drawReplacement(net.client(0), { contracts: net.contracts, validatorId });
    assert.ok(r.drawn);
    if (!r.drawn) return;
    const outsider = Array.from({ length: 17 }, (_, i) => i + 1).find((id) => !drawn.operatorIds.includes(id));
    assert.equal(r.newcomerOperatorId, BigInt(outsider ?? 0), "the only operator outside the cluster");
    const secret = SecretKey.fromKeygen(new Uint8Array(32).fill(Number(validatorId) + 1));
    const manager = await net.client(0).readContract({
      address: contracts.operatorRegistry,
      abi: operatorRegistryAbi,
      functionName: "RESHARE_MANAGER",
    });
    const sharePublicKeys = Array.from({ length: 16 }, (_, i) =>
      SecretKey.fromKeygen(new Uint8Array(32).fill(100 + i))
        .toPublicKey()
        .toBytes(),
    );
    const params = {
      chainId: BigInt(await net.client(0).getChainId()),
      registry: manager as Address,
      validatorPubkey: hexToBytes(result.groupPubkey),
      nonce: r.nonce,
      leavingIndex: Number(r.leavingIndex),
      newcomer: r.newcomer,
      members: r.members.map((m, i) => (i + 1 === Number(r.leavingIndex) ? r.newcomer : m)),
      sharePublicKeys,
      genesisForkVersion: new Uint8Array(4),
    };
    // The threshold signature of the old shares is the group key's signature: signed here with the group secret.
    const signature = secret.sign(computeReshareSigningRoot(params)).toBytes();
    const newcomer = net.client(Number(r.newcomerOperatorId));
    const newcomerApproval = await newcomer.signTypedData({
      domain: {
        name: "Nektar Reshare Manager",
        version: "1",
        chainId: Number(params.chainId),
        verifyingContract: params.registry,
      },
      types: { ReshareApproval: [{ name: "resultRoot", type: "bytes32" }] },
      primaryType: "ReshareApproval",
      message: { resultRoot: keccak256(encodeReshareResult(params)) },
    });
    const done = await submitReshareResult(net.client(0), {
      contracts: net.contracts,
      validatorId,
      sharePublicKeys: concatHex(sharePublicKeys.map((k) => toHex(k))),
      signature: toHex(signature),
      signaturePoint: toHex(g2PointFromSignature(signature)),
      validatorPubkeyPoint: toHex(g1PointFromPublicKey(hexToBytes(result.groupPubkey))),
      newcomerApproval,
    });
    assert.deepEqual(
      [done.leavingOperatorId, done.newcomerOperatorId, done.penaltyUnits],
      [leaverId, r.newcomerOperatorId, 0n],
    );
    assert.equal((await getReshare(net.client(0), { contracts: net.contracts, validatorId })).stage, "none");
    const after = await getValidatorRequest(net.client(0), { contracts: net.contracts, requestId: validatorId });
    assert.equal(BigInt(after.operatorIds[3] ?? 0), r.newcomerOperatorId);
  });
});
