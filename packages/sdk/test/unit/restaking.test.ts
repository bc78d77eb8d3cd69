import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { parseEther, zeroAddress } from "viem";
import {
  ContractRevertedError,
  claimRestakeWithdrawal,
  claimRestakingRewards,
  depositRestake,
  distributeNetworkRewards,
  getOperatorNetworks,
  getRestakePositions,
  getRestakingHistory,
  getRestakingRewards,
  getRestakingState,
  InsufficientBalanceError,
  listDistributors,
  registerNetwork,
  registerRestakingOperator,
  resolveSlashRequest,
  setNetworkMembership,
  setRestakingCommission,
  slashOperator,
  stake,
  UnknownNetworkError,
  UnknownRestakingOperatorError,
  undelegateRestake,
} from "../../src/index.ts";
import { startNetwork } from "../helpers/network.ts";

let net: Awaited<ReturnType<typeof startNetwork>>;
before(async () => {
  net = await startNetwork();
});
after(() => net.close());

/** The devnet default epoch of `deployNektar`. */
const EPOCH = 3_600;

describe("restaking actions", () => {
  it("restaker, operator and network roles end to end, with bad input refused before any transaction", async () => {
    const { contracts } = net.manifest;
    const restaker = net.client(1);
    const operator = net.client(2);
    const network = net.client(3);
    const op = operator.account.address;
    await stake(restaker, { contracts, amount: parseEther("50") });

    // Bad input: no transaction is sent (the nonce does not move).
    const nonce = await restaker.getTransactionCount({ address: restaker.account.address });
    await assert.rejects(
      depositRestake(restaker, { contracts, operator: op, amount: parseEther("1") }),
      UnknownRestakingOperatorError,
    );
    await registerRestakingOperator(operator, { contracts, commissionBps: 1_000n });
    await assert.rejects(
      depositRestake(restaker, { contracts, operator: op, amount: parseEther("500") }),
      InsufficientBalanceError,
    );
    await assert.rejects(
      setNetworkMembership(operator, { contracts, networkId: 9n, membership: "in" }),
      UnknownNetworkError,
    );
    assert.equal(await restaker.getTransactionCount({ address: restaker.account.address }), nonce);

    const { networkId } = await registerNetwork(network, {
      contracts,
      kind: "veto",
      slasher: network.account.address,
      vetoWindow: 600,
      maxStakePerOperator: parseEther("1000"),
      rewardTokens: [zeroAddress],
      metadataURI: "ipfs://example",
    });
    assert.equal(networkId, 1n);
    await setNetworkMembership(operator, { contracts, networkId, membership: "in" });
    const deposit = await depositRestake(restaker, { contracts, operator: op, amount: parseEther("20") });
    assert.ok(deposit.shares > 0n);
    const { effectiveAt } = await setRestakingCommission(operator, { contracts, commissionBps: 500n });
    assert.ok(effectiveAt > 0n);

    await net.increaseTime(2 * EPOCH);
    let positions = await getRestakePositions(restaker, { contracts, restaker: restaker.account.address });
    assert.equal(positions.positions.length, 1);
    assert.equal(positions.positions[0]?.activeShares, deposit.shares);
    const networks = await getOperatorNetworks(operator, { contracts, operator: op });
    assert.equal(networks.networks[0]?.optedIn, true);
    assert.equal(networks.networks[0]?.stake, deposit.shares);

    await net.increaseTime(EPOCH);
    const state = await getRestakingState(network, { contracts, operators: [op] });
    await distributeNetworkRewards(network, {
      contracts,
      networkId,
      epoch: state.epoch - 1n,
      operators: [op],
      total: parseEther("1"),
    });
    const rewards = await getRestakingRewards(restaker, {
      contracts,
      account: restaker.account.address,
      operators: [op],
    });
    // The 5% commission scheduled above is in force after the two-epoch delay.
    assert.equal(rewards[0]?.amount, parseEther("0.95"));
    const claimed = await claimRestakingRewards(restaker, { contracts, operator: op });
    assert.equal(claimed.amount, parseEther("0.95"));
    assert.equal((await claimRestakingRewards(operator, { contracts })).amount, parseEther("0.05"));

    const block = await network.getBlock();
    const requested = await slashOperator(network, {
      contracts,
      networkId,
      operator: op,
      captureTimestamp: Number(block.timestamp - 1n),
      amount: parseEther("1"),
    });
    assert.equal(requested.kind, "requested");
    await assert.rejects(
      resolveSlashRequest(network, { contracts, requestId: 1n, action: "execute" }),
      (e: unknown) => e instanceof ContractRevertedError && e.type.errorName === "VetoWindowOpen",
    );
    await net.increaseTime(600);
    assert.equal(
      (await resolveSlashRequest(network, { contracts, requestId: 1n, action: "execute" })).slashed,
      parseEther("1"),
    );

    const undelegated = await undelegateRestake(restaker, { contracts, operator: op, amount: "all" });
    assert.equal(undelegated.shares, deposit.shares - parseEther("1"));
    await net.increaseTime(2 * EPOCH);
    positions = await getRestakePositions(restaker, { contracts, restaker: restaker.account.address });
    assert.deepEqual(
      positions.withdrawals.map((w) => w.claimable),
      [true],
    );
    const back = await claimRestakeWithdrawal(restaker, {
      contracts,
      operator: op,
      claimEpoch: undelegated.claimEpoch,
    });
    assert.equal(back.shares, undelegated.shares);
    const after = await getRestakingState(network, { contracts, fromBlock: net.manifest.deploymentBlock });
    assert.deepEqual(
      after.operators.map((o) => o.operator),
      [op],
      "operators found from the vault's OperatorRegistered events",
    );
    assert.equal(after.restakedShares, 0n);
    assert.equal(after.networks[0]?.kind, "veto");

    const history = await getRestakingHistory(network, { contracts, fromBlock: net.manifest.deploymentBlock });
    assert.deepEqual(
      history.memberships.map((m) => [m.networkId, m.operator, m.kind]),
      [[networkId, op, "in"]],
    );
    assert.deepEqual(
      history.rewards.map((r) => [r.networkId, r.operator, r.token, r.epoch, r.amount, r.commission]),
      [[networkId, op, zeroAddress, state.epoch - 1n, parseEther("1"), parseEther("0.05")]],
    );
    assert.deepEqual(
      history.slashRequests.map((r) => [r.requestId, r.operator, r.amount, r.vetoed]),
      [[1n, op, parseEther("1"), false]],
    );
    assert.deepEqual(
      history.slashes.map((x) => [x.requestId, x.networkId, x.operator, x.amount]),
      [[1n, networkId, op, parseEther("1")]],
    );
  });

  it("deploys the Distributor factory by default (no trusted key), without native restaking", async () => {
    const { contracts } = net.manifest;
    assert.equal(contracts.nativeVault, undefined, "native restaking stays opt-in");
    assert.ok(contracts.distributorFactory !== undefined && contracts.signalStrategy !== undefined);
    assert.deepEqual(await listDistributors(net.client(0), { contracts }), { count: 0n, distributors: [] });
  });
});
