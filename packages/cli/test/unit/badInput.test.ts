import assert from "node:assert/strict";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { serializeManifest } from "@nektar/sdk";
import { type CliRun, cli, startChain } from "../helpers/chain.ts";

let chain: Awaited<ReturnType<typeof startChain>>;
let m: string[];
before(async () => {
  chain = await startChain();
  m = ["--manifest", chain.manifestPath];
});
after(() => chain.stop());

/** A failure: exit code 1, one line on stderr matching `pattern`, nothing that looks like a stack trace. */
function fails(r: CliRun, pattern: RegExp): void {
  assert.equal(r.code, 1, `exit code (stderr: ${r.err})`);
  assert.match(r.err, pattern);
  assert.equal(r.err.split("\n").length, 1, `one line: ${r.err}`);
  assert.doesNotMatch(r.err, /\n\s+at |node:internal|\.ts:\d+/);
}

/** A commander usage error (missing argument, bad option value): exit code ≠ 0 and a message. */
function usage(r: CliRun, pattern: RegExp): void {
  assert.notEqual(r.code, 0);
  assert.match(r.err, pattern);
  assert.doesNotMatch(r.err, /\n\s+at /);
}

const AMOUNTS: [string, RegExp][] = [
  ["abc", /invalid amount "abc": not a decimal number/],
  ["0", /must be greater than zero/],
  ["1.0000000000000000001", /more than 18 decimals/],
  ["1e3", /not a decimal number/],
];

describe("amount arguments", () => {
  for (const command of [["stake"], ["wrap"], ["unwrap"], ["withdraw", "request"], ["operator", "bond"]]) {
    for (const [amount, pattern] of AMOUNTS) {
      it(`${command.join(" ")} ${amount}`, async () => fails(await cli(...m, ...command, amount), pattern));
    }
    it(`${command.join(" ")} without an amount`, async () =>
      usage(await cli(...m, ...command), /missing required argument 'amount'/));
  }
  it("a negative amount is refused", async () => fails(await cli(...m, "stake", "-1"), /must not be negative/));
});

describe("address and id arguments", () => {
  it("stake --referral", async () =>
    fails(await cli(...m, "stake", "1", "--referral", "0x1234"), /invalid referral address "0x1234"/));
  it("withdraw request --owner", async () =>
    fails(await cli(...m, "withdraw", "request", "1", "--owner", "bob"), /invalid owner address/));
  it("withdraw claim --to", async () =>
    fails(await cli(...m, "withdraw", "claim", "1", "--to", "0xZZ"), /invalid receiver address/));
  it("a bad EIP-55 checksum", async () =>
    fails(await cli(...m, "balance", "0xF39fd6e51aad88F6F4ce6aB8827279cffFb92266"), /invalid address/));
  for (const [command, what] of [
    [["withdraw", "claim", "x"], "withdrawal request id"],
    [["withdraw", "status", "1", "0"], "withdrawal request id"],
    [["validator", "show", "-"], "validator id"],
    [["validator", "list", "--from", "0"], "first validator id"],
    [["operator", "status", "1.5"], "operator id"],
    [["operator", "bond", "1", "--operator", "abc"], "operator id"],
    [["operator", "unbond", "--units", "0"], "number of bond units"],
  ] as const) {
    it(`${command.join(" ")}`, async () => fails(await cli(...m, ...command), new RegExp(`invalid ${what}`)));
  }
  it("operator register --node-identity", async () =>
    fails(await cli(...m, "operator", "register", "--node-identity", "0x1234"), /invalid --node-identity/));
  it("operator register --signer", async () =>
    fails(
      await cli(...m, "operator", "register", "--node-identity", `0x${"ab".repeat(32)}`, "--signer", "x"),
      /invalid signer address/,
    ));
  it("operator register without --node-identity", async () =>
    usage(await cli(...m, "operator", "register"), /required option '--node-identity <hex>' not specified/));
  it("operator bond --asset", async () =>
    usage(await cli(...m, "operator", "bond", "1", "--asset", "BTC"), /Allowed choices are ETH, divETH, wdivETH/));
  it("operator unbond needs exactly one of --units/--all", async () => {
    fails(await cli(...m, "operator", "unbond"), /exactly one of --units <n> or --all/);
    fails(await cli(...m, "operator", "unbond", "--units", "1", "--all"), /exactly one of --units <n> or --all/);
  });
});

describe("insufficient balances", () => {
  // Devnet account 90 of the development mnemonic holds nothing on a fresh node.
  const poor = ["--account", "90"];
  it("stake", async () =>
    fails(await cli(...m, ...poor, "stake", "1"), /insufficient ETH balance: 0x[0-9a-fA-F]{40} has 0, needs 1/));
  it("wrap", async () => fails(await cli(...m, ...poor, "wrap", "1"), /insufficient divETH balance/));
  it("unwrap", async () =>
    fails(await cli(...m, ...poor, "unwrap", "2.5"), /insufficient wdivETH balance.*needs 2\.5/));
  it("withdraw request", async () =>
    fails(await cli(...m, ...poor, "withdraw", "request", "1"), /insufficient divETH balance/));
  it("withdraw request --wdiveth", async () =>
    fails(await cli(...m, ...poor, "withdraw", "request", "1", "--wdiveth"), /insufficient wdivETH balance/));
  it("operator bond without an operator", async () =>
    fails(await cli(...m, ...poor, "operator", "bond", "1"), /owns no operator/));
});

