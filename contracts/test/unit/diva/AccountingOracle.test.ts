import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { getAddress, parseEther, zeroAddress } from "viem";
import { BOOTSTRAP_DEPOSIT, deployDiva, ONE_DAY, REPORTER_ROLE } from "../../helpers/fixture.ts";

const RATE = 10n ** 27n;

describe("AccountingOracle", async () => {
  const { viem } = await network.create();

  /** 1 validator deposited with 32 ETH of a total ~32.001 ETH, so the rate moves with the beacon balance. */
  async function setup() {
    const diva = await deployDiva(viem);
    await diva.pool.write.stake({ account: diva.accounts.alice.account, value: parseEther("32") });
    await diva.depositValidator();
    return diva;
  }
  const total = BOOTSTRAP_DEPOSIT + parseEther("32");

  it("exposes its configuration", async () => {
    const { oracle, pool } = await setup();
    assert.equal(await oracle.read.stakingPool(), getAddress(pool.address));
    assert.equal(await oracle.read.maxShareRateIncreaseBpPerDay(), 10n);
    assert.equal(await oracle.read.maxShareRateDecreaseBpPerReport(), 500n);
    assert.ok((await oracle.read.lastReportTimestamp()) > 0n);
  });

  it("applies a report within limits and emits the rates", async () => {
    const diva = await setup();
    const { oracle, accounts } = diva;
    const hash = await diva.report(1n, parseEther("32.01"));
    const postShares = await diva.pool.read.getTotalShares();
    await viem.assertions.emitWithArgs(Promise.resolve(hash), oracle, "ReportSubmitted", [
      getAddress(accounts.reporter.account.address),
      1n,
      parseEther("32.01"),
      0n,
      RATE,
      ((total + parseEther("0.01")) * RATE) / postShares,
    ]);
    const block = await diva.publicClient.getBlock();
    assert.equal(await oracle.read.lastReportTimestamp(), block.timestamp);
  });

  it("only reporters can submit", async () => {
    const { oracle, accounts } = await setup();
    await viem.assertions.revertWithCustomErrorWithArgs(
      oracle.write.submitReport(
        [{ beaconValidators: 1n, beaconBalance: 0n, withdrawalVaultBalance: 0n, refTimestamp: 1n }],
        {
          account: accounts.alice.account,
        },
      ),
      oracle,
      "AccessControlUnauthorizedAccount",
      [getAddress(accounts.alice.account.address), REPORTER_ROLE],
    );
  });

  it("caps the share-rate increase per elapsed day", async () => {
    const diva = await setup();
    const { oracle } = diva;
    // 10 bp/day of ~32.001 ETH: 0.032 ETH of holders' rewards; 0.05 ETH total rewards (0.045 to holders) is too much
    // after one day but fine after two.
    const tooMuch = parseEther("32.05");
    await assert.rejects(diva.report(1n, tooMuch, 0n, ONE_DAY));
    await viem.assertions.revertWithCustomError(diva.report(1n, tooMuch, 0n, 60n), oracle, "ShareRateIncreaseTooHigh");
    await diva.report(1n, tooMuch, 0n, 2n * ONE_DAY);
  });

  it("reports the exact bound in ShareRateIncreaseTooHigh", async () => {
    const diva = await setup();
    const { oracle, testClient, accounts, pool } = diva;
    const last = await oracle.read.lastReportTimestamp();
    await testClient.setNextBlockTimestamp({ timestamp: last + ONE_DAY });
    const reward = parseEther("0.05");
    const fee = reward / 10n;
    const postTotal = total + reward;
    const postShares = total + (fee * total) / (postTotal - fee);
    const postRate = (postTotal * RATE) / postShares;
    const maxRate = RATE + (RATE * 10n * ONE_DAY) / (10_000n * ONE_DAY);
    await viem.assertions.revertWithCustomErrorWithArgs(
      oracle.write.submitReport(
        [
          {
            beaconValidators: 1n,
            beaconBalance: parseEther("32.05"),
            withdrawalVaultBalance: 0n,
            refTimestamp: last + ONE_DAY,
          },
        ],
        {
          account: accounts.reporter.account,
        },
      ),
      oracle,
      "ShareRateIncreaseTooHigh",
      [RATE, postRate, maxRate],
    );
    assert.equal(await pool.read.getTotalPooledEther(), total, "the pool is untouched");
  });

  it("caps the share-rate decrease per report", async () => {
    const diva = await setup();
    const { oracle } = diva;
    // 5% of ~32.001 ETH is ~1.6 ETH.
    const postRate = ((total - parseEther("2")) * RATE) / total;
    const minRate = RATE - (RATE * 500n) / 10_000n;
    await viem.assertions.revertWithCustomErrorWithArgs(
      diva.report(1n, parseEther("30")),
      oracle,
      "ShareRateDecreaseTooHigh",
      [RATE, postRate, minRate],
    );
    await diva.report(1n, parseEther("30.5"));
  });

  it("rejects two reports in one block", async () => {
    const diva = await setup();
    const { oracle, accounts } = diva;
    const twice = await viem.deployContract("ReportTwice");
    await oracle.write.grantRole([REPORTER_ROLE, twice.address], { account: accounts.deployer.account });
    await diva.testClient.increaseTime({ seconds: Number(ONE_DAY) });
    await viem.assertions.revertWithCustomError(
      twice.write.run([
        oracle.address,
        {
          beaconValidators: 1n,
          beaconBalance: parseEther("32"),
          withdrawalVaultBalance: 0n,
          refTimestamp: (await diva.publicClient.getBlock()).timestamp,
        },
      ]),
      oracle,
      "ReportInSameBlock",
    );
  });

  it("validates constructor arguments", async () => {
    const { oracle, pool, accounts } = await setup();
    const admin = accounts.deployer.account.address;
    await viem.assertions.revertWithCustomError(
      viem.deployContract("AccountingOracle", [zeroAddress, admin, 10n, 10n]),
      oracle,
      "ZeroAddress",
    );
    await viem.assertions.revertWithCustomError(
      viem.deployContract("AccountingOracle", [pool.address, zeroAddress, 10n, 10n]),
      oracle,
      "ZeroAddress",
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      viem.deployContract("AccountingOracle", [pool.address, admin, 10_001n, 10n]),
      oracle,
      "InvalidLimit",
      [10_001n, 10_000n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      viem.deployContract("AccountingOracle", [pool.address, admin, 10n, 10_001n]),
      oracle,
      "InvalidLimit",
      [10_001n, 10_000n],
    );
  });
});
