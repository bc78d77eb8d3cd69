import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Operator, WithdrawalStatus } from "@nektar/sdk";
import {
  defaultSort,
  keySharesByOperator,
  type OperatorRow,
  operatorRow,
  sortOperators,
} from "../../src/data/operators.ts";
import { nextReportAt, withdrawalViews } from "../../src/data/withdrawals.ts";

const ONE = 10n ** 18n;

function operator(id: bigint, bondUnits: bigint, freeUnits: bigint, flags: Partial<Operator> = {}): Operator {
  return {
    operatorId: id,
    owner: "0x0000000000000000000000000000000000000001",
    signer: "0x0000000000000000000000000000000000000002",
    nodeIdentity: `0x${"00".repeat(32)}`,
    bondUnits,
    freeUnits,
    paused: false,
    ejected: false,
    metadataURI: "",
    ...flags,
  };
}

describe("operator rows", () => {
  it("counts key shares from the clusters of validators whose shares exist", () => {
    const cluster = (first: number) => Array.from({ length: 16 }, (_, i) => first + i);
    const counts = keySharesByOperator([
      { status: "active", operatorIds: cluster(1) },
      { status: "predeposited", operatorIds: cluster(5) },
      { status: "requested", operatorIds: cluster(1) },
      { status: "expired", operatorIds: cluster(1) },
      { status: "unusable", operatorIds: cluster(1) },
    ]);
    assert.equal(counts.get(1n), 1n);
    assert.equal(counts.get(5n), 2n);
    assert.equal(counts.get(20n), 1n);
    assert.equal(counts.get(21n), undefined);
    assert.equal(operatorRow(operator(5n, 3n, 1n), 1n, ONE, counts.get(5n)).keyShares, 2n);
  });

  it("values bond units at the share rate and derives locked units and status", () => {
    const row = operatorRow(operator(1n, 10n, 4n, { paused: true }), ONE / 10n, (ONE * 11n) / 10n);
    assert.equal(row.bondEther, (10n * (ONE / 10n) * 11n) / 10n);
    assert.equal(row.lockedUnits, 6n);
    assert.equal(row.status, "paused");
    assert.equal(row.performance, undefined, "never estimated");
    assert.equal(operatorRow(operator(2n, 1n, 1n, { paused: true, ejected: true }), 1n, ONE).status, "ejected");
  });

  it("sorts by any column, ties by id, unmeasured performance last in both directions", () => {
    const rows: OperatorRow[] = [
      operatorRow(operator(1n, 5n, 5n), 1n, ONE),
      operatorRow(operator(2n, 9n, 1n), 1n, ONE),
      operatorRow(operator(3n, 5n, 2n, { ejected: true }), 1n, ONE),
      { ...operatorRow(operator(4n, 1n, 1n), 1n, ONE), performance: 0.9 },
    ];
    const ids = (r: OperatorRow[]) => r.map((x) => Number(x.operatorId));
    assert.deepEqual(ids(sortOperators(rows, { key: "bondEther", direction: "descending" })), [2, 1, 3, 4]);
    assert.deepEqual(ids(sortOperators(rows, { key: "bondEther", direction: "ascending" })), [4, 1, 3, 2]);
    assert.deepEqual(ids(sortOperators(rows, { key: "lockedUnits", direction: "descending" })), [2, 3, 1, 4]);
    assert.deepEqual(ids(sortOperators(rows, { key: "status", direction: "ascending" })), [1, 2, 4, 3]);
    assert.deepEqual(ids(sortOperators(rows, { key: "performance", direction: "descending" })), [4, 1, 2, 3]);
    assert.deepEqual(ids(sortOperators(rows, { key: "performance", direction: "ascending" })), [4, 1, 2, 3]);
    assert.deepEqual(ids(rows), [1, 2, 3, 4], "the input is not reordered");
    const struck = [
      ...rows.slice(0, 2),
      operatorRow(operator(3n, 5n, 2n), 1n, ONE, 0n, undefined, { strikes: 2n, strikesTotal: 4n }),
      operatorRow(operator(4n, 1n, 1n), 1n, ONE, 0n, undefined, { strikes: 1n, strikesTotal: 1n }),
    ];
    assert.equal(struck[0]?.strikes, 0n, "no strike record: zero");
    assert.deepEqual(ids(sortOperators(struck, { key: "strikes", direction: "descending" })), [3, 4, 1, 2]);
  });

  it("opens sorted by performance once anything is measured, else by bond", () => {
    const unmeasured = [operatorRow(operator(1n, 1n, 1n), 1n, ONE)];
    assert.deepEqual(defaultSort(unmeasured), { key: "bondEther", direction: "descending" });
    assert.deepEqual(defaultSort([...unmeasured, { ...unmeasured[0], performance: 1 } as OperatorRow]), {
      key: "performance",
      direction: "descending",
    });
  });
});

describe("withdrawal views", () => {
  const request = (requestId: bigint, isFinalized: boolean): WithdrawalStatus => ({
    requestId,
    amountOfEther: ONE,
    amountOfShares: ONE,
    owner: "0x0000000000000000000000000000000000000001",
    timestamp: 0n,
    isFinalized,
    isClaimed: false,
    claimableEther: isFinalized ? ONE : 0n,
  });

  it("places each request in the queue and says when it can finalize", () => {
    const views = withdrawalViews(
      [request(3n, true), request(5n, false), request(8n, false)],
      { lastFinalizedRequestId: 3n, finalizableRequestId: 6n },
      [{ refTimestamp: 100n }, { refTimestamp: 160n }, { refTimestamp: 200n }],
    );
    assert.deepEqual(
      views.map((v) => [v.stage, v.queuePosition, v.expectedReportAt]),
      [
        ["claimable", 0n, undefined],
        ["finalizable", 2n, undefined],
        ["waiting for report", 5n, 260n],
      ],
    );
  });

  it("expects the next report one median interval after the last; unknown before two reports", () => {
    assert.equal(nextReportAt([]), undefined);
    assert.equal(nextReportAt([{ refTimestamp: 5n }]), undefined);
    assert.equal(
      nextReportAt([{ refTimestamp: 0n }, { refTimestamp: 10n }, { refTimestamp: 100n }, { refTimestamp: 110n }]),
      120n,
    );
  });
});
