import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { hashDomain, maxUint256, parseEther, zeroAddress } from "viem";
import { BOOTSTRAP_DEPOSIT, deployDiva } from "../../helpers/fixture.ts";
import { signPermit } from "../../helpers/permit.ts";

describe("divETH (StakingPool token)", async () => {
  const { viem } = await network.create();

  /** Alice 10 ETH, bob 5 ETH, then 1 validator earning 0.03 ETH so the rate is not 1. */
  async function setup() {
    const diva = await deployDiva(viem);
    const { pool, accounts } = diva;
    await pool.write.stake({ account: accounts.alice.account, value: parseEther("30") });
    await pool.write.stake({ account: accounts.bob.account, value: parseEther("5") });
    await diva.depositValidator();
    await diva.report(1n, parseEther("32.03"));
    return diva;
  }

  it("has ERC-20 metadata and totalSupply equal to the total pooled ether", async () => {
    const { pool } = await setup();
    assert.equal(await pool.read.name(), "Diva Staked Ether");
    assert.equal(await pool.read.symbol(), "divETH");
    assert.equal(await pool.read.decimals(), 18);
    assert.equal(await pool.read.totalSupply(), await pool.read.getTotalPooledEther());
    assert.equal(await pool.read.getTotalPooledEther(), BOOTSTRAP_DEPOSIT + parseEther("35.03"));
  });

  it("derives balances from shares, rounding down both conversions", async () => {
    const { pool, accounts } = await setup();
    const total = await pool.read.getTotalPooledEther();
    const shares = await pool.read.getTotalShares();
    const aliceShares = await pool.read.sharesOf([accounts.alice.account.address]);
    assert.equal(await pool.read.balanceOf([accounts.alice.account.address]), (aliceShares * total) / shares);
    assert.equal(await pool.read.getPooledEthByShares([7n]), (7n * total) / shares);
    assert.equal(await pool.read.getSharesByPooledEth([parseEther("1")]), (parseEther("1") * shares) / total);
    // The deployment shares are locked at 0xdead.
    assert.equal(await pool.read.sharesOf(["0x000000000000000000000000000000000000dEaD"]), BOOTSTRAP_DEPOSIT);
  });

  it("transfer moves shares and emits Transfer (amount) and TransferShares (shares)", async () => {
    const { pool, accounts } = await setup();
    const { alice, bob } = accounts;
    const amount = parseEther("1");
    const shares = await pool.read.getSharesByPooledEth([amount]);
    const hash = await pool.write.transfer([bob.account.address, amount], { account: alice.account });
    await viem.assertions.emitWithArgs(Promise.resolve(hash), pool, "TransferShares", [
      alice.account.address,
      bob.account.address,
      shares,
    ]);
    await viem.assertions.emitWithArgs(Promise.resolve(hash), pool, "Transfer", [
      alice.account.address,
      bob.account.address,
      amount,
    ]);
  });

  it("transfer rejects the zero address, the token itself and balances too small", async () => {
    const { pool, accounts } = await setup();
    const { alice, carol } = accounts;
    await viem.assertions.revertWithCustomErrorWithArgs(
      pool.write.transfer([zeroAddress, 1n], { account: alice.account }),
      pool,
      "InvalidRecipient",
      [zeroAddress],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      pool.write.transfer([pool.address, 1n], { account: alice.account }),
      pool,
      "InvalidRecipient",
      [pool.address],
    );
    const need = await pool.read.getSharesByPooledEth([parseEther("1")]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      pool.write.transfer([alice.account.address, parseEther("1")], { account: carol.account }),
      pool,
      "InsufficientShares",
      [carol.account.address, 0n, need],
    );
  });

  it("transferFrom spends the allowance in ether and keeps an infinite allowance", async () => {
    const { pool, accounts } = await setup();
    const { alice, bob, carol } = accounts;
    await pool.write.approve([bob.account.address, parseEther("2")], { account: alice.account });
    await pool.write.transferFrom([alice.account.address, carol.account.address, parseEther("1.5")], {
      account: bob.account,
    });
    assert.equal(await pool.read.allowance([alice.account.address, bob.account.address]), parseEther("0.5"));
    await viem.assertions.revertWithCustomErrorWithArgs(
      pool.write.transferFrom([alice.account.address, carol.account.address, parseEther("1")], {
        account: bob.account,
      }),
      pool,
      "InsufficientAllowance",
      [alice.account.address, bob.account.address, parseEther("0.5"), parseEther("1")],
    );
    await pool.write.approve([bob.account.address, maxUint256], { account: alice.account });
    await pool.write.transferFrom([alice.account.address, carol.account.address, parseEther("1")], {
      account: bob.account,
    });
    assert.equal(await pool.read.allowance([alice.account.address, bob.account.address]), maxUint256);
  });

  it("transferShares moves exact shares and returns their value; rejects too many shares", async () => {
    const { pool, accounts } = await setup();
    const { alice, bob } = accounts;
    const before = await pool.read.sharesOf([bob.account.address]);
    const shares = 12_345_678_901n;
    const { result } = await pool.simulate.transferShares([bob.account.address, shares], {
      account: alice.account.address,
    });
    assert.equal(result, await pool.read.getPooledEthByShares([shares]));
    await pool.write.transferShares([bob.account.address, shares], { account: alice.account });
    assert.equal(await pool.read.sharesOf([bob.account.address]), before + shares);
    const have = await pool.read.sharesOf([alice.account.address]);
    await viem.assertions.revertWithCustomErrorWithArgs(
      pool.write.transferShares([bob.account.address, have + 1n], { account: alice.account }),
      pool,
      "InsufficientShares",
      [alice.account.address, have, have + 1n],
    );
  });

  it("transferSharesFrom charges the allowance the shares' value rounded up", async () => {
    const { pool, accounts } = await setup();
    const { alice, bob, carol } = accounts;
    const shares = 1_000_000_007n;
    const total = await pool.read.getTotalPooledEther();
    const totalShares = await pool.read.getTotalShares();
    const valueUp = (shares * total + totalShares - 1n) / totalShares;
    await pool.write.approve([bob.account.address, valueUp - 1n], { account: alice.account });
    await viem.assertions.revertWithCustomErrorWithArgs(
      pool.write.transferSharesFrom([alice.account.address, carol.account.address, shares], { account: bob.account }),
      pool,
      "InsufficientAllowance",
      [alice.account.address, bob.account.address, valueUp - 1n, valueUp],
    );
    await pool.write.approve([bob.account.address, valueUp], { account: alice.account });
    await pool.write.transferSharesFrom([alice.account.address, carol.account.address, shares], {
      account: bob.account,
    });
    assert.equal(await pool.read.sharesOf([carol.account.address]), shares);
    assert.equal(await pool.read.allowance([alice.account.address, bob.account.address]), 0n);
  });

  it("approve emits Approval and rejects the zero spender", async () => {
    const { pool, accounts } = await setup();
    const { alice, bob } = accounts;
    await viem.assertions.emitWithArgs(
      pool.write.approve([bob.account.address, 5n], { account: alice.account }),
      pool,
      "Approval",
      [alice.account.address, bob.account.address, 5n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      pool.write.approve([zeroAddress, 5n], { account: alice.account }),
      pool,
      "InvalidApproval",
      [alice.account.address, zeroAddress],
    );
  });

  it("permit sets an allowance from an EIP-712 signature, once", async () => {
    const { pool, accounts, publicClient } = await setup();
    const { alice, bob } = accounts;
    const chainId = await publicClient.getChainId();
    const domain = { address: pool.address, name: "Diva Staked Ether", version: "1", chainId };
    assert.equal(
      await pool.read.DOMAIN_SEPARATOR(),
      hashDomain({
        domain: {
          name: domain.name,
          version: domain.version,
          chainId: BigInt(chainId),
          verifyingContract: pool.address,
        },
        types: {
          EIP712Domain: [
            { name: "name", type: "string" },
            { name: "version", type: "string" },
            { name: "chainId", type: "uint256" },
            { name: "verifyingContract", type: "address" },
          ],
        },
      }),
    );
    const deadline = 2n ** 40n;
    const message = { owner: alice.account.address, spender: bob.account.address, value: 42n, nonce: 0n, deadline };
    const sig = await signPermit(alice, domain, message);
    await pool.write.permit([alice.account.address, bob.account.address, 42n, deadline, sig.v, sig.r, sig.s]);
    assert.equal(await pool.read.allowance([alice.account.address, bob.account.address]), 42n);
    assert.equal(await pool.read.nonces([alice.account.address]), 1n);
    // Replaying the same signature recovers a different signer (the nonce moved on).
    await viem.assertions.revertWithCustomError(
      pool.write.permit([alice.account.address, bob.account.address, 42n, deadline, sig.v, sig.r, sig.s]),
      pool,
      "InvalidPermitSigner",
    );
    const bobSig = await signPermit(bob, domain, { ...message, nonce: 1n });
    await viem.assertions.revertWithCustomErrorWithArgs(
      pool.write.permit([alice.account.address, bob.account.address, 42n, deadline, bobSig.v, bobSig.r, bobSig.s]),
      pool,
      "InvalidPermitSigner",
      [bob.account.address, alice.account.address],
    );
    const expired = 1n;
    await viem.assertions.revertWithCustomErrorWithArgs(
      pool.write.permit([alice.account.address, bob.account.address, 42n, expired, sig.v, sig.r, sig.s]),
      pool,
      "PermitExpired",
      [expired],
    );
  });
});
