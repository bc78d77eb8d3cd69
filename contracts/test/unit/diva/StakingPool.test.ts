import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { getAddress, parseEther, zeroAddress } from "viem";
import { depositRoot, makeDepositData, PREDEPOSIT_GWEI } from "../../helpers/depositData.ts";
import { BOOTSTRAP_DEPOSIT, DEPOSIT_SIZE, deployDiva } from "../../helpers/fixture.ts";

describe("StakingPool", async () => {
  const { viem } = await network.create();
  const [deployer, other] = await viem.getWalletClients();
  assert.ok(deployer && other);

  describe("deployment", () => {
    it("locks the bootstrap deposit's shares at 0xdead", async () => {
      const { pool } = await deployDiva(viem);
      assert.equal(await pool.read.sharesOf([await pool.read.LOCKED_SHARES_HOLDER()]), BOOTSTRAP_DEPOSIT);
      assert.equal(await pool.read.getTotalShares(), BOOTSTRAP_DEPOSIT);
      assert.equal(await pool.read.bufferedEther(), BOOTSTRAP_DEPOSIT);
    });

    it("rejects a bootstrap deposit below the minimum and zero addresses", async () => {
      const dc = await viem.deployContract("DepositContract");
      const pool = await viem.deployContract("StakingPool", [dc.address, other.account.address], { value: 10n ** 9n });
      await viem.assertions.revertWithCustomErrorWithArgs(
        viem.deployContract("StakingPool", [dc.address, other.account.address], { value: 10n ** 9n - 1n }),
        pool,
        "BootstrapDepositTooSmall",
        [10n ** 9n - 1n, 10n ** 9n],
      );
      await viem.assertions.revertWithCustomError(
        viem.deployContract("StakingPool", [zeroAddress, other.account.address], { value: 10n ** 9n }),
        pool,
        "ZeroAddress",
      );
      await viem.assertions.revertWithCustomError(
        viem.deployContract("StakingPool", [dc.address, zeroAddress], { value: 10n ** 9n }),
        pool,
        "ZeroAddress",
      );
    });
  });

  describe("stake", () => {
    it("mints shares at the current rate and emits Staked", async () => {
      const { pool, accounts } = await deployDiva(viem);
      const { alice, bob } = accounts;
      await viem.assertions.emitWithArgs(
        pool.write.stake({ account: alice.account, value: parseEther("3") }),
        pool,
        "Staked",
        [getAddress(alice.account.address), parseEther("3"), parseEther("3"), zeroAddress],
      );
      await viem.assertions.emitWithArgs(
        pool.write.stakeWithReferral([bob.account.address], { account: alice.account, value: 7n }),
        pool,
        "Staked",
        [getAddress(alice.account.address), 7n, 7n, getAddress(bob.account.address)],
      );
      assert.equal(await pool.read.bufferedEther(), BOOTSTRAP_DEPOSIT + parseEther("3") + 7n);
    });

    it("treats a plain ether transfer as a stake", async () => {
      const { pool, accounts } = await deployDiva(viem);
      await accounts.bob.sendTransaction({ to: pool.address, value: parseEther("2") });
      assert.equal(await pool.read.balanceOf([accounts.bob.account.address]), parseEther("2"));
    });

    it("rejects zero ether and amounts worth zero shares", async () => {
      const diva = await deployDiva(viem);
      const { pool, accounts } = diva;
      await viem.assertions.revertWithCustomError(
        pool.write.stake({ account: accounts.alice.account }),
        pool,
        "ZeroStake",
      );
      await pool.write.stake({ account: accounts.alice.account, value: parseEther("32") });
      await diva.depositValidator();
      await diva.report(1n, parseEther("32.02"));
      await viem.assertions.revertWithCustomErrorWithArgs(
        pool.write.stake({ account: accounts.alice.account, value: 1n }),
        pool,
        "StakeTooSmall",
        [1n],
      );
    });
  });

  describe("validator registry entry points", () => {
    it("reserve, release and deposit with the protocol withdrawal credentials", async () => {
      const { pool, registry, accounts, depositContract, vault, publicClient } = await deployDiva(viem);
      await pool.write.stake({ account: accounts.alice.account, value: parseEther("64") });
      const credentials = await pool.read.withdrawalCredentials();
      assert.equal(credentials, `0x01${"00".repeat(11)}${vault.address.slice(2).toLowerCase()}`);

      await viem.assertions.emitWithArgs(registry.write.reserve(), pool, "ValidatorDepositReserved", [1n]);
      assert.equal(await pool.read.reservedEther(), DEPOSIT_SIZE);
      assert.equal(await pool.read.unreservedBufferedEther(), BOOTSTRAP_DEPOSIT + parseEther("32"));
      await registry.write.reserve();
      await viem.assertions.emitWithArgs(registry.write.release(), pool, "ValidatorDepositReleased", [1n]);

      // Step 1: the 1 ETH predeposit; the other 31 ETH of the reservation stay reserved.
      const d = makeDepositData(7, credentials, PREDEPOSIT_GWEI);
      const hash = await registry.write.deposit([d.pubkey, d.signature, d.depositDataRoot]);
      await viem.assertions.emitWithArgs(Promise.resolve(hash), pool, "ValidatorPredeposited", [d.pubkey, 1n]);
      await viem.assertions.emitWithArgs(Promise.resolve(hash), depositContract, "DepositEvent", [
        d.pubkey,
        credentials,
        "0x00ca9a3b00000000",
        d.signature,
        "0x0000000000000000",
      ]);
      assert.equal(await pool.read.depositedValidators(), 0n);
      assert.equal(await pool.read.pendingTopUps(), 1n);
      assert.equal(await pool.read.reservedEther(), parseEther("31"));
      assert.equal(await pool.read.bufferedEther(), BOOTSTRAP_DEPOSIT + parseEther("63"));
      assert.equal(await pool.read.unreservedBufferedEther(), BOOTSTRAP_DEPOSIT + parseEther("32"));
      assert.equal(await pool.read.getTotalPooledEther(), BOOTSTRAP_DEPOSIT + parseEther("64"));

      // Step 2: the 31 ETH top-up with a zero signature and a root the pool computes (the deposit contract checks it).
      const topUp = await registry.write.topUp([d.pubkey]);
      await viem.assertions.emitWithArgs(Promise.resolve(topUp), pool, "ValidatorDeposited", [d.pubkey, 1n]);
      await viem.assertions.emitWithArgs(Promise.resolve(topUp), depositContract, "DepositEvent", [
        d.pubkey,
        credentials,
        "0x0076be3707000000",
        `0x${"00".repeat(96)}`,
        "0x0100000000000000",
      ]);
      assert.equal(await pool.read.depositedValidators(), 1n);
      assert.equal(await pool.read.pendingTopUps(), 0n);
      assert.equal(await pool.read.reservedEther(), 0n);
      assert.equal(await pool.read.bufferedEther(), BOOTSTRAP_DEPOSIT + parseEther("32"));
      assert.equal(await publicClient.getBalance({ address: depositContract.address }), DEPOSIT_SIZE);
      // Total pooled ether still counts the deposited validator.
      assert.equal(await pool.read.getTotalPooledEther(), BOOTSTRAP_DEPOSIT + parseEther("64"));
      assert.equal(
        await depositContract.read.get_deposit_root(),
        depositRoot([d, { ...d, signature: `0x${"00".repeat(96)}`, amountGwei: 31_000_000_000n }]),
      );
    });

    it("writes off a front-run predeposit: 31 ETH back to the buffer, 1 ETH out of the pooled ether, bond burnt", async () => {
      const { pool, registry, accounts, publicClient, depositContract } = await deployDiva(viem);
      await pool.write.stake({ account: accounts.alice.account, value: parseEther("64") });
      const d = makeDepositData(8, await pool.read.withdrawalCredentials(), PREDEPOSIT_GWEI);
      await registry.write.reserve();
      await registry.write.deposit([d.pubkey, d.signature, d.depositDataRoot]);
      // The registry holds bond shares worth 1 ETH (here: alice's).
      const bond = await pool.read.getSharesByPooledEth([parseEther("1")]);
      await pool.write.transferShares([registry.address, bond + 1n], { account: accounts.alice.account });
      const [pooled, shares] = [await pool.read.getTotalPooledEther(), await pool.read.getTotalShares()];
      const unreserved = await pool.read.unreservedBufferedEther();
      const hash = await registry.write.writeOff([d.pubkey, bond + 1n]);
      await viem.assertions.emitWithArgs(Promise.resolve(hash), pool, "PredepositWrittenOff", [d.pubkey, bond + 1n]);
      assert.equal(await pool.read.pendingTopUps(), 0n);
      assert.equal(await pool.read.reservedEther(), 0n);
      assert.equal(await pool.read.unreservedBufferedEther(), unreserved + parseEther("31"));
      assert.equal(await pool.read.getTotalPooledEther(), pooled - parseEther("1"));
      assert.equal(await pool.read.getTotalShares(), shares - bond - 1n);
      assert.ok((pooled - parseEther("1")) * shares >= pooled * (shares - bond - 1n), "the share rate fell");
      assert.equal(await publicClient.getBalance({ address: depositContract.address }), parseEther("1"));
      // Burning more than the registry holds is refused; nothing is left to top up or write off.
      await viem.assertions.revertWithCustomError(registry.write.topUp([d.pubkey]), pool, "NoPendingTopUp");
      await viem.assertions.revertWithCustomError(registry.write.writeOff([d.pubkey, 0n]), pool, "NoPendingTopUp");
    });

    it("a report keeps predeposits at 1 ETH each in the pooled ether until their top-up", async () => {
      const diva = await deployDiva(viem);
      const { pool, registry, accounts } = diva;
      await pool.write.stake({ account: accounts.alice.account, value: parseEther("64") });
      const d = makeDepositData(9, await pool.read.withdrawalCredentials(), PREDEPOSIT_GWEI);
      await registry.write.reserve();
      await registry.write.deposit([d.pubkey, d.signature, d.depositDataRoot]);
      const pooled = await pool.read.getTotalPooledEther();
      await diva.report(0n, 0n);
      assert.equal(await pool.read.getTotalPooledEther(), pooled);
      await registry.write.topUp([d.pubkey]);
      await diva.report(1n, parseEther("32"));
      assert.equal(await pool.read.getTotalPooledEther(), pooled);
    });

    it("only the registry can call them", async () => {
      const { pool, accounts } = await deployDiva(viem);
      const caller = accounts.alice.account;
      await viem.assertions.revertWithCustomErrorWithArgs(
        pool.write.reserveValidatorDeposit({ account: caller }),
        pool,
        "NotValidatorRegistry",
        [getAddress(caller.address)],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        pool.write.releaseValidatorDeposit({ account: caller }),
        pool,
        "NotValidatorRegistry",
        [getAddress(caller.address)],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        pool.write.depositValidator(["0x", "0x", `0x${"00".repeat(32)}`], { account: caller }),
        pool,
        "NotValidatorRegistry",
        [getAddress(caller.address)],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        pool.write.topUpValidator(["0x"], { account: caller }),
        pool,
        "NotValidatorRegistry",
        [getAddress(caller.address)],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        pool.write.writeOffPredeposit(["0x", 0n], { account: caller }),
        pool,
        "NotValidatorRegistry",
        [getAddress(caller.address)],
      );
    });

    it("reservations need 32 ETH of unreserved buffer; release and deposit need a reservation", async () => {
      const { pool, registry, accounts } = await deployDiva(viem);
      await viem.assertions.revertWithCustomErrorWithArgs(
        registry.write.reserve(),
        pool,
        "InsufficientUnreservedBuffer",
        [BOOTSTRAP_DEPOSIT, DEPOSIT_SIZE],
      );
      await viem.assertions.revertWithCustomError(registry.write.release(), pool, "NoReservedDeposit");
      const d = makeDepositData(1, await pool.read.withdrawalCredentials(), PREDEPOSIT_GWEI);
      await viem.assertions.revertWithCustomError(
        registry.write.deposit([d.pubkey, d.signature, d.depositDataRoot]),
        pool,
        "NoReservedDeposit",
      );
      await viem.assertions.revertWithCustomError(registry.write.topUp([d.pubkey]), pool, "NoPendingTopUp");
      await pool.write.stake({ account: accounts.alice.account, value: parseEther("32") });
      await registry.write.reserve();
      await viem.assertions.revertWithCustomErrorWithArgs(
        registry.write.reserve(),
        pool,
        "InsufficientUnreservedBuffer",
        [BOOTSTRAP_DEPOSIT, DEPOSIT_SIZE],
      );
    });
  });

  describe("handleOracleReport", () => {
    it("only the accounting oracle can report", async () => {
      const { pool, accounts } = await deployDiva(viem);
      await viem.assertions.revertWithCustomErrorWithArgs(
        pool.write.handleOracleReport([0n, 0n, 0n, 0n], { account: accounts.alice.account }),
        pool,
        "NotAccountingOracle",
        [getAddress(accounts.alice.account.address)],
      );
    });

    it("mints 10% of positive rewards to the operator rewards recipient and rebases the rest", async () => {
      const diva = await deployDiva(viem);
      const { pool, accounts } = diva;
      await pool.write.stake({ account: accounts.alice.account, value: parseEther("32") });
      await diva.depositValidator();
      const hash = await diva.report(1n, parseEther("32.01"));
      const total = BOOTSTRAP_DEPOSIT + parseEther("32.01");
      assert.equal(await pool.read.getTotalPooledEther(), total);
      const fee = parseEther("0.001");
      const expectedShares = (fee * (BOOTSTRAP_DEPOSIT + parseEther("32"))) / (total - fee);
      assert.equal(await pool.read.sharesOf([accounts.operators.account.address]), expectedShares);
      await viem.assertions.emitWithArgs(Promise.resolve(hash), pool, "OracleReportHandled", [
        await pool.read.lastReportRefTimestamp(),
        1n,
        parseEther("32.01"),
        0n,
        parseEther("0.01"),
        total,
        BOOTSTRAP_DEPOSIT + parseEther("32") + expectedShares,
      ]);
      // A validator appearing with its 32 ETH is not a reward; a loss mints nothing.
      await diva.report(1n, parseEther("32.005"));
      assert.equal(await pool.read.sharesOf([accounts.operators.account.address]), expectedShares);
      const [validators, balance] = await pool.read.beaconStats();
      assert.equal(validators, 1n);
      assert.equal(balance, parseEther("32.005"));
    });

    it("mints nothing when the operators' 10% of a tiny reward rounds to zero", async () => {
      const diva = await deployDiva(viem);
      const { pool, accounts } = diva;
      await pool.write.stake({ account: accounts.alice.account, value: parseEther("32") });
      await diva.depositValidator();
      await diva.report(1n, parseEther("32") + 9n);
      assert.equal(await pool.read.sharesOf([accounts.operators.account.address]), 0n);
      assert.equal(await pool.read.getTotalPooledEther(), BOOTSTRAP_DEPOSIT + parseEther("32") + 9n);
    });

    it("rejects a reference time in the future or not after the last report's", async () => {
      const diva = await deployDiva(viem);
      const { pool, publicClient } = diva;
      await viem.assertions.revertWithCustomError(diva.report(0n, 0n, 0n, 60n, 2n ** 40n), pool, "ReportFromFuture");
      await diva.report(0n, 0n);
      const last = await pool.read.lastReportRefTimestamp();
      assert.equal(last, (await publicClient.getBlock()).timestamp - 1n, "the reference is the block mined before");
      await viem.assertions.revertWithCustomErrorWithArgs(diva.report(0n, 0n, 0n, 60n, last), pool, "StaleReport", [
        last,
        last,
      ]);
      await diva.report(0n, 0n, 0n, 60n, last + 1n);
      assert.equal(await pool.read.lastReportRefTimestamp(), last + 1n);
    });

    it("makes finalizable exactly the requests made before the reference time", async () => {
      const diva = await deployDiva(viem);
      const { pool, queue, accounts, publicClient, testClient } = diva;
      const { alice } = accounts;
      await pool.write.stake({ account: alice.account, value: parseEther("10") });
      await pool.write.approve([queue.address, parseEther("10")], { account: alice.account });
      const times: bigint[] = [];
      for (let i = 0; i < 7; i++) {
        await testClient.increaseTime({ seconds: 100 });
        const hash = await queue.write.requestWithdrawal([parseEther("1"), alice.account.address], {
          account: alice.account,
        });
        const receipt = await publicClient.waitForTransactionReceipt({ hash });
        times.push((await publicClient.getBlock({ blockNumber: receipt.blockNumber })).timestamp);
      }
      // Binary search over the pending requests, at and around each request's time.
      for (const [i, t] of times.entries()) {
        assert.equal(await queue.read.lastRequestIdBefore([t]), BigInt(i));
        assert.equal(await queue.read.lastRequestIdBefore([t + 1n]), BigInt(i + 1));
      }
      // A report referring to just after request 3 makes requests 1..3 finalizable, no more.
      await diva.report(0n, 0n, 0n, 60n, (times[2] ?? 0n) + 1n);
      assert.equal(await pool.read.finalizableRequestId(), 3n);
      await pool.write.finalizeWithdrawals([10n]);
      assert.equal(await queue.read.lastFinalizedRequestId(), 3n);
      // The search never goes below the last finalized request.
      assert.equal(await queue.read.lastRequestIdBefore([0n]), 3n);
      await diva.report(0n, 0n, 0n, 60n, (times[5] ?? 0n) + 1n);
      assert.equal(await pool.read.finalizableRequestId(), 6n);
    });

    it("pulls the reported vault balance into the buffer", async () => {
      const diva = await deployDiva(viem);
      const { pool, vault, accounts, publicClient } = diva;
      await accounts.carol.sendTransaction({ to: vault.address, value: parseEther("0.0000001") });
      await diva.report(0n, 0n, parseEther("0.0000001"));
      assert.equal(await publicClient.getBalance({ address: vault.address }), 0n);
      assert.equal(await pool.read.bufferedEther(), BOOTSTRAP_DEPOSIT + parseEther("0.0000001"));
    });

    it("rejects a validator count that decreases or exceeds the deposited validators", async () => {
      const diva = await deployDiva(viem);
      const { pool, accounts } = diva;
      await pool.write.stake({ account: accounts.alice.account, value: parseEther("32") });
      await viem.assertions.revertWithCustomErrorWithArgs(
        diva.report(1n, parseEther("32")),
        pool,
        "BeaconValidatorsExceedDeposited",
        [1n, 0n],
      );
      await diva.depositValidator();
      await diva.report(1n, parseEther("32"));
      await viem.assertions.revertWithCustomErrorWithArgs(diva.report(0n, 0n), pool, "BeaconValidatorsDecreased", [
        1n,
        0n,
      ]);
    });

    it("receiveWithdrawalVaultEther only accepts the vault", async () => {
      const { pool, accounts } = await deployDiva(viem);
      await viem.assertions.revertWithCustomErrorWithArgs(
        pool.write.receiveWithdrawalVaultEther({ account: accounts.alice.account, value: 1n }),
        pool,
        "NotWithdrawalVault",
        [getAddress(accounts.alice.account.address)],
      );
    });
  });

  describe("finalizeWithdrawals", () => {
    it("returns 0 when nothing is finalizable and only spends unreserved ether", async () => {
      const diva = await deployDiva(viem);
      const { pool, queue, registry, accounts } = diva;
      const { alice } = accounts;
      await pool.write.stake({ account: alice.account, value: parseEther("33") });
      // 32 ETH reserved before the request (withdrawal demand is only protected from later reservations): only
      // ~1 ETH stays unreserved, not enough for the 2 ETH request.
      await registry.write.reserve();
      await pool.write.approve([queue.address, parseEther("2")], { account: alice.account });
      await queue.write.requestWithdrawal([parseEther("2"), alice.account.address], { account: alice.account });
      const { result } = await pool.simulate.finalizeWithdrawals([10n]);
      assert.equal(result, 0n, "requests made after the last report wait for the next one");
      assert.equal(await pool.read.finalizableRequestId(), 0n);
      await diva.report(0n, 0n);
      assert.equal(await pool.read.finalizableRequestId(), 1n);
      await pool.write.finalizeWithdrawals([10n]);
      assert.equal(await queue.read.lastFinalizedRequestId(), 0n);
      await registry.write.release();
      await viem.assertions.emitWithArgs(pool.write.finalizeWithdrawals([10n]), pool, "WithdrawalsFinalized", [
        1n,
        parseEther("2"),
        parseEther("2"),
      ]);
      assert.equal(await pool.read.bufferedEther(), BOOTSTRAP_DEPOSIT + parseEther("31"));
    });

    it("reverts before the queue is wired", async () => {
      const dc = await viem.deployContract("DepositContract");
      const pool = await viem.deployContract("StakingPool", [dc.address, other.account.address], { value: 10n ** 9n });
      await viem.assertions.revertWithCustomError(pool.write.finalizeWithdrawals([1n]), pool, "NotWired");
      await viem.assertions.revertWithCustomError(pool.read.withdrawalCredentials(), pool, "NotWired");
    });
  });

  describe("wiring", () => {
    it("wires components and the registry once, deployer only, checking each points back at the pool", async () => {
      const dc = await viem.deployContract("DepositContract");
      const pool = await viem.deployContract("StakingPool", [dc.address, other.account.address], { value: 10n ** 9n });
      const exitManager = await viem.deployContract("ExitManager", [pool.address, 3_600n]);
      const vault = await viem.deployContract("WithdrawalVault", [pool.address, exitManager.address]);
      const wrapper = await viem.deployContract("WrappedDivETH", [pool.address]);
      const queue = await viem.deployContract("WithdrawalQueue", [pool.address, wrapper.address]);
      const oracle = await viem.deployContract("OracleRelay", [pool.address]);
      const stranger = await viem.deployContract("PoolCaller", [other.account.address]);
      const registry = await viem.deployContract("ValidatorRegistryDouble", [pool.address]);

      await viem.assertions.revertWithCustomErrorWithArgs(
        pool.write.wireComponents([vault.address, queue.address, oracle.address], { account: other.account }),
        pool,
        "NotDeployer",
        [getAddress(other.account.address)],
      );
      await viem.assertions.revertWithCustomError(
        pool.write.wireComponents([zeroAddress, queue.address, oracle.address]),
        pool,
        "ZeroAddress",
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        pool.write.wireComponents([vault.address, stranger.address, oracle.address]),
        pool,
        "ComponentNotBoundToPool",
        [getAddress(stranger.address)],
      );
      await viem.assertions.emitWithArgs(
        pool.write.wireComponents([vault.address, queue.address, oracle.address]),
        pool,
        "ComponentsWired",
        [getAddress(vault.address), getAddress(queue.address), getAddress(oracle.address)],
      );
      await viem.assertions.revertWithCustomError(
        pool.write.wireComponents([vault.address, queue.address, oracle.address]),
        pool,
        "AlreadyWired",
      );
      assert.equal(await pool.read.withdrawalVault(), getAddress(vault.address));
      assert.equal(await pool.read.withdrawalQueue(), getAddress(queue.address));
      assert.equal(await pool.read.accountingOracle(), getAddress(oracle.address));
      assert.equal(await pool.read.depositContract(), getAddress(dc.address));
      assert.equal(await pool.read.operatorRewardsRecipient(), getAddress(other.account.address));

      await viem.assertions.revertWithCustomErrorWithArgs(
        pool.write.setValidatorRegistry([registry.address], { account: other.account }),
        pool,
        "NotDeployer",
        [getAddress(other.account.address)],
      );
      await viem.assertions.revertWithCustomError(pool.write.setValidatorRegistry([zeroAddress]), pool, "ZeroAddress");
      await viem.assertions.revertWithCustomErrorWithArgs(
        pool.write.setValidatorRegistry([stranger.address]),
        pool,
        "ComponentNotBoundToPool",
        [getAddress(stranger.address)],
      );
      assert.equal(await pool.read.validatorRegistry(), zeroAddress);
      await viem.assertions.emitWithArgs(
        pool.write.setValidatorRegistry([registry.address]),
        pool,
        "ValidatorRegistrySet",
        [getAddress(registry.address)],
      );
      await viem.assertions.revertWithCustomError(
        pool.write.setValidatorRegistry([registry.address]),
        pool,
        "AlreadyWired",
      );
      assert.equal(await pool.read.validatorRegistry(), getAddress(registry.address));
    });
  });
});
