import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { getAddress, type Hex, maxUint256, parseEther, zeroAddress } from "viem";
import {
  certifiedRootEvidence,
  encodeDoubleSign as doubleSignEvidence,
  signedRootEvidence,
} from "../../module/evidence.ts";
import { deployFinality, networkKey, REWARD_PER_EPOCH, signG2 } from "./fixture.ts";

const E = parseEther;

describe("FinalityRelay: keys, certificates, rewards, slashing", async () => {
  const { viem } = await network.create();

  describe("key registration", () => {
    it("registers an opted-in operator's key once, with a proof of possession bound to the operator", async () => {
      const f = await deployFinality(viem, [E("10")]);
      const [m] = f.members;
      if (!m) throw new Error("member");
      assert.equal(await f.relay.read.operatorCount(), 1n);
      const [operator, pubkey] = await f.relay.read.operatorAt([0n]);
      assert.equal(operator, getAddress(m.address));
      assert.equal(pubkey, m.pubkey);
      await viem.assertions.revertWithCustomErrorWithArgs(f.registerKey(m), f.relay, "KeyAlreadyRegistered", [
        getAddress(m.address),
      ]);
    });

    it("rejects a caller that is not opted in, a proof made for another operator and a key already in use", async () => {
      const f = await deployFinality(viem, [E("10"), E("10")]);
      const [a, b] = f.members;
      if (!a || !b) throw new Error("members");
      const { outsider } = f.accounts;
      const k = networkKey(99);
      const popOutsider = await f.relay.read.popMessage([outsider.account.address, k.pubkey]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.relay.write.registerKey([k.pubkey, k.point, signG2(k.sk, popOutsider)], { account: outsider.account }),
        f.relay,
        "NotOptedIn",
        [getAddress(outsider.account.address)],
      );
      // b opts out and back is impossible in one epoch; use a fresh operator path: a's key copied by b.
      await f.vault.write.registerOperator([0n], { account: outsider.account });
      await f.registry.write.optIn([f.networkId], { account: outsider.account });
      // A proof of possession signed for `a` does not register for the outsider (rogue-key and key-copy defence).
      const popA = await f.relay.read.popMessage([a.address, k.pubkey]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.relay.write.registerKey([k.pubkey, k.point, signG2(k.sk, popA)], { account: outsider.account }),
        f.relay,
        "InvalidProofOfPossession",
        [getAddress(outsider.account.address)],
      );
      const popA2 = await f.relay.read.popMessage([outsider.account.address, a.pubkey]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.relay.write.registerKey([a.pubkey, a.point, signG2(a.sk, popA2)], { account: outsider.account }),
        f.relay,
        "KeyInUse",
        [getAddress(a.address)],
      );
    });
  });

  describe("certificates", () => {
    it("certifies with >= 2/3 of the stake, stores the checkpoint and serves the consumer", async () => {
      const f = await deployFinality(viem, [E("10"), E("10"), E("10")]);
      const s = await f.statement();
      const args = await f.certificate(s, [0, 2]);
      await viem.assertions.emit(f.relay.write.submitCertificate(args), f.relay, "CheckpointCertified");
      const c = await f.relay.read.certificateOf([s.epoch]);
      assert.equal(c.checkpointRoot, s.checkpointRoot);
      assert.equal(c.executionBlockHash, s.executionBlockHash);
      assert.equal(c.signers, 0b101n);
      const [latest] = await f.relay.read.latestCertificate();
      assert.equal(latest, s.epoch);
      await viem.assertions.emitWithArgs(
        f.consumer.write.accept([`0x${"01".repeat(32)}`, s.executionBlockHash]),
        f.consumer,
        "MessageAccepted",
        [`0x${"01".repeat(32)}`, s.executionBlockHash, s.epoch],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.consumer.write.accept([`0x${"02".repeat(32)}`, `0x${"03".repeat(32)}`]),
        f.relay,
        "InvalidEvidence",
        ["block not certified"],
      );
    });

    it("refuses signers below two thirds of the stake", async () => {
      const f = await deployFinality(viem, [E("10"), E("10"), E("11")]);
      const s = await f.statement();
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.relay.write.submitCertificate(await f.certificate(s, [0, 1])),
        f.relay,
        "InsufficientStake",
        [E("20"), E("31")],
      );
    });

    it("refuses a duplicated signer, unsorted signers, an unknown index and a key that is not the signer's", async () => {
      const f = await deployFinality(viem, [E("10"), E("10"), E("10")]);
      const s = await f.statement();
      const [st, , keys, sig] = await f.certificate(s, [0, 1]);
      const m0 = f.members[0];
      if (!m0) throw new Error("member");
      // Signer 0 twice with its own key twice: the aggregate of sk0 twice would verify — the list must not count it.
      const dupKeys = `0x${m0.point.slice(2)}${m0.point.slice(2)}${m0.point.slice(2)}` as Hex;
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.relay.write.submitCertificate([st, [0n, 0n, 1n], dupKeys, sig]),
        f.relay,
        "DuplicateSigner",
        [0n],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.relay.write.submitCertificate([st, [1n, 0n], `0x${keys.slice(258)}${keys.slice(2, 258)}`, sig]),
        f.relay,
        "SignersNotAscending",
        [1n, 0n],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.relay.write.submitCertificate([st, [0n, 7n], keys, sig]),
        f.relay,
        "UnknownSigner",
        [7n],
      );
      const rogue = networkKey(77);
      const wrongKeys = `0x${m0.point.slice(2)}${rogue.point.slice(2)}` as Hex;
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.relay.write.submitCertificate([st, [0n, 1n], wrongKeys, sig]),
        f.relay,
        "SignerKeyMismatch",
        [getAddress(f.members[1]?.address ?? zeroAddress)],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.relay.write.submitCertificate([st, [0n, 1n], keys.slice(0, -2) as Hex, sig]),
        f.relay,
        "SignerKeysLength",
        [255n, 256n],
      );
    });

    it("refuses an aggregate over another statement, an unfinalizable epoch and a replay", async () => {
      const f = await deployFinality(viem, [E("10"), E("10"), E("10")]);
      const s = await f.statement();
      const [, signers, keys, sig] = await f.certificate(s, [0, 1, 2]);
      const forged = { ...s, checkpointRoot: `0x${"ee".repeat(32)}` as Hex };
      await viem.assertions.revertWithCustomError(
        f.relay.write.submitCertificate([forged, signers, keys, sig]),
        f.relay,
        "InvalidAggregateSignature",
      );
      const future = await f.statement(s.epoch + 1n);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.relay.write.submitCertificate(await f.certificate(future, [0, 1, 2])),
        f.relay,
        "EpochNotFinalizable",
        [s.epoch + 1n, s.epoch],
      );
      await f.relay.write.submitCertificate([s, signers, keys, sig]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.relay.write.submitCertificate([s, signers, keys, sig]),
        f.relay,
        "EpochAlreadyCertified",
        [s.epoch, s.epoch],
      );
      const older = await f.statement(s.epoch - 1n);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.relay.write.submitCertificate(await f.certificate(older, [0, 1, 2])),
        f.relay,
        "EpochAlreadyCertified",
        [s.epoch - 1n, s.epoch],
      );
    });
  });

  describe("rewards", () => {
    it("splits the epoch reward among signers by stake, to the wei, then by the vault: commission and delegators", async () => {
      // Stakes 10, 20 and 7 divETH; signers 1 and 2 (27 of 37 > 2/3).
      const f = await deployFinality(viem, [E("10"), E("20"), E("7")]);
      const [, b, c] = f.members;
      if (!b || !c) throw new Error("members");
      const s = await f.statement();
      const vaultEpoch = await f.vault.read.currentEpoch();
      await f.relay.write.submitCertificate(await f.certificate(s, [1, 2]));
      const shareC = (REWARD_PER_EPOCH * E("7")) / E("27");
      const shareB = REWARD_PER_EPOCH - shareC; // the rounding remainder goes to the first signer
      assert.equal(await f.relay.read.owedRewards([vaultEpoch, b.address]), shareB);
      assert.equal(await f.relay.read.owedRewards([vaultEpoch, c.address]), shareC);
      assert.equal(shareB + shareC, REWARD_PER_EPOCH);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.relay.write.payRewards([vaultEpoch]),
        f.vault,
        "EpochNotFinished",
        [vaultEpoch, vaultEpoch],
      );
      await f.nextVaultEpoch();
      await viem.assertions.emitWithArgs(f.relay.write.payRewards([vaultEpoch]), f.relay, "RewardsPaid", [
        vaultEpoch,
        REWARD_PER_EPOCH,
        2n,
      ]);
      // Operators' own stake only (no delegators): 10% commission, the rest to the operator as its own delegator.
      const commissionB = shareB / 10n;
      assert.equal(await f.vault.read.operatorRewardsOf([b.address, zeroAddress]), commissionB);
      const asDelegator = await f.vault.read.rewardsOf([b.address, b.address, zeroAddress]);
      assert.ok(shareB - commissionB - asDelegator <= 1n, "at most the vault's accumulator rounding");
      assert.equal(await f.relay.read.owedRewards([vaultEpoch, b.address]), 0n);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.relay.write.payRewards([vaultEpoch]),
        f.relay,
        "NothingToPay",
        [vaultEpoch],
      );
    });

    it("pays an operator's delegators pro-rata to the wei, keeps its commission, and accounts the rounding dust", async () => {
      // Operator B self-stakes 20 divETH, two delegators restake 3 and 5 with it; C self-stakes 7 (35 of 45 sign).
      const f = await deployFinality(viem, [E("10"), E("20"), E("7")]);
      const [, b, c] = f.members;
      if (!b || !c) throw new Error("members");
      const { delegator, outsider } = f.accounts;
      const delegations = [
        { wallet: delegator, shares: E("3") },
        { wallet: outsider, shares: E("5") },
      ];
      for (const d of delegations) {
        const account = d.wallet.account;
        await f.pool.write.stake({ account, value: d.shares + E("1") });
        await f.pool.write.approve([f.vault.address, maxUint256], { account });
        await f.vault.write.deposit([b.address, d.shares], { account });
      }
      await f.nextVaultEpoch();
      await f.nextVaultEpoch();
      const s = await f.statement();
      const vaultEpoch = await f.vault.read.currentEpoch();
      await f.relay.write.submitCertificate(await f.certificate(s, [1, 2]));
      const stakeB = E("28");
      const shareC = (REWARD_PER_EPOCH * E("7")) / (stakeB + E("7"));
      const shareB = REWARD_PER_EPOCH - shareC;
      assert.equal(await f.relay.read.owedRewards([vaultEpoch, b.address]), shareB);
      await f.nextVaultEpoch();
      await f.relay.write.payRewards([vaultEpoch]);

      // The vault's arithmetic, recomputed: commission 10% rounded down, the rest into B's accumulator (units are
      // shares in a fresh pool, scale 1e27), each restaker's units × accumulator rounded down.
      const commission = (shareB * 1_000n) / 10_000n;
      const perUnit = ((shareB - commission) * 10n ** 27n) / stakeB;
      const restakers = [
        { address: b.address, shares: E("20") },
        ...delegations.map((d) => ({ address: d.wallet.account.address, shares: d.shares })),
      ];
      assert.equal(await f.vault.read.operatorRewardsOf([b.address, zeroAddress]), commission);
      let delegated = 0n;
      for (const r of restakers) {
        const expected = (r.shares * perUnit) / 10n ** 27n;
        assert.equal(await f.vault.read.rewardsOf([r.address, b.address, zeroAddress]), expected, r.address);
        delegated += expected;
      }
      const dust = shareB - commission - delegated;
      assert.ok(dust >= 0n && dust < BigInt(restakers.length), `rounding dust ${dust} wei stays in the vault`);

      // Everyone claims: the vault pays out exactly the share minus the dust, and the dust is all it keeps of it.
      const vaultBefore = await f.publicClient.getBalance({ address: f.vault.address });
      await f.vault.write.claimOperatorRewards([zeroAddress, b.address], { account: b.wallet.account });
      for (const d of delegations) {
        const account = d.wallet.account;
        await f.vault.write.claimRewards([b.address, zeroAddress, account.address], { account });
      }
      await f.vault.write.claimRewards([b.address, zeroAddress, b.address], { account: b.wallet.account });
      const paidOut = vaultBefore - (await f.publicClient.getBalance({ address: f.vault.address }));
      const shareCPaid = await f.vault.read.operatorRewardsOf([c.address, zeroAddress]);
      assert.equal(paidOut, shareB - dust, "B's share left the vault to the wei, less the dust");
      assert.ok(shareCPaid > 0n, "C's commission is still held for C");
    });

    it("certifies without reward once the relay's unreserved balance is spent", async () => {
      const f = await deployFinality(viem, [E("10")], { fund: REWARD_PER_EPOCH });
      const s1 = await f.statement();
      await f.relay.write.submitCertificate(await f.certificate({ ...s1, epoch: s1.epoch - 1n }, [0]));
      const s2 = await f.statement();
      const hash = await f.relay.write.submitCertificate(await f.certificate(s2, [0]));
      const receipt = await f.publicClient.waitForTransactionReceipt({ hash });
      const { parseEventLogs } = await import("viem");
      const [log] = parseEventLogs({ abi: f.relay.abi, logs: receipt.logs, eventName: "CheckpointCertified" });
      assert.equal(log?.args.reward, 0n);
    });
  });

  describe("slashing", () => {
    async function captured(f: Awaited<ReturnType<typeof deployFinality>>) {
      return Number((await f.now()) - 1n);
    }

    it("slashes an operator at once on two signatures over different statements for one epoch", async () => {
      const f = await deployFinality(viem, [E("10"), E("10"), E("10")]);
      const [m] = f.members;
      if (!m) throw new Error("member");
      const a = await f.statement();
      const b = { ...a, checkpointRoot: `0x${"cd".repeat(32)}` as Hex };
      const sigA = signG2(m.sk, await f.relay.read.statementDigest([a]));
      const sigB = signG2(m.sk, await f.relay.read.statementDigest([b]));
      const evidence = doubleSignEvidence(m.point, a, sigA, b, sigB);
      const before = await f.vault.read.operatorStake([m.address]);
      assert.equal(before, E("10"));
      const capture = await captured(f);
      await viem.assertions.emitWithArgs(
        f.registry.write.slashWithEvidence([f.networkId, m.address, capture, evidence]),
        f.relay,
        "OffenceProven",
        [getAddress(m.address), a.epoch, 0],
      );
      assert.equal(await f.vault.read.operatorStake([m.address]), 0n);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.registry.write.slashWithEvidence([f.networkId, m.address, await captured(f), evidence]),
        f.relay,
        "AlreadySlashed",
        [getAddress(m.address), a.epoch],
      );
    });

    it("rejects equivocation evidence that is not one: same statement, other epochs, bad signature, other key", async () => {
      const f = await deployFinality(viem, [E("10"), E("10")]);
      const [m, other] = f.members;
      if (!m || !other) throw new Error("members");
      const a = await f.statement();
      const sig = async (sk: typeof m.sk, s: typeof a) => signG2(sk, await f.relay.read.statementDigest([s]));
      const slash = (ev: Hex) => f.registry.write.slashWithEvidence([f.networkId, m.address, 0, ev]);
      const capture = await captured(f);
      const run = (ev: Hex) => f.registry.write.slashWithEvidence([f.networkId, m.address, capture, ev]);
      const b = { ...a, executionBlockHash: `0x${"ab".repeat(32)}` as Hex };
      await viem.assertions.revertWithCustomErrorWithArgs(
        run(doubleSignEvidence(m.point, a, await sig(m.sk, a), a, await sig(m.sk, a))),
        f.relay,
        "InvalidEvidence",
        ["same statement"],
      );
      const c = { ...b, epoch: a.epoch - 1n };
      await viem.assertions.revertWithCustomErrorWithArgs(
        run(doubleSignEvidence(m.point, a, await sig(m.sk, a), c, await sig(m.sk, c))),
        f.relay,
        "InvalidEvidence",
        ["epochs differ"],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        run(doubleSignEvidence(m.point, a, await sig(m.sk, a), b, await sig(other.sk, b))),
        f.relay,
        "InvalidEvidence",
        ["bad signature"],
      );
      await viem.assertions.revertWithCustomErrorWithArgs(
        run(doubleSignEvidence(other.point, a, await sig(other.sk, a), b, await sig(other.sk, b))),
        f.relay,
        "InvalidEvidence",
        ["not the operator's key"],
      );
      await viem.assertions.revertWithCustomError(slash("0x"), f.registry, "CaptureOutOfWindow");
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.relay.write.verifySlash([f.networkId, m.address, capture, "0x"]),
        f.relay,
        "OnlyRegistry",
        [getAddress(f.accounts.deployer.account.address)],
      );
    });

    it("slashes the signer of one statement whose root contradicts the EIP-4788 root, once", async () => {
      const f = await deployFinality(viem, [E("10"), E("10"), E("10")]);
      const [m, other] = f.members;
      if (!m || !other) throw new Error("members");
      const s = await f.statement();
      const sig = signG2(m.sk, await f.relay.read.statementDigest([s]));
      const evidence = signedRootEvidence(m.point, s, sig);
      const slash = async (operator: Hex, ev: Hex) =>
        f.registry.write.slashWithEvidence([f.networkId, operator, await captured(f), ev]);
      // The slot after the checkpoint slot had no block: nothing to compare with.
      await viem.assertions.revertWithCustomError(slash(m.address, evidence), f.relay, "BeaconRootNotFound");
      await f.setBeaconRoot(s.epoch, s.checkpointRoot);
      await viem.assertions.revertWithCustomErrorWithArgs(slash(m.address, evidence), f.relay, "InvalidEvidence", [
        "root matches EIP-4788",
      ]);
      await f.setBeaconRoot(s.epoch, `0x${"77".repeat(32)}`);
      // The statement signed by m does not slash another operator, nor does another key's signature slash m.
      await viem.assertions.revertWithCustomErrorWithArgs(slash(other.address, evidence), f.relay, "InvalidEvidence", [
        "not the operator's key",
      ]);
      const forged = signedRootEvidence(m.point, s, signG2(other.sk, await f.relay.read.statementDigest([s])));
      await viem.assertions.revertWithCustomErrorWithArgs(slash(m.address, forged), f.relay, "InvalidEvidence", [
        "bad signature",
      ]);
      assert.equal(await f.vault.read.operatorStake([m.address]), E("10"));
      await viem.assertions.emitWithArgs(slash(m.address, evidence), f.relay, "OffenceProven", [
        getAddress(m.address),
        s.epoch,
        2,
      ]);
      assert.equal(await f.vault.read.operatorStake([m.address]), 0n);
      assert.equal(await f.vault.read.operatorStake([other.address]), E("10"));
      await viem.assertions.revertWithCustomErrorWithArgs(slash(m.address, evidence), f.relay, "AlreadySlashed", [
        getAddress(m.address),
        s.epoch,
      ]);
    });

    it("slashes every signer of a certified root that contradicts the EIP-4788 root, and nobody else", async () => {
      const f = await deployFinality(viem, [E("10"), E("10"), E("10")]);
      const [a, b, c] = f.members;
      if (!a || !b || !c) throw new Error("members");
      const s = await f.statement();
      await f.relay.write.submitCertificate(await f.certificate(s, [0, 1]));
      await f.setBeaconRoot(s.epoch, s.checkpointRoot);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.registry.write.slashWithEvidence([f.networkId, a.address, await captured(f), certifiedRootEvidence(s.epoch)]),
        f.relay,
        "InvalidEvidence",
        ["root matches EIP-4788"],
      );
      await f.setBeaconRoot(s.epoch, `0x${"77".repeat(32)}`);
      await f.registry.write.slashWithEvidence([
        f.networkId,
        a.address,
        await captured(f),
        certifiedRootEvidence(s.epoch),
      ]);
      await f.registry.write.slashWithEvidence([
        f.networkId,
        b.address,
        await captured(f),
        certifiedRootEvidence(s.epoch),
      ]);
      await viem.assertions.revertWithCustomErrorWithArgs(
        f.registry.write.slashWithEvidence([f.networkId, c.address, await captured(f), certifiedRootEvidence(s.epoch)]),
        f.relay,
        "InvalidEvidence",
        ["not a signer of that certificate"],
      );
      assert.equal(await f.vault.read.operatorStake([a.address]), 0n);
      assert.equal(await f.vault.read.operatorStake([b.address]), 0n);
      assert.equal(await f.vault.read.operatorStake([c.address]), E("10"));
      // A slashed signer no longer weighs: c alone now holds all of the Network's stake.
      await f.testClient.increaseTime({ seconds: 48 });
      await f.testClient.mine({ blocks: 1 });
      const next = await f.statement(s.epoch + 1n);
      await viem.assertions.emit(
        f.relay.write.submitCertificate(await f.certificate(next, [2])),
        f.relay,
        "CheckpointCertified",
      );
    });
  });
});
