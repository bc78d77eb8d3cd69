import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ssz } from "@lodestar/types";
import { AnchoredBeaconState } from "@nektar/crypto";
import { finalizeFrameByProofs, getOracleReport } from "../../src/index.ts";
import { startNetwork } from "../helpers/network.ts";

let net: Awaited<ReturnType<typeof startNetwork>>;

before(async () => {
  net = await startNetwork();
});

after(() => net.close());

/** A beacon state with `count` validators that are not the protocol's (the in-process network deposits none). */
function foreignState(count: number): AnchoredBeaconState {
  const state = ssz.electra.BeaconState.defaultViewDU();
  for (let i = 0; i < count; i++) {
    const validator = ssz.phase0.Validator.defaultValue();
    validator.pubkey = new Uint8Array(48).fill(i + 1);
    state.validators.push(ssz.phase0.Validator.toViewDU(validator));
    state.balances.push(32e9);
  }
  return new AnchoredBeaconState(state, {
    slot: 0,
    proposerIndex: 0,
    parentRoot: new Uint8Array(32),
    bodyRoot: new Uint8Array(32),
  });
}

describe("finalizeFrameByProofs", () => {
  it("opens a proof session from the state's data subtrees and applies the frame without a reporter", async () => {
    const client = net.client(3);
    const { contracts } = net;
    for (const count of [0, 5, 70]) {
      const { frame, anchorTimestamp } = await net.anchorNextFrame();
      const state = foreignState(count);
      await net.setBeaconRoot(anchorTimestamp, state.blockRoot);
      const { transactions } = await finalizeFrameByProofs(client, {
        contracts,
        frame,
        anchorTimestamp,
        state,
        leaves: [],
      });
      // Nothing deposited: the session applies the frame as soon as it opens.
      assert.equal(transactions.length, 1);
      assert.equal((await getOracleReport(client, { contracts, frame })).status, "applied", `${count} validators`);
    }
  });

  it("refuses a state whose roots are not the anchored block's", async () => {
    const client = net.client(3);
    const { contracts } = net;
    const { frame, anchorTimestamp } = await net.anchorNextFrame();
    await net.setBeaconRoot(anchorTimestamp, foreignState(3).blockRoot);
    await assert.rejects(
      finalizeFrameByProofs(client, {
        contracts,
        frame,
        anchorTimestamp,
        state: foreignState(4),
        leaves: [],
      }),
      /InvalidMerkleProof/,
    );
  });
});
