/**
 * The devnet's Distributor against a Hardhat node child: created over Diva operators that restake, a staker's 2 wdivETH
 * deposited and spread by the reference strategy's weights, read back for the status screen.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { bondOperator, nektarChain, registerOperator, registerRestakingOperator, setOperatorPaused } from "@nektar/sdk";
import { keccak256, parseEther, toHex } from "viem";
import { DEPLOYER_ACCOUNT, devnetClient, FIRST_STAKER_ACCOUNT } from "../../src/devnet/accounts.ts";
import { createDevnetDistributor, DISTRIBUTOR_DEPOSIT, readDistributorStatus } from "../../src/devnet/distributor.ts";
import { startChain } from "../helpers/chain.ts";

let chain: Awaited<ReturnType<typeof startChain>>;
before(async () => {
  chain = await startChain();
});
after(() => chain.stop());

describe("devnet Distributor", () => {
  it("is created over the restaking Diva operators, holds a staker's deposit spread by bond for the status", async () => {
    const { contracts, rpcUrl, chainId } = chain.manifest;
    const net = nektarChain(chainId, rpcUrl, "test");
    const curator = devnetClient(net, rpcUrl, DEPLOYER_ACCOUNT);
    const holder = devnetClient(net, rpcUrl, FIRST_STAKER_ACCOUNT);
    const operators = [12, 13, 14].map((i) => devnetClient(net, rpcUrl, i));
    for (const [i, op] of operators.entries()) {
      const { operatorId } = await registerOperator(op, {
        contracts,
        signer: op.account.address,
        nodeIdentity: keccak256(toHex(`devnet-distributor-${i}`)),
        metadataURI: "",
      });
      await bondOperator(op, { contracts, operatorId, amount: parseEther("1") });
      await registerRestakingOperator(op, { contracts, commissionBps: 1_000n });
      // The third operator is paused: the reference strategy gives it no weight.
      if (i === 2) await setOperatorPaused(op, { contracts, operatorId, paused: true });
    }
    await assert.rejects(
      createDevnetDistributor({ curator, holder, operators: [], contracts }),
      /no restaking operator to delegate to/,
    );
    const { address, events } = await createDevnetDistributor({
      curator,
      holder,
      operators: operators.map((o) => o.account.address),
      contracts,
    });
    assert.match(events[0] ?? "", /over 3 operators: .* deposited 2 wdivETH, the rebalance delegated 1 to 2 of them/);

    // Two equal bonds: 5,000 bps each, capped at the reference strategy's 2,500 — 0.5 wdivETH each, 1 idle.
    const s = await readDistributorStatus(curator, address);
    assert.equal(s.totalAssets, DISTRIBUTOR_DEPOSIT);
    assert.equal(s.delegated, parseEther("1"));
    assert.equal(s.operatorsDelegated, 2);
    assert.equal(s.operators, 3);
    assert.equal(s.rebalancingInFlight, 0n);
    assert.equal(s.assetsPerShare, 10n ** 18n, "one whole share is worth one wdivETH before any reward");
    assert.equal(s.symbol, "dnDIST");
  });
});
