import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { GetRestakingHistoryReturnType, NetworkRewardEvent, NetworkSlashEvent } from "@nektar/sdk";
import { type Address, zeroAddress } from "viem";
import { allocation, sharesFromParsed } from "../../src/data/distributors.ts";
import { sortOperators } from "../../src/data/operators.ts";
import { restakingRecords } from "../../src/data/operatorsLoader.ts";
import {
  formatBps,
  networkViews,
  optedInNetworks,
  recentRewards,
  rewardsEarned,
  sharesToEther,
  slashRecords,
} from "../../src/data/restaking.ts";
import { formatToken } from "../../src/format.ts";

const A = "0x00000000000000000000000000000000000000aA" as Address;
const B = "0x00000000000000000000000000000000000000bB" as Address;
const TOKEN = "0x0000000000000000000000000000000000000777" as Address;
const ONE = 10n ** 18n;

const optIn = (networkId: bigint, operator: Address) => ({
  networkId,
  operator,
  kind: "in" as const,
  effectiveAt: undefined,
  blockNumber: 1n,
});
const optOut = (networkId: bigint, operator: Address, effectiveAt: bigint) => ({
  networkId,
  operator,
  kind: "out" as const,
  effectiveAt,
  blockNumber: 2n,
});
const reward = (networkId: bigint, operator: Address, epoch: bigint, amount: bigint, token: Address = zeroAddress) =>
  ({ networkId, operator, token, epoch, amount, commission: amount / 10n, blockNumber: 3n }) as NetworkRewardEvent;
const slash = (networkId: bigint, operator: Address, amount: bigint, requestId = 0n) =>
  ({ requestId, networkId, operator, captureTimestamp: 5n, amount, blockNumber: 4n }) as NetworkSlashEvent;