describe("contract-level refusals", () => {
  it("claiming an unknown withdrawal request", async () =>
    fails(await cli(...m, "withdraw", "claim", "99"), /WithdrawalQueue\.claimWithdrawal reverted: \w+/));
  it("showing an unknown operator", async () =>
    fails(await cli(...m, "operator", "status", "7"), /reverted: UnknownOperator\(7\)/));
  it("showing an unknown validator", async () =>
    fails(await cli(...m, "validator", "show", "5"), /reverted: UnknownRequest\(5\)/));
  it("bonding an operator the sender does not own", async () => {
    const register = await cli(
      ...m,
      "--account",
      "3",
      "operator",
      "register",
      "--node-identity",
      `0x${"cd".repeat(32)}`,
    );
    assert.equal(register.code, 0, register.err);
    fails(
      await cli(...m, "--account", "4", "operator", "bond", "1", "--operator", "1"),
      /reverted: NotOperatorOwner\(1, 0x/,
    );
    fails(
      await cli(...m, "--account", "4", "operator", "unbond", "--units", "1", "--operator", "1"),
      /operator 1 has 0 free bond units, cannot unbond 1/,
    );
  });
});

describe("network and configuration", () => {
  it("a missing manifest", async () =>
    fails(await cli("--manifest", join(chain.dir, "nope.json"), "stake", "1"), /manifest .*nope\.json: not found/));
  it("a manifest of another chain (wrong network)", async () => {
    const path = join(chain.dir, "other-chain.json");
    writeFileSync(path, serializeManifest({ ...chain.manifest, chainId: 17000 }));
    fails(
      await cli("--manifest", path, "stake", "1"),
      /wrong network: the RPC serves chain 31337, the contracts are deployed on chain 17000/,
    );
  });
  it("an unreachable RPC", async () =>
    fails(await cli(...m, "--rpc", "http://127.0.0.1:1", "stake", "1"), /eth_chainId failed/));
  it("an invalid RPC URL", async () => fails(await cli(...m, "--rpc", "nope", "stake", "1"), /invalid RPC URL/));
  it("--rpc without every address", async () =>
    fails(
      await cli("--manifest", join(chain.dir, "absent.json"), "--rpc", chain.manifest.rpcUrl, "stake", "1"),
      /manifest|missing contract addresses/,
    ));
  it("--address with an unknown name or bad address", async () => {
    fails(
      await cli(...m, "--address", "pool=0x0000000000000000000000000000000000000001", "stake", "1"),
      /invalid --address/,
    );
    fails(await cli(...m, "--address", "stakingPool=0x01", "stake", "1"), /invalid stakingPool address/);
  });
  it("an address without a contract", async () =>
    fails(
      await cli(...m, "--address", "stakingPool=0x0000000000000000000000000000000000000001", "stake", "1"),
      /no stakingPool contract at/,
    ));
  it("a malformed, missing or group-readable private key file", async () => {
    const key = join(chain.dir, "key");
    writeFileSync(key, "0x1234", { mode: 0o600 });
    fails(await cli(...m, "--private-key-file", key, "stake", "1"), /must hold one 0x-prefixed 32-byte hex/);
    fails(await cli(...m, "--private-key-file", join(chain.dir, "nokey"), "stake", "1"), /nokey: not found/);
    const open = join(chain.dir, "open.key");
    writeFileSync(open, `0x${"11".repeat(32)}\n`);
    chmodSync(open, 0o644);
    const r = await cli(...m, "--private-key-file", open, "stake", "1");
    fails(r, /permissions too open.*chmod 600/);
    assert.doesNotMatch(r.out + r.err, /1111111111111111/, "never echoes key material");
  });
  it("an invalid devnet account index", async () =>
    fails(await cli(...m, "--account", "x", "stake", "1"), /invalid --account "x"/));
  it("--json errors are JSON on stdout", async () => {
    const r = await cli(...m, "--json", "stake", "abc");
    assert.equal(r.code, 1);
    assert.equal(JSON.parse(r.out).error.code, "ERR_INVALID_AMOUNT");
  });
});

describe("devnet bad input", () => {
  it("up --operators below a cluster", async () =>
    usage(await cli("devnet", "up", "--operators", "3"), /expected an integer in 16\.\.200/));
  it("up --slot-seconds 0", async () =>
    usage(await cli("devnet", "up", "--slot-seconds", "0"), /expected an integer in 1\.\.60/));
  it("down without a devnet", async () =>
    fails(await cli("devnet", "down", "--dir", join(chain.dir, "none")), /no devnet state/));
  it("status without a devnet", async () => {
    const r = await cli("devnet", "status", "--dir", join(chain.dir, "none"));
    assert.equal(r.code, 0);
    assert.match(r.out, /not running/);
  });
});

describe("happy paths (so the refusals above are not the only thing that works)", () => {
  it("stake, balance, wrap, withdraw request and status with --json", async () => {
    const staked = await cli(...m, "--json", "stake", "3");
    assert.equal(staked.code, 0, staked.err);
    assert.equal(JSON.parse(staked.out).amount, "3000000000000000000");
    const balance = JSON.parse((await cli(...m, "--json", "balance")).out);
    assert.ok(BigInt(balance.divETH) >= 3n * 10n ** 18n - 1n);
    assert.equal((await cli(...m, "wrap", "1")).code, 0);
    const request = await cli(...m, "--json", "withdraw", "request", "1");
    assert.equal(request.code, 0, request.err);
    const id = JSON.parse(request.out).requestId as string;
    const status = await cli(...m, "withdraw", "status", id);
    assert.match(status.out, new RegExp(`request ${id}: .* pending`));
  });
  it("--help works on every command", async () => {
    for (const command of [
      [],
      ["stake"],
      ["withdraw"],
      ["withdraw", "claim"],
      ["operator", "unbond"],
      ["validator", "show"],
      ["devnet", "up"],
    ]) {
      const r = await cli(...command, "--help");
      assert.equal(r.code, 0);
      assert.match(r.out, /Usage: nektar/);
    }
  });
});
