import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { getAddress, parseEther, parseEventLogs, zeroAddress } from "viem";
import { makeDepositData, PREDEPOSIT_GWEI } from "../../helpers/depositData.ts";
import { deployNative, WITHDRAWAL_REQUEST_PREDEPLOY } from "../../helpers/native.ts";
import { BURN_ADDRESS, evidence } from "../../helpers/restaking.ts";

describe("NativeVault", async () => {
  const { viem } = await network.create();

  it("mints shares 1:1 on an empty vault, rounds down, and ignores donated ether", async () => {
    const n = await deployNative(viem);
    const { native, testClient } = n;
    const { alice, bob } = n.accounts;
    await assert.rejects(native.write.deposit({ account: alice.account, value: 0n }), /ZeroAmount/);
    await native.write.deposit({ account: alice.account, value: 1n });
    assert.equal(await native.read.sharesOf([alice.account.address]), 1n);
    // A donation (or a beacon withdrawal not yet reported) cannot move the rate.
    await testClient.setBalance({ address: native.address, value: parseEther("1000") + 1n });
    assert.equal(await native.read.getTotalPooledEther(), 1n);
    await native.write.deposit({ account: bob.account, value: parseEther("1") });
    assert.equal(await native.read.sharesOf([bob.account.address]), parseEther("1"));
  });

  it("moves native shares only into the restaking vault, and only when the vault asks", async () => {
    const n = await deployNative(viem);
    const { native, vault } = n;
    const { alice, bob, operator } = n.accounts;
    await native.write.deposit({ account: alice.account, value: parseEther("2") });
    await assert.rejects(
      native.write.transferSharesFrom([alice.account.address, bob.account.address, 1n], { account: alice.account }),
      /NotRestakingVault/,
    );
    await assert.rejects(
      native.write.transferShares([bob.account.address, 1n], { account: alice.account }),
      /NotRestakingVault/,
    );
    await vault.write.registerOperator([1_000n], { account: operator.account });
    await vault.write.deposit([operator.account.address, parseEther("1")], { account: alice.account });
    assert.equal(await native.read.sharesOf([vault.address]), parseEther("1"));
    assert.equal(await native.read.sharesOf([alice.account.address]), parseEther("1"));
    await assert.rejects(
      vault.write.deposit([operator.account.address, parseEther("5")], { account: alice.account }),
      /InsufficientShares/,
    );
  });

  it("wires once, by the deployer only", async () => {
    const n = await deployNative(viem);
    const { alice } = n.accounts;
    await assert.rejects(
      n.native.write.wire([alice.account.address, alice.account.address, alice.account.address]),
      /Wiring/,
    );
    const fresh = await viem.deployContract("NativeVault", [n.depositContract.address, alice.account.address, 1_000n]);
    await assert.rejects(
      fresh.write.wire([alice.account.address, alice.account.address, alice.account.address], {
        account: alice.account,
      }),
      /Wiring/,
    );
    await assert.rejects(fresh.write.wire([zeroAddress, alice.account.address, alice.account.address]), /Wiring/);
    await assert.rejects(
      viem.deployContract("NativeVault", [n.depositContract.address, alice.account.address, 10_001n]),
      /FeeTooHigh/,
    );
  });

  it("deposits validators with 0x02 credentials from free ether, registry only", async () => {
    const n = await deployNative(viem);
    const { native, depositContract } = n;
    const { alice, validatorRegistry } = n.accounts;
    const credentials = await native.read.withdrawalCredentials();
    assert.equal(credentials, `0x02${"00".repeat(11)}${native.address.slice(2).toLowerCase()}`);
    const d = makeDepositData(42, credentials, PREDEPOSIT_GWEI);
    await assert.rejects(
      native.write.depositValidator([d.pubkey, d.signature, d.depositDataRoot], { account: alice.account }),
      /NotValidatorRegistry/,
    );
    await assert.rejects(
      native.write.depositValidator([d.pubkey, d.signature, d.depositDataRoot], { account: validatorRegistry.account }),
      /InsufficientFreeEther/,
    );
    await native.write.deposit({ account: alice.account, value: parseEther("40") });
    await assert.rejects(
      native.write.depositValidator(["0x1234", d.signature, d.depositDataRoot], { account: validatorRegistry.account }),
      /InvalidPubkeyLength/,
    );
    await native.write.depositValidator([d.pubkey, d.signature, d.depositDataRoot], {
      account: validatorRegistry.account,
    });
    await assert.rejects(
      native.write.depositValidator([d.pubkey, d.signature, d.depositDataRoot], { account: validatorRegistry.account }),
      /KnownValidator/,
    );
    // 31 ETH stay kept for the top-up: 8 free ether cannot start a second validator.
    const d2 = makeDepositData(43, credentials, PREDEPOSIT_GWEI);
    await assert.rejects(
      native.write.depositValidator([d2.pubkey, d2.signature, d2.depositDataRoot], {
        account: validatorRegistry.account,
      }),
      /InsufficientFreeEther/,
    );
    await assert.rejects(native.write.topUpValidator([d.pubkey], { account: alice.account }), /NotValidatorRegistry/);
    await assert.rejects(
      native.write.topUpValidator([d2.pubkey], { account: validatorRegistry.account }),
      /NoPendingTopUp/,
    );
    await native.write.topUpValidator([d.pubkey], { account: validatorRegistry.account });
    await assert.rejects(
      native.write.topUpValidator([d.pubkey], { account: validatorRegistry.account }),
      /NoPendingTopUp/,
    );
    assert.deepEqual(await native.read.validatorStats(), [1n, 0n, 0n]);
    assert.equal(await native.read.validatorKey([0n]), d.pubkey);
    assert.equal(await n.publicClient.getBalance({ address: depositContract.address }), parseEther("32"));
    // Ether in the deposit contract still counts until a report covers the validator.
    assert.equal(await native.read.getTotalPooledEther(), parseEther("40"));
  });

  it("writes off a front-run predeposit (1 ETH lost to all holders)", async () => {
    const n = await deployNative(viem);
    const { native } = n;
    const { alice, validatorRegistry } = n.accounts;
    await native.write.deposit({ account: alice.account, value: parseEther("32") });
    const d = makeDepositData(7, await native.read.withdrawalCredentials(), PREDEPOSIT_GWEI);
    await native.write.depositValidator([d.pubkey, d.signature, d.depositDataRoot], {
      account: validatorRegistry.account,
    });
    await assert.rejects(
      native.write.writeOffPredeposit([d.pubkey], { account: alice.account }),
      /NotValidatorRegistry/,
    );
    await native.write.writeOffPredeposit([d.pubkey], { account: validatorRegistry.account });
    await assert.rejects(
      native.write.topUpValidator([d.pubkey], { account: validatorRegistry.account }),
      /NoPendingTopUp/,
    );
    assert.equal(await native.read.getTotalPooledEther(), parseEther("31"));
  });

  it("accounts oracle reports: rewards minus the operators' 10%, losses, and bad reports rejected", async () => {
    const n = await deployNative(viem);
    const { native, testClient } = n;
    const { alice, oracle, feeRecipient } = n.accounts;
    await native.write.deposit({ account: alice.account, value: parseEther("32") });
    await n.createValidator();
    const t = await n.now();
    await assert.rejects(
      native.write.handleReport([t, 1n, parseEther("32"), 0n], { account: alice.account }),
      /NotOracle/,
    );
    await assert.rejects(
      native.write.handleReport([t, 2n, parseEther("32"), 0n], { account: oracle.account }),
      /InvalidReport/,
    );
    await assert.rejects(
      native.write.handleReport([t, 1n, parseEther("32"), 1n], { account: oracle.account }),
      /InvalidReport/,
    );
    await assert.rejects(
      native.write.handleReport([t + 1000n, 1n, parseEther("32"), 0n], { account: oracle.account }),
      /StaleReport/,
    );
    await n.report(1n, parseEther("33"), 0n);
    assert.equal(await native.read.getTotalPooledEther(), parseEther("33"));
    const fee = await native.read.sharesOf([feeRecipient.account.address]);
    assert.ok(fee > 0n);
    // The fee recipient's shares are worth 10% of the 1 ETH reward (rounded down, never more).
    const feeValue = await native.read.getPooledEthByShares([fee]);
    assert.ok(feeValue <= parseEther("0.1") && parseEther("0.1") - feeValue < 10n, `fee worth ${feeValue}`);
    const aliceValue = await native.read.getPooledEthByShares([parseEther("32")]);
    assert.ok(aliceValue <= parseEther("32.9") && parseEther("32.9") - aliceValue < 10n);
    // 2 ETH withdrawn to the vault by the beacon chain: counted once the report says so, not before.
    await testClient.setBalance({ address: native.address, value: parseEther("2") });
    await n.report(1n, parseEther("31"), parseEther("2"));
    assert.equal(await native.read.getTotalPooledEther(), parseEther("33"));
    await assert.rejects(n.report(1n, parseEther("31"), parseEther("1")), /InvalidReport/);
    await assert.rejects(n.report(0n, parseEther("31"), parseEther("2")), /InvalidReport/);
    await n.report(1n, parseEther("30"), parseEther("2"));
    assert.equal(await native.read.getTotalPooledEther(), parseEther("32"));
  });

  it("a Network slash is recorded at once and settled in ether through an exact EIP-7002 partial withdrawal", async () => {
    const n = await deployNative(viem);
    const { native, vault, registry, predeploy, testClient, publicClient } = n;
    const { alice, bob, operator, receiver } = n.accounts;
    await native.write.deposit({ account: alice.account, value: parseEther("32") });
    await n.createValidator();
    await n.report(1n, parseEther("32"), 0n);
    await vault.write.registerOperator([1_000n], { account: operator.account });
    const net = await n.registerNetwork(receiver.account.address);
    await registry.write.optIn([net], { account: operator.account });
    await vault.write.deposit([operator.account.address, parseEther("32")], { account: alice.account });
    await n.nextEpoch();
    await n.nextEpoch();

    // Bob deposits 1 ETH later: his ether is liquid but the slash queues first.
    const slash = parseEther("3");
    const capture = (await n.now()) - 1n;
    await registry.write.slashWithEvidence([net, operator.account.address, Number(capture), evidence(true, slash)]);
    const [active] = await vault.read.positionOf([alice.account.address, operator.account.address]);
    assert.equal(active, parseEther("29"));
    assert.equal(await native.read.owedEther(), slash);
    assert.deepEqual(await native.read.payoutOf([0n]), {
      recipient: getAddress(receiver.account.address),
      amount: slash,
    });
    assert.equal(await native.read.shortfall(), slash);
    // Alice's restaked claim is reduced by exactly the slashed ether.
    assert.equal(await native.read.getPooledEthByShares([active]), parseEther("29"));

    await assert.rejects(
      native.write.requestWithdrawal([0n, 3_000_000_000n], { value: 6n }),
      /WrongWithdrawalRequestFee/,
    );
    await assert.rejects(native.write.requestWithdrawal([5n, 3_000_000_000n], { value: 7n }), /UnknownValidator/);
    // Asking for more than the shortfall asks for exactly the shortfall.
    const hash = await native.write.requestWithdrawal([0n, 5_000_000_000n], { value: 7n });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    const request = receipt.logs.find((l) => getAddress(l.address) === getAddress(WITHDRAWAL_REQUEST_PREDEPLOY));
    assert.ok(request);
    const pubkey = await native.read.validatorKey([0n]);
    assert.equal(
      request.data,
      `${native.address.toLowerCase()}${pubkey.slice(2)}${3_000_000_000n.toString(16).padStart(16, "0")}`,
    );
    assert.equal(await predeploy.read.requests(), 1n);
    // The request is in flight: no second one.
    assert.equal(await native.read.shortfall(), 0n);
    await assert.rejects(native.write.requestWithdrawal([0n, 1n], { value: 7n }), /NoShortfall/);

    await native.write.deposit({ account: bob.account, value: parseEther("1") });
    await native.write.withdraw([parseEther("1"), bob.account.address], { account: bob.account });
    // Bob's ether is in the vault but the slash payout is first: settling pays nothing yet.
    const receiverBefore = await publicClient.getBalance({ address: receiver.account.address });
    await native.write.settlePayouts([10n]);
    assert.deepEqual(await native.read.payoutQueue(), [0n, 2n]);

    // The 3 ETH arrive (a beacon withdrawal credits the balance without a call).
    await testClient.setBalance({ address: native.address, value: parseEther("4") });
    await native.write.settlePayouts([10n]);
    assert.deepEqual(await native.read.payoutQueue(), [2n, 2n]);
    assert.equal(await publicClient.getBalance({ address: receiver.account.address }), receiverBefore + slash);
    assert.equal(await native.read.owedEther(), 0n);
    await n.report(1n, parseEther("29"), parseEther("3"));
    assert.equal(await native.read.getPooledEthByShares([active]), parseEther("29"));
  });

  it("burns slashed ether by paying the burn address, and keeps refused payouts claimable", async () => {
    const n = await deployNative(viem);
    const { native, vault, registry, publicClient } = n;
    const { alice, operator } = n.accounts;
    await native.write.deposit({ account: alice.account, value: parseEther("10") });
    await vault.write.registerOperator([0n], { account: operator.account });
    const net = await n.registerNetwork();
    await registry.write.optIn([net], { account: operator.account });
    await vault.write.deposit([operator.account.address, parseEther("10")], { account: alice.account });
    await n.nextEpoch();
    await n.nextEpoch();
    const capture = (await n.now()) - 1n;
    await registry.write.slashWithEvidence([
      net,
      operator.account.address,
      Number(capture),
      evidence(true, parseEther("2")),
    ]);
    const before = await publicClient.getBalance({ address: BURN_ADDRESS });
    await native.write.settlePayouts([1n]);
    assert.equal(await publicClient.getBalance({ address: BURN_ADDRESS }), before + parseEther("2"));

    const rejecter = await viem.deployContract("EtherRejecter");
    await native.write.deposit({ account: alice.account, value: parseEther("1") });
    const shares = await native.read.sharesOf([alice.account.address]);
    await native.write.withdraw([shares, rejecter.address], { account: alice.account });
    await native.write.settlePayouts([5n]);
    const refused = await native.read.refusedOf([rejecter.address]);
    assert.equal(refused, parseEther("1"));
    await assert.rejects(
      native.write.claimRefused([alice.account.address], { account: alice.account }),
      /NothingToClaim/,
    );
    await assert.rejects(native.write.withdraw([1n, zeroAddress], { account: alice.account }), /ZeroRecipient/);
    await assert.rejects(native.write.withdraw([0n, alice.account.address], { account: alice.account }), /ZeroAmount/);
    await assert.rejects(
      native.write.withdraw([1n, alice.account.address], { account: alice.account }),
      /InsufficientShares/,
    );
  });

  it("claims an undelegated native position as ether through the restaking queue", async () => {
    const n = await deployNative(viem);
    const { native, vault, publicClient } = n;
    const { alice, operator, bob } = n.accounts;
    await native.write.deposit({ account: alice.account, value: parseEther("5") });
    await vault.write.registerOperator([0n], { account: operator.account });
    await vault.write.deposit([operator.account.address, parseEther("5")], { account: alice.account });
    await n.nextEpoch();
    await n.nextEpoch();
    await vault.write.undelegate([operator.account.address, parseEther("5")], { account: alice.account });
    const epoch = await vault.read.currentEpoch();
    await n.nextEpoch();
    await n.nextEpoch();
    const hash = await vault.write.claimWithdrawal([operator.account.address, epoch + 2n, bob.account.address], {
      account: alice.account,
    });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    const [queued] = parseEventLogs({ abi: native.abi, logs: receipt.logs, eventName: "PayoutQueued" });
    assert.equal(queued?.args.recipient, getAddress(bob.account.address));
    assert.equal(queued?.args.amount, parseEther("5"));
    const before = await publicClient.getBalance({ address: bob.account.address });
    await native.write.settlePayouts([1n]);
    assert.equal(await publicClient.getBalance({ address: bob.account.address }), before + parseEther("5"));
    assert.equal(await native.read.getTotalShares(), 0n);
  });
});
