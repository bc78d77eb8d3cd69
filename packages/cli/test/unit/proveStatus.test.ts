import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ssz } from "@lodestar/types";
import { AnchoredBeaconState } from "@nektar/crypto";
import {
  attestDkgResult,
  BEACON_ROOTS_ADDRESS,
  bondOperator,
  completeDeposit,
  drawCluster,
  getDkgResultDigest,
  getValidatorRequest,
  getValidatorRequestedEvents,
  nektarChain,
  registerOperator,
  requestValidator,
  submitDkgResult,
} from "@nektar/sdk";
import { publishCredentialsProof, serveAnchoredBeaconState, signedDkgResult } from "@nektar/sdk/testing";
import {
  createPublicClient,
  createWalletClient,
  type Hex,
  hexToBytes,
  http,
  numberToHex,
  parseEther,
  publicActions,
  toHex,
} from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { cli, startChain } from "../helpers/chain.ts";

let chain: Awaited<ReturnType<typeof startChain>>;
let m: string[];
let beacon: Awaited<ReturnType<typeof serveAnchoredBeaconState>> | undefined;

before(async () => {
  chain = await startChain();
  m = ["--manifest", chain.manifestPath];
});
after(async () => {
  await beacon?.close();
  await chain.stop();
});

const MNEMONIC = "test test test test test test test test test test test junk";

function wallet(index: number) {
  return createWalletClient({
    account: mnemonicToAccount(MNEMONIC, { addressIndex: index }),
    chain: nektarChain(chain.manifest.chainId, chain.manifest.rpcUrl),
    transport: http(chain.manifest.rpcUrl),
  }).extend(publicActions);
}

describe("nektar validator prove-status (Hardhat node, real contracts, a served beacon state)", () => {
  it("moves a deposited validator to Active from its beacon record; refuses a second proof and a keyless validator", async () => {
    const rpc = createPublicClient({ transport: http(chain.manifest.rpcUrl) });
    const request = (method: string, params: unknown[]) =>
      rpc.request({ method: method as never, params: params as never });
    const contracts = chain.manifest.contracts;
    // 16 operators (node accounts 1..16, each its own DKG signer) bond 2 ETH each: the 32 ETH of one validator.
    for (let i = 1; i <= 16; i++) {
      const w = wallet(i);
      const { operatorId } = await registerOperator(w, {
        contracts,
        signer: w.account.address,
        nodeIdentity: toHex(new Uint8Array(32).fill(i)),
      });
      await bondOperator(w, { contracts, operatorId, amount: parseEther("2") });
    }
    const { requestId, drawBlock } = await requestValidator(wallet(0), { contracts });
    const mined = await rpc.getBlockNumber({ cacheTime: 0 });
    if (mined <= drawBlock) await request("hardhat_mine", [`0x${(drawBlock - mined + 1n).toString(16)}`]);
    await drawCluster(wallet(0), { contracts, requestId });
    const keyless = await cli(
      ...m,
      "validator",
      "prove-status",
      String(requestId),
      "--beacon-node",
      "http://127.0.0.1:9",
    );
    assert.equal(keyless.code, 2);
    assert.match(keyless.err, /has no key yet \(requested\)/);

    const req = await getValidatorRequest(rpc, { contracts, requestId });
    const [requested] = await getValidatorRequestedEvents(rpc, {
      contracts,
      fromBlock: 0n,
      toBlock: await rpc.getBlockNumber({ cacheTime: 0 }),
    });
    assert.ok(requested !== undefined);
    const credentials = requested.withdrawalCredentials;
    const { result, points } = signedDkgResult(requestId, credentials);
    const resultDigest = await getDkgResultDigest(rpc, { contracts, result });
    for (const id of req.operatorIds) {
      await attestDkgResult(wallet(Number(id)), { contracts, requestId, resultDigest });
    }
    const signatures: Hex[] = Array.from({ length: 16 }, () => "0x");
    await submitDkgResult(wallet(0), { contracts, result, points, signatures });
    const word = (n: bigint) => numberToHex(n, { size: 32 });
    const setBeaconRoot = async (timestamp: bigint, root: Hex) => {
      await request("hardhat_setStorageAt", [BEACON_ROOTS_ADDRESS, word(timestamp % 8191n), word(timestamp)]);
      await request("hardhat_setStorageAt", [BEACON_ROOTS_ADDRESS, word((timestamp % 8191n) + 8191n), root]);
    };
    const proof = await publishCredentialsProof(setBeaconRoot, {
      pubkey: result.groupPubkey,
      credentials,
      index: 1n,
      timestamp: 1_700_000_000n,
    });
    await completeDeposit(wallet(0), {
      contracts,
      pubkey: result.groupPubkey,
      beaconTimestamp: 1_700_000_000n,
      beaconIndex: 1n,
      withdrawalCredentials: credentials,
      proof,
    });
    const shown = JSON.parse((await cli(...m, "--json", "validator", "show", String(requestId))).out) as {
      status: string;
    };
    assert.equal(shown.status, "deposited");

    // The beacon state: a foreign validator, then ours, active since epoch 0.
    const state = ssz.electra.BeaconState.defaultViewDU();
    for (const [pubkey, wc] of [
      [numberToHex(7n, { size: 48 }), numberToHex(1n, { size: 32 })],
      [result.groupPubkey, credentials],
    ] as const) {
      state.validators.push(
        ssz.phase0.Validator.toViewDU({
          pubkey: hexToBytes(pubkey),
          withdrawalCredentials: hexToBytes(wc),
          effectiveBalance: 32e9,
          slashed: false,
          activationEligibilityEpoch: 0,
          activationEpoch: 0,
          exitEpoch: Infinity,
          withdrawableEpoch: Infinity,
        }),
      );
      state.balances.push(32e9);
    }
    const anchored = new AnchoredBeaconState(state, {
      slot: 0,
      proposerIndex: 0,
      parentRoot: new Uint8Array(32),
      bodyRoot: new Uint8Array(32),
    });
    beacon = await serveAnchoredBeaconState(anchored, state.serialize(), toHex(state.hashTreeRoot()));
    const anchor = (await rpc.getBlock()).timestamp;
    await setBeaconRoot(anchor, anchored.blockRoot);

    const args = [
      "validator",
      "prove-status",
      String(requestId),
      "--beacon-node",
      beacon.url,
      "--anchor",
      String(anchor),
    ];
    const r = await cli(...m, "--json", ...args);
    assert.equal(r.code, 0, r.err);
    const out = JSON.parse(r.out) as { status: string; beaconIndex: number; anchorTimestamp: string };
    assert.equal(out.status, "active");
    assert.equal(out.beaconIndex, 1);
    assert.equal(out.anchorTimestamp, anchor.toString());
    const again = await cli(...m, ...args);
    assert.equal(again.code, 1, "nothing new to prove");
    assert.match(again.err, /NoStatusChange/);
    const noRoot = await cli(
      ...m,
      "validator",
      "prove-status",
      String(requestId),
      "--beacon-node",
      beacon.url,
      "--anchor",
      "5",
    );
    assert.equal(noRoot.code, 2);
    assert.match(noRoot.err, /no EIP-4788 beacon root for timestamp 5/);
  });
});
