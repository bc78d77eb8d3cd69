import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ssz } from "@lodestar/types";
import { AnchoredBeaconState } from "@nektar/crypto";
import { BEACON_ROOTS_ADDRESS } from "@nektar/sdk";
import { serveAnchoredBeaconState } from "@nektar/sdk/testing";
import { createPublicClient, type Hex, http, numberToHex, toHex } from "viem";
import { cli, startChain } from "../helpers/chain.ts";

let chain: Awaited<ReturnType<typeof startChain>>;
let m: string[];
let beacon: Awaited<ReturnType<typeof serveAnchoredBeaconState>>;
let anchored: AnchoredBeaconState;

/** A beacon state of `n` validators that are not the protocol's (nothing is deposited on this chain). */
function foreignState(n: number): { anchored: AnchoredBeaconState; bytes: Uint8Array; root: Hex } {
  const state = ssz.electra.BeaconState.defaultViewDU();
  for (let i = 0; i < n; i++) {
    state.validators.push(
      ssz.phase0.Validator.toViewDU({
        pubkey: numberToHex(BigInt(i) + 1n, { size: 48, signed: false }) as unknown as Uint8Array,
        withdrawalCredentials: new Uint8Array(32),
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
  const header = { slot: 0, proposerIndex: 0, parentRoot: new Uint8Array(32), bodyRoot: new Uint8Array(32) };
  return {
    anchored: new AnchoredBeaconState(state, header),
    bytes: state.serialize(),
    root: toHex(state.hashTreeRoot()),
  };
}

before(async () => {
  chain = await startChain();
  m = ["--manifest", chain.manifestPath];
});
after(async () => {
  await beacon?.close();
  await chain.stop();
});

describe("nektar oracle snapshot + finalize-by-proofs (Hardhat node, real contracts, a served beacon state)", () => {
  it("anchors the frame, proves the state's data subtrees and applies the frame without any reporter", async () => {
    const rpc = createPublicClient({ transport: http(chain.manifest.rpcUrl) });
    const request = (method: string, params: unknown[]) =>
      rpc.request({ method: method as never, params: params as never });
    // Into frame 1 (the deployment's frames are a day long; frame 0 is never reported).
    const status = JSON.parse((await cli(...m, "--json", "oracle", "status")).out) as { frameSeconds: string };
    await request("evm_increaseTime", [Number(status.frameSeconds) + 30]);
    await request("evm_mine", []);

    const snap = await cli(...m, "--json", "oracle", "snapshot");
    assert.equal(snap.code, 0, snap.err);
    const taken = JSON.parse(snap.out) as { frame: string; anchorTimestamp: string; vaultPull: string };
    assert.equal(taken.frame, "1");
    const anchor = BigInt(taken.anchorTimestamp);
    const shown = JSON.parse((await cli(...m, "--json", "oracle", "status")).out) as {
      currentSnapshot: { anchorTimestamp: string };
    };
    assert.equal(shown.currentSnapshot.anchorTimestamp, taken.anchorTimestamp);

    // The execution chain records the anchor slot's parent beacon block root (EIP-4788); a beacon node serves it.
    const built = foreignState(5);
    anchored = built.anchored;
    beacon = await serveAnchoredBeaconState(anchored, built.bytes, built.root);
    const word = (n: bigint) => numberToHex(n, { size: 32 });
    await request("hardhat_setStorageAt", [BEACON_ROOTS_ADDRESS, word(anchor % 8191n), word(anchor)]);
    await request("hardhat_setStorageAt", [BEACON_ROOTS_ADDRESS, word((anchor % 8191n) + 8191n), anchored.blockRoot]);
    const now = (await rpc.getBlock()).timestamp;
    if (now < anchor) await request("evm_increaseTime", [Number(anchor - now)]);
    await request("evm_mine", []);

    const r = await cli(...m, "--json", "oracle", "finalize-by-proofs", "--beacon-node", beacon.url);
    assert.equal(r.code, 0, r.err);
    const out = JSON.parse(r.out) as {
      frame: string;
      anchorTimestamp: string;
      blockRoot: string;
      transactions: string[];
    };
    assert.equal(out.frame, "1");
    assert.equal(out.anchorTimestamp, taken.anchorTimestamp);
    assert.equal(out.blockRoot, anchored.blockRoot);
    // Nothing deposited: opening the session (the subtree proofs) applies the frame at once.
    assert.equal(out.transactions.length, 1);
    const report = JSON.parse((await cli(...m, "--json", "oracle", "report", "1")).out) as {
      status: string;
      reporterOperatorId: string;
    };
    assert.equal(report.status, "applied");
    assert.equal(report.reporterOperatorId, "0", "finalized by proofs, not by an operator");
    const again = await cli(...m, "oracle", "finalize-by-proofs", "--beacon-node", beacon.url);
    assert.equal(again.code, 1, "a finalized frame is refused");
    assert.match(again.err, /NoProofFrame\(1\)/);
  });
});
