import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { encodeAbiParameters, parseEther, zeroAddress } from "viem";
import { deployOperatorRegistry, nodeIdentity, signerAccount } from "../operators/fixture.ts";

const EPOCH = 86_400n;

describe("SignalStrategy", async () => {
  // The harness (registry + a test entry that records strikes, to eject operators) exceeds the code size limit.
  const { viem } = await network.create({ override: { allowUnlimitedContractSize: true } });

  async function setup(capBps = 10_000n) {
    const s = await deployOperatorRegistry(viem, { harness: true });
    const { registry, pool, wrapper } = s;
    const { alice, bob, carol } = s.accounts;
    const vault = await viem.deployContract("RestakingVault", [pool.address, wrapper.address, EPOCH, 2n * EPOCH]);
    const networks = await viem.deployContract("NetworkRegistry", [vault.address]);
    await vault.write.wireNetworkRegistry([networks.address]);
    const verifier = await viem.deployContract("SlashVerifierDouble");
    const strategy = await viem.deployContract("SignalStrategy", [
      registry.address,
      vault.address,
      networks.address,
      zeroAddress,
      capBps,
      7n * EPOCH,
    ]);
    // Bob bonds 3 ETH, Carol 1 ETH in the Diva registry; Alice is no Diva operator. All three restake.
    const bonds = [
      [bob, parseEther("3")],
      [carol, parseEther("1")],
    ] as const;
    for (const [i, [w, bond]] of bonds.entries()) {
      await registry.write.registerOperator([signerAccount(i + 1).address, nodeIdentity(i + 1), ""], {
        account: w.account,
      });
      await registry.write.bondEther([BigInt(i + 1)], { account: w.account, value: bond });
    }
    for (const w of [alice, bob, carol]) await vault.write.registerOperator([0n], { account: w.account });
    const ops = [alice.account.address, bob.account.address, carol.account.address];
    return { ...s, vault, networks, verifier, strategy, ops };
  }

  it("weighs Diva bonds, ignores non-Diva operators and refuses a zero or >100% cap", async () => {
    const s = await setup();
    const w = await s.strategy.read.weights([zeroAddress, s.ops]);
    assert.equal(w[0], 0n);
    assert.equal(w[1], 7_500n);
    assert.equal(w[2], 2_500n);
    for (const cap of [0n, 10_001n]) {
      await assert.rejects(
        viem.deployContract("SignalStrategy", [
          s.registry.address,
          s.vault.address,
          s.networks.address,
          zeroAddress,
          cap,
          1n,
        ]),
        /InvalidParameter/,
      );
    }
  });

  it("caps concentration, zeroes ejected operators, penalises Network exposure and recent slashes", async () => {
    const s = await setup(6_000n);
    const { bob, carol, admin } = s.accounts;
    let w = await s.strategy.read.weights([zeroAddress, s.ops]);
    assert.deepEqual(w, [0n, 6_000n, 2_500n]);
    // Bob opts into a Network: one more way to be slashed lowers his score by 1/1.1.
    const hash = await s.networks.write.registerNetwork([
      {
        middleware: admin.account.address,
        slasher: s.verifier.address,
        slashReceiver: zeroAddress,
        kind: 0,
        vetoWindow: 0,
        maxStakePerOperator: parseEther("1000"),
        maxTotalStake: parseEther("1000"),
        rewardTokens: [],
        metadataURI: "n",
      },
    ]);
    await s.publicClient.waitForTransactionReceipt({ hash });
    await s.networks.write.optIn([1n], { account: bob.account });
    const exposed = await s.strategy.read.score([bob.account.address]);
    const clean = await s.strategy.read.score([carol.account.address]);
    assert.equal(exposed, ((parseEther("3") / 10n ** 16n) * 10_000n) / 11_000n);
    assert.equal(clean, parseEther("1") / 10n ** 16n);
    // Bob is slashed: his score drops to a quarter for SLASH_MEMORY.
    await s.pool.write.stake({ account: bob.account, value: parseEther("5") });
    await s.pool.write.approve([s.vault.address, parseEther("5")], { account: bob.account });
    await s.vault.write.deposit([bob.account.address, parseEther("2")], { account: bob.account });
    await s.testClient.increaseTime({ seconds: Number(3n * EPOCH) });
    await s.testClient.mine({ blocks: 1 });
    const capture = (await s.publicClient.getBlock()).timestamp - 1n;
    await s.networks.write.slashWithEvidence([
      1n,
      bob.account.address,
      Number(capture),
      encodeAbiParameters([{ type: "bool" }, { type: "uint256" }], [true, parseEther("1")]),
    ]);
    assert.equal(await s.strategy.read.score([bob.account.address]), exposed / 4n);
    // Carol is ejected: weight zero.
    await s.ejectByStrikes(2n);
    w = await s.strategy.read.weights([zeroAddress, s.ops]);
    assert.deepEqual(w, [0n, 6_000n, 0n]);
  });
});
