import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { type Address, getAddress, parseEther, zeroAddress } from "viem";
import {
  deployRestaking,
  EPOCH,
  evidence,
  type Restaking,
  SlashKind,
  signOptIn as signOptInTyped,
} from "../../helpers/restaking.ts";

/** `wallet`'s opt-in signature with its current nonce, for `chainId` (another chain's must be refused). */
async function signOptIn(
  r: Restaking,
  wallet: Restaking["accounts"]["opA"],
  networkId: bigint,
  deadline: bigint,
  chainId: number,
) {
  const nonce = await r.registry.read.nonces([wallet.account.address]);
  return signOptInTyped(wallet, { registry: r.registry.address, chainId, networkId, nonce, deadline });
}

describe("NetworkRegistry: networks and opt-ins", async () => {
  const { viem } = await network.create();

  it("registers networks permissionlessly and rejects bad configurations", async () => {
    const r = await deployRestaking(viem);
    const { middleware, dave } = r.accounts;
    const base = {
      middleware: middleware.account.address,
      slasher: r.verifier.address,
      slashReceiver: zeroAddress,
      kind: SlashKind.Objective as number,
      vetoWindow: 0,
      maxStakePerOperator: parseEther("100"),
      maxTotalStake: parseEther("1000"),
      rewardTokens: [zeroAddress] as Address[],
      metadataURI: "ipfs://x",
    };
    await viem.assertions.emit(
      r.registry.write.registerNetwork([base], { account: dave.account }),
      r.registry,
      "NetworkRegistered",
    );
    assert.equal(await r.registry.read.networkCount(), 1n);
    const [config, admin] = await r.registry.read.getNetwork([1n]);
    assert.equal(admin, getAddress(dave.account.address));
    assert.equal(config.metadataURI, "ipfs://x");
    type ConfigError =
      | "ZeroAddress"
      | "ZeroStakeLimit"
      | "InvalidVetoWindow"
      | "TooManyRewardTokens"
      | "MetadataTooLong";
    const bad = async (override: Partial<typeof base>, error: ConfigError) =>
      viem.assertions.revertWithCustomError(
        r.registry.write.registerNetwork([{ ...base, ...override }]),
        r.registry,
        error,
      );
    await bad({ middleware: zeroAddress }, "ZeroAddress");
    await bad({ slasher: zeroAddress }, "ZeroAddress");
    await bad({ maxStakePerOperator: 0n }, "ZeroStakeLimit");
    await bad({ kind: SlashKind.Veto, vetoWindow: 0 }, "InvalidVetoWindow");
    await bad({ kind: SlashKind.Veto, vetoWindow: Number(EPOCH) }, "InvalidVetoWindow");
    await bad({ rewardTokens: Array(5).fill(zeroAddress) }, "TooManyRewardTokens");
    await bad({ metadataURI: "x".repeat(513) }, "MetadataTooLong");
    await viem.assertions.revertWithCustomErrorWithArgs(
      r.registry.read.getNetwork([9n]),
      r.registry,
      "UnknownNetwork",
      [9n],
    );
  });

  it("opts in at once, out with a delay, and back in only an epoch after the opt-out took effect", async () => {
    const r = await deployRestaking(viem);
    const { opA, alice } = r.accounts;
    const net = await r.registerNetwork();
    await viem.assertions.revertWithCustomErrorWithArgs(
      r.registry.write.optIn([net], { account: opA.account }),
      r.registry,
      "NotOperator",
      [getAddress(opA.account.address)],
    );
    await r.registerOperator(opA);
    await viem.assertions.revertWithCustomErrorWithArgs(
      r.registry.write.optIn([99n], { account: opA.account }),
      r.registry,
      "UnknownNetwork",
      [99n],
    );
    await viem.assertions.emitWithArgs(r.registry.write.optIn([net], { account: opA.account }), r.registry, "OptedIn", [
      net,
      getAddress(opA.account.address),
    ]);
    const joinedAt = await r.now();
    assert.equal(await r.registry.read.isOptedIn([net, opA.account.address, joinedAt]), true);
    assert.equal(await r.registry.read.isOptedIn([net, opA.account.address, joinedAt - 1n]), false);
    await viem.assertions.revertWithCustomError(
      r.registry.write.optIn([net], { account: opA.account }),
      r.registry,
      "AlreadyOptedIn",
    );
    await viem.assertions.revertWithCustomError(
      r.registry.write.optOut([net], { account: alice.account }),
      r.registry,
      "NotOptedIn",
    );
    const effectiveAt = await r.vault.read.epochStart([(await r.vault.read.currentEpoch()) + 2n]);
    await viem.assertions.emitWithArgs(
      r.registry.write.optOut([net], { account: opA.account }),
      r.registry,
      "OptedOut",
      [net, getAddress(opA.account.address), effectiveAt],
    );
    await viem.assertions.revertWithCustomError(
      r.registry.write.optOut([net], { account: opA.account }),
      r.registry,
      "NotOptedIn",
    );
    assert.equal(await r.registry.read.isOptedIn([net, opA.account.address, effectiveAt - 1n]), true);
    assert.equal(await r.registry.read.isOptedIn([net, opA.account.address, effectiveAt]), false);
    await viem.assertions.revertWithCustomErrorWithArgs(
      r.registry.write.optIn([net], { account: opA.account }),
      r.registry,
      "OptInTooEarly",
      [net, getAddress(opA.account.address), effectiveAt + EPOCH],
    );
    await r.testClient.setNextBlockTimestamp({ timestamp: effectiveAt + EPOCH });
    await r.registry.write.optIn([net], { account: opA.account });
    assert.equal((await r.registry.read.optInOf([net, opA.account.address])).optedOutAt, 0);
  });

  it("accepts an EIP-712 opt-in once, and not a replay, an expired one or one signed for another chain", async () => {
    const r = await deployRestaking(viem);
    const { opA, dave } = r.accounts;
    await r.registerOperator(opA);
    const net = await r.registerNetwork();
    const chainId = await r.publicClient.getChainId();
    const deadline = (await r.now()) + 3_600n;
    const otherChain = await signOptIn(r, opA, net, deadline, chainId + 1);
    await viem.assertions.revertWithCustomErrorWithArgs(
      r.registry.write.optInWithSignature([opA.account.address, net, deadline, otherChain], { account: dave.account }),
      r.registry,
      "InvalidSignature",
      [getAddress(opA.account.address)],
    );
    const good = await signOptIn(r, opA, net, deadline, chainId);
    await viem.assertions.emit(
      r.registry.write.optInWithSignature([opA.account.address, net, deadline, good], { account: dave.account }),
      r.registry,
      "OptedIn",
    );
    assert.equal(await r.registry.read.nonces([opA.account.address]), 1n);
    await viem.assertions.revertWithCustomError(
      r.registry.write.optInWithSignature([opA.account.address, net, deadline, good], { account: dave.account }),
      r.registry,
      "InvalidSignature",
    );
    const net2 = await r.registerNetwork();
    const expired = await signOptIn(r, opA, net2, (await r.now()) - 1n, chainId);
    await viem.assertions.revertWithCustomError(
      r.registry.write.optInWithSignature([opA.account.address, net2, (await r.now()) - 1n, expired], {
        account: dave.account,
      }),
      r.registry,
      "SignatureExpired",
    );
  });

  it("stakeAt is the vault's checkpointed stake, capped per operator, while opted in", async () => {
    const r = await deployRestaking(viem);
    const { opA, alice } = r.accounts;
    await r.registerOperator(opA);
    await r.fund(alice);
    const net = await r.registerNetwork({ maxStakePerOperator: parseEther("5") });
    const uncapped = await r.registerNetwork();
    await r.registry.write.optIn([net], { account: opA.account });
    await r.depositActive(alice, opA.account.address, parseEther("8"));
    const t = await r.now();
    assert.equal(await r.registry.read.stakeAt([net, opA.account.address, t]), parseEther("5"));
    assert.equal(await r.registry.read.stakeAt([uncapped, opA.account.address, t]), 0n);
    assert.equal(await r.vault.read.stakeAt([opA.account.address, t]), parseEther("8"));
  });
});

