import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ssz } from "@lodestar/types";
import { AnchoredBeaconState, ReportTree } from "@nektar/crypto";
import {
  BEACON_ROOTS_ADDRESS,
  bondOperator,
  nektarChain,
  postOracleReport,
  registerOperator,
  snapshotOracleFrame,
} from "@nektar/sdk";
import { serveAnchoredBeaconState } from "@nektar/sdk/testing";
import { createPublicClient, createWalletClient, http, numberToHex, parseEther, publicActions, toHex } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { cli, startChain } from "../helpers/chain.ts";

let chain: Awaited<ReturnType<typeof startChain>>;
let m: string[];
let beacon: Awaited<ReturnType<typeof serveAnchoredBeaconState>>;

before(async () => {
  chain = await startChain();
  m = ["--manifest", chain.manifestPath];
});
after(async () => {
  await beacon?.close();
  await chain.stop();
});

describe("nektar oracle dispute (Hardhat node, real contracts, a served beacon state)", () => {
  it("disputes a lying report with the fact the beacon state shows; refuses a frame with nothing to dispute", async () => {
    const rpc = createPublicClient({ transport: http(chain.manifest.rpcUrl) });
    const request = (method: string, params: unknown[]) =>
      rpc.request({ method: method as never, params: params as never });
    const refused = await cli(...m, "oracle", "dispute", "1", "--beacon-node", "http://127.0.0.1:9");
    assert.equal(refused.code, 2, "no report yet: a usage error");
    assert.match(refused.err, /frame 1 has no report open to disputes \(none\)/);

    // An operator (node account 1) registers, bonds and, in frame 1, posts a root whose balance sum is invented.
    const wallet = createWalletClient({
      account: mnemonicToAccount("test test test test test test test test test test test junk", { addressIndex: 1 }),
      chain: nektarChain(chain.manifest.chainId, chain.manifest.rpcUrl),
      transport: http(chain.manifest.rpcUrl),
    }).extend(publicActions);
    const owner = wallet.account.address;
    const contracts = chain.manifest.contracts;
    const { operatorId } = await registerOperator(wallet, {
      contracts,
      signer: owner,
      nodeIdentity: toHex(new Uint8Array(32).fill(5)),
    });
    await bondOperator(wallet, { contracts, operatorId, amount: parseEther("2") });
    const status = JSON.parse((await cli(...m, "--json", "oracle", "status")).out) as { frameSeconds: string };
    await request("evm_increaseTime", [Number(status.frameSeconds) + 30]);
    await request("evm_mine", []);
    const { anchorTimestamp } = await snapshotOracleFrame(wallet, { contracts, frame: 1n });
    const state = ssz.electra.BeaconState.defaultViewDU();
    const anchored = new AnchoredBeaconState(state, {
      slot: 0,
      proposerIndex: 0,
      parentRoot: new Uint8Array(32),
      bodyRoot: new Uint8Array(32),
    });
    beacon = await serveAnchoredBeaconState(anchored, state.serialize(), toHex(state.hashTreeRoot()));
    const word = (n: bigint) => numberToHex(n, { size: 32 });
    await request("hardhat_setStorageAt", [BEACON_ROOTS_ADDRESS, word(anchorTimestamp % 8191n), word(anchorTimestamp)]);
    await request("hardhat_setStorageAt", [
      BEACON_ROOTS_ADDRESS,
      word((anchorTimestamp % 8191n) + 8191n),
      anchored.blockRoot,
    ]);
    const now = (await rpc.getBlock()).timestamp;
    if (now < anchorTimestamp) await request("evm_increaseTime", [Number(anchorTimestamp - now)]);
    await request("evm_mine", []);
    const truth = new ReportTree([]);
    await postOracleReport(wallet, {
      contracts,
      frame: 1n,
      anchorTimestamp,
      root: { ...truth.root, sum: 32_000_000_000n },
    });

    const r = await cli(...m, "--json", "oracle", "dispute", "1", "--beacon-node", beacon.url);
    assert.equal(r.code, 0, r.err);
    const out = JSON.parse(r.out) as { outcome: string; kind: string; reporterOperatorId: string };
    assert.equal(out.outcome, "disputed");
    assert.equal(out.kind, "NodeSum");
    assert.equal(out.reporterOperatorId, operatorId.toString());
    const report = JSON.parse((await cli(...m, "--json", "oracle", "report", "1")).out) as { status: string };
    assert.equal(report.status, "voided");

    const again = await cli(...m, "oracle", "dispute", "1", "--beacon-node", beacon.url);
    assert.equal(again.code, 2);
    assert.match(again.err, /no report open to disputes \(voided\)/);
    assert.match(again.err, /Only a pending report/);
  });
});
