import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { type Hex, keccak256, parseEther, toFunctionSelector, toHex } from "viem";
import { depositRoot, littleEndian64, makeDepositData } from "../../helpers/depositData.ts";

const CREDENTIALS: Hex = `0x01${"00".repeat(11)}${"ab".repeat(20)}`;
const ZERO_LIST_ROOT: Hex = depositRoot([]);

describe("DepositContract", async () => {
  const { viem } = await network.create();
  const deploy = () => viem.deployContract("DepositContract");

  it("starts with the root of the empty list and a zero count", async () => {
    const dc = await deploy();
    assert.equal(await dc.read.get_deposit_root(), ZERO_LIST_ROOT);
    assert.equal(await dc.read.get_deposit_count(), littleEndian64(0n));
  });

  it("accepts deposits, emits DepositEvent and tracks the SSZ deposit root", async () => {
    const dc = await deploy();
    const deposits = [];
    for (let i = 0; i < 5; i++) {
      const amountGwei = i === 2 ? 1_000_000_000n : 32_000_000_000n;
      const d = makeDepositData(i, CREDENTIALS, amountGwei);
      const tx = dc.write.deposit([d.pubkey, d.withdrawalCredentials, d.signature, d.depositDataRoot], {
        value: amountGwei * 10n ** 9n,
      });
      await viem.assertions.emitWithArgs(tx, dc, "DepositEvent", [
        d.pubkey,
        d.withdrawalCredentials,
        littleEndian64(amountGwei),
        d.signature,
        littleEndian64(BigInt(i)),
      ]);
      deposits.push(d);
      assert.equal(await dc.read.get_deposit_root(), depositRoot(deposits));
      assert.equal(await dc.read.get_deposit_count(), littleEndian64(BigInt(i + 1)));
    }
    const publicClient = await viem.getPublicClient();
    assert.equal(await publicClient.getBalance({ address: dc.address }), parseEther(String(32 * 4 + 1)));
  });

  it("rejects bad lengths with the length in the error", async () => {
    const dc = await deploy();
    const d = makeDepositData(1, CREDENTIALS);
    const value = parseEther("32");
    await viem.assertions.revertWithCustomErrorWithArgs(
      dc.write.deposit([`${d.pubkey}00`, d.withdrawalCredentials, d.signature, d.depositDataRoot], { value }),
      dc,
      "InvalidPubkeyLength",
      [49n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      dc.write.deposit([d.pubkey, "0x01", d.signature, d.depositDataRoot], { value }),
      dc,
      "InvalidWithdrawalCredentialsLength",
      [1n],
    );
    await viem.assertions.revertWithCustomErrorWithArgs(
      dc.write.deposit([d.pubkey, d.withdrawalCredentials, "0x", d.depositDataRoot], { value }),
      dc,
      "InvalidSignatureLength",
      [0n],
    );
  });

  it("rejects amounts below 1 ether, not in whole gwei, or above 2^64-1 gwei", async () => {
    const dc = await deploy();
    const d = makeDepositData(1, CREDENTIALS);
    const args = [d.pubkey, d.withdrawalCredentials, d.signature, d.depositDataRoot] as const;
    const low = parseEther("1") - 1n;
    await viem.assertions.revertWithCustomErrorWithArgs(
      dc.write.deposit(args, { value: low }),
      dc,
      "DepositValueTooLow",
      [low],
    );
    const notGwei = parseEther("32") + 1n;
    await viem.assertions.revertWithCustomErrorWithArgs(
      dc.write.deposit(args, { value: notGwei }),
      dc,
      "DepositValueNotMultipleOfGwei",
      [notGwei],
    );
    const tooHigh = 2n ** 64n * 10n ** 9n;
    const [sender] = await viem.getWalletClients();
    assert.ok(sender);
    const testClient = await viem.getTestClient();
    await testClient.setBalance({ address: sender.account.address, value: tooHigh * 2n });
    await viem.assertions.revertWithCustomErrorWithArgs(
      dc.write.deposit(args, { value: tooHigh }),
      dc,
      "DepositValueTooHigh",
      [tooHigh],
    );
  });

  it("rejects a deposit data root that does not match, reporting both roots", async () => {
    const dc = await deploy();
    const d = makeDepositData(1, CREDENTIALS);
    const wrong = keccak256(toHex("wrong"));
    await viem.assertions.revertWithCustomErrorWithArgs(
      dc.write.deposit([d.pubkey, d.withdrawalCredentials, d.signature, wrong], { value: parseEther("32") }),
      dc,
      "DepositDataRootMismatch",
      [d.depositDataRoot, wrong],
    );
    // The amount is part of the root: a root computed for 32 ETH does not accept 31 ETH.
    const d31 = makeDepositData(1, CREDENTIALS, 31_000_000_000n);
    await viem.assertions.revertWithCustomErrorWithArgs(
      dc.write.deposit([d.pubkey, d.withdrawalCredentials, d.signature, d.depositDataRoot], {
        value: parseEther("31"),
      }),
      dc,
      "DepositDataRootMismatch",
      [d31.depositDataRoot, d.depositDataRoot],
    );
  });

  it("supports ERC-165 for IERC165 and IDepositContract only", async () => {
    const dc = await deploy();
    assert.equal(await dc.read.supportsInterface([toFunctionSelector("supportsInterface(bytes4)")]), true);
    const iDeposit =
      BigInt(toFunctionSelector("deposit(bytes,bytes,bytes,bytes32)")) ^
      BigInt(toFunctionSelector("get_deposit_root()")) ^
      BigInt(toFunctionSelector("get_deposit_count()"));
    assert.equal(await dc.read.supportsInterface([toHex(iDeposit, { size: 4 })]), true);
    assert.equal(await dc.read.supportsInterface(["0xffffffff"]), false);
  });
});