describe("restaking views", () => {
  it("an operator serves a network from its opt-in until its opt-out applies", () => {
    const events = [optIn(1n, A), optIn(2n, A), optIn(1n, B), optOut(2n, A, 100n), optOut(1n, B, 50n)];
    const at = (now: bigint) => Object.fromEntries(optedInNetworks(events, now));
    // Keys are lower-case: the same address from two sources matches.
    assert.deepEqual(at(40n), { [A.toLowerCase()]: [1n, 2n], [B.toLowerCase()]: [1n] });
    assert.deepEqual(at(60n), { [A.toLowerCase()]: [1n, 2n] });
    assert.deepEqual(at(100n), { [A.toLowerCase()]: [1n] });
    // Opted in again after leaving.
    assert.deepEqual(Object.fromEntries(optedInNetworks([...events, optIn(1n, B)], 200n))[B.toLowerCase()], [1n]);
  });

  it("sums slashes and rewards per operator and token", () => {
    const records = slashRecords([slash(1n, A, 3n), slash(2n, A, 4n), slash(1n, B, 1n)]);
    assert.equal(records.get(A.toLowerCase())?.totalShares, 7n);
    assert.equal(records.get(A.toLowerCase())?.slashes.length, 2);
    const earned = rewardsEarned([reward(1n, A, 3n, 5n), reward(2n, A, 4n, 6n), reward(1n, A, 4n, 1n, TOKEN)]);
    assert.equal(earned.get(A.toLowerCase())?.get(zeroAddress), 11n);
    assert.equal(earned.get(A.toLowerCase())?.get(TOKEN.toLowerCase()), 1n);
  });

  it("recent rewards: newest epochs first, one entry per epoch and token, at most `last` epochs", () => {
    const rewards = [
      reward(1n, A, 1n, 1n),
      reward(1n, A, 2n, 2n),
      reward(1n, B, 2n, 3n),
      reward(1n, A, 3n, 4n),
      reward(1n, A, 3n, 5n, TOKEN),
      reward(2n, A, 9n, 100n),
    ];
    assert.deepEqual(
      recentRewards(rewards, 1n, 2).map((r) => [r.epoch, r.token, r.amount, r.operators]),
      [
        [3n, zeroAddress, 4n, 1],
        [3n, TOKEN, 5n, 1],
        [2n, zeroAddress, 5n, 2],
      ],
    );
    assert.deepEqual(recentRewards(rewards, 3n), []);
  });

  it("a network's view: its serving operators' counted stake, its slashes and its open requests", () => {
    const history: GetRestakingHistoryReturnType = {
      memberships: [optIn(1n, A), optIn(1n, B), optIn(2n, B)],
      rewards: [reward(1n, A, 1n, ONE)],
      slashes: [slash(1n, A, 2n, 1n)],
      slashRequests: [
        { ...slash(1n, A, 2n, 1n), vetoDeadline: 9n, vetoed: false },
        { ...slash(1n, B, 5n, 2n), vetoDeadline: 9n, vetoed: true },
      ],
    };
    const summary = (networkId: bigint) => ({
      networkId,
      admin: A,
      kind: "veto" as const,
      metadataURI: "",
      maxStakePerOperator: ONE,
    });
    const [one, two] = networkViews(
      [summary(1n), summary(2n)],
      history,
      optedInNetworks(history.memberships, 0n),
      (id, k) => (k === A.toLowerCase() ? 10n : 20n) * id,
    );
    assert.deepEqual(
      one?.operators.map((o) => [o.operator, o.stakeShares]),
      [
        [A, 10n],
        [B, 20n],
      ],
    );
    assert.equal(one?.stakeSecuredShares, 30n);
    assert.equal(one?.recentRewards[0]?.amount, ONE);
    assert.deepEqual(
      one?.openRequests.map((r) => [r.requestId, r.vetoed]),
      [[2n, true]],
      "the executed request is in the slashes, not open",
    );
    assert.equal(two?.stakeSecuredShares, 40n);
    assert.deepEqual(two?.slashes, []);
  });

  it("the operators table's restaking columns come from the owner's record and sort", () => {
    const records = restakingRecords(
      {
        memberships: [optIn(1n, A), optIn(2n, A), optIn(1n, B)],
        rewards: [reward(1n, A, 1n, 7n), reward(1n, A, 1n, 3n, TOKEN)],
        slashes: [slash(1n, B, 4n)],
        slashRequests: [],
      },
      0n,
    );
    assert.deepEqual(records.get(A.toLowerCase()), {
      networks: [1n, 2n],
      slashCount: 0,
      slashedShares: 0n,
      rewardsEther: 7n,
    });
    assert.deepEqual(records.get(B.toLowerCase()), {
      networks: [1n],
      slashCount: 1,
      slashedShares: 4n,
      rewardsEther: 0n,
    });
    const row = (operatorId: bigint, owner: Address) => ({
      operatorId,
      owner,
      bondUnits: 0n,
      bondEther: 0n,
      freeUnits: 0n,
      lockedUnits: 0n,
      keyShares: 0n,
      status: "active" as const,
      metadataURI: "",
      performance: undefined,
      strikes: 0n,
      strikesTotal: 0n,
      ...(records.get(owner.toLowerCase()) ?? { networks: [], slashCount: 0, slashedShares: 0n, rewardsEther: 0n }),
    });
    const rows = [row(1n, B), row(2n, A)];
    assert.deepEqual(
      sortOperators(rows, { key: "networks", direction: "descending" }).map((r) => r.operatorId),
      [2n, 1n],
    );
    assert.deepEqual(
      sortOperators(rows, { key: "slashedShares", direction: "descending" }).map((r) => r.operatorId),
      [1n, 2n],
    );
  });

  it("formats basis points, shares in ether and a Distributor's allocation", () => {
    assert.equal(formatBps(1_000n), "10%");
    assert.equal(formatBps(250n), "2.5%");
    assert.equal(formatBps(5n), "0.05%");
    assert.equal(formatBps(0n), "0%");
    assert.equal(sharesToEther(2n * ONE, (ONE * 11n) / 10n), (22n * ONE) / 10n);
    assert.deepEqual(
      allocation([
        { operator: A, delegated: 3n },
        { operator: B, delegated: 1n },
      ]).map((a) => a.basisPoints),
      [7_500n, 2_500n],
    );
    assert.deepEqual(
      allocation([{ operator: A, delegated: 0n }]).map((a) => a.basisPoints),
      [0n],
    );
    // Distributor shares carry their own decimals (24 with an ERC-4626 offset of 6).
    assert.equal(formatToken(10n ** 24n, 24), "1");
    assert.equal(formatToken(1_234_560_000n, 6, 2), "1,234.56");
    assert.equal(sharesFromParsed(ONE, 24), 10n ** 24n);
    assert.equal(sharesFromParsed(ONE / 2n, 6), 500_000n);
  });
});