describe("NetworkRegistry: slashing", async () => {
  const { viem } = await network.create();

  /** Operator A opted in to an objective and a veto network, with 10 own and 30 delegated shares active. */
  async function setup() {
    const r = await deployRestaking(viem);
    const { opA, alice } = r.accounts;
    await r.registerOperator(opA);
    await r.fund(opA);
    await r.fund(alice);
    const objective = await r.registerNetwork();
    const veto = await r.registerNetwork({
      kind: SlashKind.Veto,
      vetoWindow: 3_600,
      slashReceiver: r.accounts.dave.account.address,
    });
    await r.registry.write.optIn([objective], { account: opA.account });
    await r.registry.write.optIn([veto], { account: opA.account });
    await r.vault.write.deposit([opA.account.address, parseEther("10")], { account: opA.account });
    await r.depositActive(alice, opA.account.address, parseEther("30"));
    return { r, objective, veto, op: opA.account.address };
  }

  it("objective: takes the operator's own stake first, then delegators pro-rata, and burns it", async () => {
    const { r, objective, op } = await setup();
    const { alice } = r.accounts;
    const capture = (await r.now()) - 1n;
    const burnt = await r.pool.read.sharesOf(["0x000000000000000000000000000000000000dEaD"]);
    await viem.assertions.emitWithArgs(
      r.registry.write.slashWithEvidence([objective, op, Number(capture), evidence(true, parseEther("16"))]),
      r.registry,
      "SlashExecuted",
      [0n, objective, getAddress(op), capture, parseEther("16")],
    );
    assert.deepEqual(await r.vault.read.positionOf([op, op]), [0n, 0n, 0n]);
    const [aliceActive] = await r.vault.read.positionOf([alice.account.address, op]);
    assert.equal(aliceActive, parseEther("24"));
    assert.equal(await r.vault.read.operatorStake([op]), parseEther("24"));
    assert.equal(
      (await r.pool.read.sharesOf(["0x000000000000000000000000000000000000dEaD"])) - burnt,
      parseEther("16"),
    );
    assert.equal(await r.vault.read.slashedSince([op, capture]), parseEther("16"));
    assert.equal(await r.registry.read.slashableStake([objective, op, capture]), parseEther("24"));
  });

  it("a deep slash rebases the pool (PoolRebased): positions keep their value and later deposits do not overflow", async () => {
    const { r, objective, op } = await setup();
    const { alice, bob } = r.accounts;
    const capture = (await r.now()) - 1n;
    // Takes the operator's 10 and all but 1,000 wei of alice's 30: 3e16 units per share, rebased by that divisor.
    await viem.assertions.emitWithArgs(
      r.registry.write.slashWithEvidence([objective, op, Number(capture), evidence(true, parseEther("40") - 1_000n)]),
      r.vault,
      "PoolRebased",
      [getAddress(op), 1n, parseEther("30") / 1_000n],
    );
    assert.equal((await r.vault.read.getOperator([op])).generation, 1);
    assert.equal((await r.vault.read.positionOf([alice.account.address, op]))[0], 1_000n);
    // Before the rebase, this deposit's activation overflowed (3e16 units per share × 50 ether > 2^96).
    await r.fund(bob);
    await r.depositActive(bob, op, parseEther("50"));
    assert.equal((await r.vault.read.positionOf([bob.account.address, op]))[0], parseEther("50"));
    await r.vault.write.undelegate([op, 1_000n], { account: alice.account });
    assert.equal((await r.vault.read.positionOf([alice.account.address, op]))[0], 0n);
    assert.equal(await r.vault.read.operatorStake([op]), parseEther("50"));
  });

  it("objective: bounded by the captured stake, outside the window or without evidence it reverts", async () => {
    const { r, objective, veto, op } = await setup();
    const now = await r.now();
    await viem.assertions.revertWithCustomError(
      r.registry.write.slashWithEvidence([objective, op, Number(now + 5n), evidence(true, 1n)]),
      r.registry,
      "CaptureOutOfWindow",
    );
    await viem.assertions.revertWithCustomError(
      r.registry.write.slashWithEvidence([objective, op, Number(now - EPOCH - 1n), evidence(true, 1n)]),
      r.registry,
      "CaptureOutOfWindow",
    );
    await viem.assertions.revertWithCustomError(
      r.registry.write.slashWithEvidence([objective, op, Number(now - 1n), evidence(false, 1n)]),
      r.verifier,
      "EvidenceRejected",
    );
    await viem.assertions.revertWithCustomError(
      r.registry.write.slashWithEvidence([objective, op, Number(now - 1n), evidence(true, 0n)]),
      r.registry,
      "NothingSlashable",
    );
    await viem.assertions.revertWithCustomError(
      r.registry.write.slashWithEvidence([veto, op, Number(now - 1n), evidence(true, 1n)]),
      r.registry,
      "WrongSlashKind",
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      r.registry.write.slashWithEvidence([7n, op, Number(now - 1n), evidence(true, 1n)]),
      r.registry,
      "UnknownNetwork",
      [7n],
    );
    // Asking for more than the capture saw takes only the captured 40.
    await r.registry.write.slashWithEvidence([objective, op, Number(now - 1n), evidence(true, parseEther("1000"))]);
    assert.equal(await r.vault.read.slashedSince([op, now - 1n]), parseEther("40"));
  });

  it("two networks slashing the same capture together never take more than the stake captured", async () => {
    const { r, objective, op } = await setup();
    const { opA } = r.accounts;
    const second = await r.registerNetwork();
    await r.registry.write.optIn([second], { account: opA.account });
    await r.nextEpoch(); // the second network's membership covers the capture
    const capture = (await r.now()) - 1n;
    await r.registry.write.slashWithEvidence([objective, op, Number(capture), evidence(true, parseEther("30"))]);
    assert.equal(await r.registry.read.slashableStake([second, op, capture]), parseEther("10"));
    await r.registry.write.slashWithEvidence([second, op, Number(capture), evidence(true, parseEther("30"))]);
    assert.equal(await r.vault.read.slashedSince([op, capture]), parseEther("40"));
    await viem.assertions.revertWithCustomError(
      r.registry.write.slashWithEvidence([objective, op, Number(capture), evidence(true, 1n)]),
      r.registry,
      "NothingSlashable",
    );
  });

  it("never touches a deposit made after the capture, and takes unclaimable withdrawals pro-rata", async () => {
    const { r, objective, op } = await setup();
    const { alice, bob } = r.accounts;
    await r.fund(bob);
    const capture = (await r.now()) - 1n;
    await r.vault.write.deposit([op, parseEther("50")], { account: bob.account });
    await r.vault.write.undelegate([op, parseEther("15")], { account: alice.account });
    const epoch = (await r.vault.read.currentEpoch()) + 2n;
    // 40 captured: 10 own first, then 30 over alice's 15 active + 15 queued.
    await r.registry.write.slashWithEvidence([objective, op, Number(capture), evidence(true, parseEther("25"))]);
    assert.deepEqual(await r.vault.read.positionOf([bob.account.address, op]), [0n, parseEther("50"), epoch]);
    const [aliceActive] = await r.vault.read.positionOf([alice.account.address, op]);
    assert.equal(aliceActive, parseEther("7.5"));
    assert.equal(await r.vault.read.withdrawalOf([alice.account.address, op, epoch]), parseEther("7.5"));
  });

  it("veto: the middleware requests, the resolver vetoes only within the window, anyone executes after it", async () => {
    const { r, veto, objective, op } = await setup();
    const { middleware, resolver, dave, alice } = r.accounts;
    const capture = Number((await r.now()) - 1n);
    await viem.assertions.revertWithCustomError(
      r.registry.write.requestSlash([veto, op, capture, parseEther("1")], { account: alice.account }),
      r.registry,
      "Unauthorized",
    );
    await viem.assertions.revertWithCustomError(
      r.registry.write.requestSlash([objective, op, capture, parseEther("1")], { account: middleware.account }),
      r.registry,
      "WrongSlashKind",
    );
    await viem.assertions.revertWithCustomError(
      r.registry.write.requestSlash([veto, op, capture, parseEther("41")], { account: middleware.account }),
      r.registry,
      "NothingSlashable",
    );
    // A capture older than EPOCH − vetoWindow could not execute in time.
    await viem.assertions.revertWithCustomError(
      r.registry.write.requestSlash([veto, op, capture - Number(EPOCH) + 3_600, parseEther("1")], {
        account: middleware.account,
      }),
      r.registry,
      "CaptureOutOfWindow",
    );
    await viem.assertions.emit(
      r.registry.write.requestSlash([veto, op, capture, parseEther("4")], { account: middleware.account }),
      r.registry,
      "SlashRequested",
    );
    await r.registry.write.requestSlash([veto, op, capture, parseEther("6")], { account: middleware.account });
    await viem.assertions.revertWithCustomError(r.registry.write.executeSlash([1n]), r.registry, "VetoWindowOpen");
    await viem.assertions.revertWithCustomError(
      r.registry.write.vetoSlash([1n], { account: alice.account }),
      r.registry,
      "Unauthorized",
    );
    await viem.assertions.emitWithArgs(
      r.registry.write.vetoSlash([1n], { account: resolver.account }),
      r.registry,
      "SlashVetoed",
      [1n],
    );
    await viem.assertions.revertWithCustomError(r.registry.write.executeSlash([1n]), r.registry, "SlashRequestClosed");
    await r.advance(3_600n);
    await viem.assertions.revertWithCustomError(
      r.registry.write.vetoSlash([2n], { account: resolver.account }),
      r.registry,
      "VetoWindowOver",
    );
    const before = await r.pool.read.sharesOf([dave.account.address]);
    await r.registry.write.executeSlash([2n], { account: alice.account });
    assert.equal((await r.pool.read.sharesOf([dave.account.address])) - before, parseEther("6"));
    assert.equal((await r.registry.read.getSlashRequest([2n])).executed, true);
    await viem.assertions.revertWithCustomError(r.registry.write.executeSlash([2n]), r.registry, "SlashRequestClosed");
    await viem.assertions.revertWithCustomErrorWithArgs(
      r.registry.write.executeSlash([3n]),
      r.registry,
      "UnknownSlashRequest",
      [3n],
    );
    await viem.assertions.revertWithCustomError(
      r.registry.read.getSlashRequest([0n]),
      r.registry,
      "UnknownSlashRequest",
    );
  });

  it("veto: a request not executed before capture + epoch expires", async () => {
    const { r, veto, op } = await setup();
    const { middleware } = r.accounts;
    const capture = (await r.now()) - 1n;
    await r.registry.write.requestSlash([veto, op, Number(capture), parseEther("1")], { account: middleware.account });
    await r.testClient.setNextBlockTimestamp({ timestamp: capture + EPOCH + 1n });
    await viem.assertions.revertWithCustomErrorWithArgs(
      r.registry.write.executeSlash([1n]),
      r.registry,
      "SlashWindowClosed",
      [capture + EPOCH],
    );
  });
});
