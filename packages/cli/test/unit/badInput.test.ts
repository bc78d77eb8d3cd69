import assert from "node:assert/strict";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { serializeManifest } from "@nektar/sdk";
import { bytesToHex } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { type CliRun, cli, startChain } from "../helpers/chain.ts";

let chain: Awaited<ReturnType<typeof startChain>>;
let m: string[];
before(async () => {
  chain = await startChain();
  m = ["--manifest", chain.manifestPath];
});
after(() => chain.stop());

/** A failure: exit code 1 (2 for bad input), `error: …` matching `pattern` and a `hint: …` line, never a stack trace. */
function fails(r: CliRun, pattern: RegExp, code = 1): void {
  assert.equal(r.code, code, `exit code (stderr: ${r.err})`);
  const lines = r.err.split("\n");
  assert.equal(lines.length, 2, `an error line and a hint line: ${r.err}`);
  assert.match(lines[0] as string, /^error: /);
  assert.match(lines[0] as string, pattern);
  assert.match(lines[1] as string, /^hint: \S/);
  assert.doesNotMatch(r.err, /\n\s+at |node:internal|\.ts:\d+/);
}

/** Bad input: exit code 2, refused before any transaction. */
function refuses(r: CliRun, pattern: RegExp): void {
  fails(r, pattern, 2);
}

/** A commander usage error (missing argument, bad option value): exit code 2 and a message. */
function usage(r: CliRun, pattern: RegExp): void {
  assert.equal(r.code, 2, r.err);
  assert.match(r.err, pattern);
  assert.doesNotMatch(r.err, /\n\s+at /);
}

/** A chmod-600 key file holding devnet account `index`'s private key (what `--owner-key-file` takes). */
function ownerKey(index: number): string {
  const path = join(chain.dir, `owner-${index}.key`);
  const key = mnemonicToAccount("test test test test test test test test test test test junk", {
    addressIndex: index,
  }).getHdKey().privateKey as Uint8Array;
  writeFileSync(path, `${bytesToHex(key)}\n`, { mode: 0o600 });
  return path;
}

/** A Stinger data directory holding only the public operator record (all `operator register` reads). */
function dataDir(name: string, identityPubkey: string): string {
  const dir = join(chain.dir, name);
  mkdirSync(dir, { recursive: true });
  const record = {
    version: 1,
    peerId: "12D3KooWTestPeer",
    identityPubkey,
    elAccount: { address: "0x0000000000000000000000000000000000000001" },
  };
  writeFileSync(join(dir, "operator.json"), JSON.stringify(record));
  return dir;
}

const AMOUNTS: [string, RegExp][] = [
  ["abc", /invalid amount "abc": not a decimal number/],
  ["0", /must be greater than zero/],
  ["1.0000000000000000001", /more than 18 decimals/],
  ["1e3", /not a decimal number/],
];

describe("amount arguments", () => {
  for (const command of [["stake"], ["wrap"], ["unwrap"], ["withdraw", "request"]]) {
    for (const [amount, pattern] of AMOUNTS) {
      it(`${command.join(" ")} ${amount}`, async () => refuses(await cli(...m, ...command, amount), pattern));
    }
    it(`${command.join(" ")} without an amount`, async () =>
      usage(await cli(...m, ...command), /missing required argument 'amount'/));
  }
  for (const [amount, pattern] of AMOUNTS) {
    it(`operator bond --amount ${amount}`, async () =>
      refuses(await cli(...m, "operator", "bond", "--owner-key-file", ownerKey(5), "--amount", amount), pattern));
  }
  it("operator bond without --amount", async () =>
    usage(
      await cli(...m, "operator", "bond", "--owner-key-file", ownerKey(5)),
      /required option '--amount <amount>' not specified/,
    ));
  it("a negative amount is refused", async () => refuses(await cli(...m, "stake", "-1"), /must not be negative/));
  it("oracle: a bad frame is refused; applying a frame without a report is refused by the oracle", async () => {
    refuses(await cli(...m, "oracle", "report", "abc"), /frame/);
    refuses(await cli(...m, "oracle", "apply", "0"), /frame/);
    fails(await cli(...m, "oracle", "apply", "7"), /ReportNotPending/);
    refuses(await cli(...m, "oracle", "request-leaf", "1", "x"), /position/);
    refuses(await cli(...m, "oracle", "void", "-1", "0"), /frame/);
    fails(await cli(...m, "oracle", "request-leaf", "7", "0"), /ReportNotPending/);
    fails(await cli(...m, "oracle", "void", "7", "0"), /ReportNotPending/);
    refuses(await cli(...m, "oracle", "finalize-by-proofs", "--batch-size", "x"), /batch size/);
    refuses(await cli(...m, "oracle", "dispute", "x", "--beacon-node", "http://127.0.0.1:9"), /frame/);
    refuses(await cli(...m, "oracle", "dispute", "7", "--beacon-node", "http://127.0.0.1:9"), /no report open/);
    // Frame 0 (the oracle's first day here) is never reported: its snapshot is refused by the prover.
    fails(await cli(...m, "oracle", "snapshot"), /NotCurrentFrame/);
    const status = await cli(...m, "--json", "oracle", "status");
    assert.equal(status.code, 0, status.err);
    const parsed = JSON.parse(status.out) as { currentReport: { status: string }; challengeWindow: string };
    assert.equal(parsed.currentReport.status, "none");
    assert.ok(BigInt(parsed.challengeWindow) > 0n);
  });
});

describe("address and id arguments", () => {
  it("stake --referral", async () =>
    refuses(await cli(...m, "stake", "1", "--referral", "0x1234"), /invalid referral address "0x1234"/));
  it("withdraw request --owner", async () =>
    refuses(await cli(...m, "withdraw", "request", "1", "--owner", "bob"), /invalid owner address/));
  it("withdraw claim --to", async () =>
    refuses(await cli(...m, "withdraw", "claim", "1", "--to", "0xZZ"), /invalid receiver address/));
  it("a bad EIP-55 checksum", async () =>
    refuses(await cli(...m, "balance", "0xF39fd6e51aad88F6F4ce6aB8827279cffFb92266"), /invalid address/));
  for (const [command, what] of [
    [["withdraw", "claim", "x"], "withdrawal request id"],
    [["withdraw", "status", "1", "0"], "withdrawal request id"],
    [["validator", "show", "-"], "validator id"],
    [["validator", "list", "--from", "0"], "first validator id"],
    [["operator", "status", "--operator-id", "1.5"], "operator id"],
    [["operator", "bond", "--owner-key-file", "k", "--amount", "1", "--operator-id", "abc"], "operator id"],
    [["operator", "unbond", "--owner-key-file", "k", "--units", "0"], "number of bond units"],
    [["operator", "pause", "--owner-key-file", "k", "--operator-id", "0x"], "operator id"],
  ] as const) {
    it(`${command.join(" ")}`, async () => refuses(await cli(...m, ...command), new RegExp(`invalid ${what}`)));
  }
  it("operator register without a Stinger identity in --data-dir", async () =>
    refuses(
      await cli(...m, "operator", "register", "--owner-key-file", ownerKey(5), "--data-dir", join(chain.dir, "empty")),
      /no operator identity at .*empty/,
    ));
  it("operator register --signer", async () =>
    refuses(
      await cli(...m, "operator", "register", "--owner-key-file", ownerKey(5), "--signer", "x"),
      /invalid signer address/,
    ));
  it("operator register without --owner-key-file", async () =>
    usage(await cli(...m, "operator", "register"), /required option '--owner-key-file <file>' not specified/));
  it("operator bond --asset", async () =>
    usage(
      await cli(...m, "operator", "bond", "--owner-key-file", "k", "--amount", "1", "--asset", "BTC"),
      /Allowed choices are ETH, divETH, wdivETH/,
    ));
  it("operator unbond needs exactly one of --units/--all", async () => {
    const key = ["--owner-key-file", ownerKey(5)];
    refuses(await cli(...m, "operator", "unbond", ...key), /exactly one of --units <n> or --all/);
    refuses(
      await cli(...m, "operator", "unbond", ...key, "--units", "1", "--all"),
      /exactly one of --units <n> or --all/,
    );
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
    refuses(
      await cli(...m, "operator", "bond", "--owner-key-file", ownerKey(90), "--amount", "1"),
      /0x[0-9a-fA-F]{40} owns no operator/,
    ));
});

describe("contract-level refusals", () => {
  it("claiming an unknown withdrawal request", async () =>
    fails(await cli(...m, "withdraw", "claim", "99"), /WithdrawalQueue\.claimWithdrawal reverted: \w+/));
  it("showing an unknown operator", async () =>
    fails(await cli(...m, "operator", "status", "--operator-id", "7"), /reverted: UnknownOperator\(7\)/));
  it("showing an unknown validator", async () =>
    fails(await cli(...m, "validator", "show", "5"), /reverted: UnknownRequest\(5\)/));
  it("bonding an operator the sender does not own; pausing and unpausing one it does", async () => {
    const identity = `0x${"cd".repeat(32)}`;
    const owner = ["--owner-key-file", ownerKey(3)];
    const register = await cli(...m, "--json", "operator", "register", ...owner, "--data-dir", dataDir("n3", identity));
    assert.equal(register.code, 0, register.err);
    const { operatorId } = JSON.parse(register.out);
    refuses(
      await cli(...m, "operator", "register", "--owner-key-file", ownerKey(6), "--data-dir", dataDir("n3", identity)),
      new RegExp(`this node's identity ${identity} is already operator ${operatorId}`),
    );
    const other = ["--owner-key-file", ownerKey(4), "--operator-id", operatorId];
    fails(
      await cli(...m, "operator", "bond", ...other, "--amount", "1"),
      new RegExp(`reverted: NotOperatorOwner\\(${operatorId}, 0x`),
    );
    refuses(
      await cli(...m, "operator", "unbond", ...other, "--units", "1"),
      new RegExp(`operator ${operatorId} has 0 free bond units, cannot unbond 1`),
    );
    refuses(await cli(...m, "operator", "unpause", ...owner), new RegExp(`operator ${operatorId} is already active`));
    const paused = await cli(...m, "operator", "pause", ...owner);
    assert.equal(paused.code, 0, paused.err);
    assert.match(paused.out, new RegExp(`Operator ${operatorId} paused`));
    refuses(await cli(...m, "operator", "pause", ...owner), /is already paused/);
    const status = await cli(...m, "--json", "operator", "status", "--data-dir", dataDir("n3", identity));
    assert.equal(JSON.parse(status.out).paused, true);
    assert.equal((await cli(...m, "operator", "unpause", ...owner)).code, 0);
    const shown = await cli(...m, "operator", "status", "--operator-id", operatorId);
    assert.match(shown.out, new RegExp(`^Operator ${operatorId} \\(active\\)`));
  });
  it("strikes and ejection: an unknown operator, one below the strike limit", async () => {
    fails(await cli(...m, "operator", "strikes", "--operator-id", "77"), /reverted: UnknownOperator\(77\)/);
    const identity = `0x${"ef".repeat(32)}`;
    const register = await cli(
      ...m,
      "--json",
      "operator",
      "register",
      "--owner-key-file",
      ownerKey(7),
      "--data-dir",
      dataDir("n7", identity),
    );
    assert.equal(register.code, 0, register.err);
    const { operatorId } = JSON.parse(register.out);
    refuses(
      await cli(...m, "operator", "eject", "--key-file", ownerKey(5), "--operator-id", operatorId),
      new RegExp(`operator ${operatorId} has 0 strikes within the last 6 frames; ejection needs 3`),
    );
    const strikes = await cli(...m, "--json", "operator", "strikes", "--operator-id", operatorId);
    assert.equal(strikes.code, 0, strikes.err);
    assert.deepEqual(
      { ...JSON.parse(strikes.out), lastFrame: undefined },
      {
        operatorId,
        inWindow: "0",
        strikesToEject: "3",
        windowFrames: "6",
        total: "0",
        lastFrame: undefined,
        ejectable: false,
        ejected: false,
      },
    );
  });
});

describe("network and configuration", () => {
  it("a missing manifest", async () =>
    refuses(await cli("--manifest", join(chain.dir, "nope.json"), "stake", "1"), /manifest .*nope\.json: not found/));
  it("a manifest of another chain (wrong network)", async () => {
    const path = join(chain.dir, "other-chain.json");
    writeFileSync(path, serializeManifest({ ...chain.manifest, chainId: 17000 }));
    refuses(
      await cli("--manifest", path, "stake", "1"),
      /wrong network: the RPC serves chain 31337, the contracts are deployed on chain 17000/,
    );
  });
  it("an unreachable RPC", async () =>
    fails(await cli(...m, "--rpc", "http://127.0.0.1:1", "stake", "1"), /eth_chainId failed/));
  it("an invalid RPC URL", async () => refuses(await cli(...m, "--rpc", "nope", "stake", "1"), /invalid RPC URL/));
  it("--rpc without every address", async () =>
    refuses(
      await cli("--manifest", join(chain.dir, "absent.json"), "--rpc", chain.manifest.rpcUrl, "stake", "1"),
      /manifest|missing contract addresses/,
    ));
  it("--address with an unknown name or bad address", async () => {
    refuses(
      await cli(...m, "--address", "pool=0x0000000000000000000000000000000000000001", "stake", "1"),
      /invalid --address/,
    );
    refuses(await cli(...m, "--address", "stakingPool=0x01", "stake", "1"), /invalid stakingPool address/);
  });
  it("an address without a contract", async () =>
    refuses(
      await cli(...m, "--address", "stakingPool=0x0000000000000000000000000000000000000001", "stake", "1"),
      /no stakingPool contract at/,
    ));
  it("a malformed, missing or group-readable private key file", async () => {
    const key = join(chain.dir, "key");
    writeFileSync(key, "0x1234", { mode: 0o600 });
    refuses(await cli(...m, "--private-key-file", key, "stake", "1"), /must hold one 0x-prefixed 32-byte hex/);
    refuses(await cli(...m, "--private-key-file", join(chain.dir, "nokey"), "stake", "1"), /nokey: not found/);
    const open = join(chain.dir, "open.key");
    writeFileSync(open, `0x${"11".repeat(32)}\n`);
    chmodSync(open, 0o644);
    const r = await cli(...m, "--private-key-file", open, "stake", "1");
    refuses(r, /permissions too open.*chmod 600/);
    assert.doesNotMatch(r.out + r.err, /1111111111111111/, "never echoes key material");
  });
  it("an invalid devnet account index", async () =>
    refuses(await cli(...m, "--account", "x", "stake", "1"), /invalid --account "x"/));
  it("--json errors are JSON on stdout", async () => {
    const r = await cli(...m, "--json", "stake", "abc");
    assert.equal(r.code, 2);
    assert.equal(r.err, "");
    const { error } = JSON.parse(r.out);
    assert.equal(error.code, "ERR_INVALID_AMOUNT");
    assert.equal(error.value, "abc");
    assert.match(error.hint, /positive decimal amount/);
  });
});

describe("devnet bad input", () => {
  it("up --operators below a cluster", async () =>
    usage(await cli("devnet", "up", "--operators", "3"), /expected an integer in 16\.\.200/));
  it("up --slot-seconds 0", async () =>
    usage(await cli("devnet", "up", "--slot-seconds", "0"), /expected an integer in 1\.\.60/));
  it("down without a devnet", async () =>
    refuses(await cli("devnet", "down", "--dir", join(chain.dir, "none")), /no devnet state/));
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

describe("validator exits", () => {
  it("shows the exit state as JSON", async () => {
    const r = await cli(...m, "--json", "validator", "exits");
    assert.equal(r.code, 0, r.err);
    const s = JSON.parse(r.out);
    assert.equal(s.pendingExits, "0");
    assert.equal(s.shortfall, "0");
    assert.equal(s.nextDemandExit, undefined);
    assert.equal(s.withdrawalRequestFee, undefined, "the Hardhat node has no EIP-7002 contract");
    assert.match(s.exitManager, /^0x[0-9a-fA-F]{40}$/);
  });
  it("refuses bad ids, reasons and positions before any transaction", async () => {
    refuses(await cli(...m, "validator", "exit", "x", "--reason", "demand"), /invalid validator id "x"/);
    refuses(await cli(...m, "validator", "exit", "1", "--reason", "sideways"), /unknown --reason "sideways"/);
    refuses(await cli(...m, "validator", "exit", "--reason", "lost-bond"), /--reason lost-bond needs a validator id/);
    refuses(
      await cli(...m, "validator", "exit", "1", "--reason", "lost-bond", "--position", "16"),
      /invalid --position "16"/,
    );
    refuses(await cli(...m, "validator", "withdrawal-request", "1", "--max-fee", "-3"), /invalid maximum fee "-3"/);
    usage(await cli(...m, "validator", "exit", "1"), /--reason/);
  });
  it("draw: refuses a bad request id before any transaction, names a missing pending draw", async () => {
    refuses(await cli(...m, "validator", "draw", "--request", "x"), /invalid request id "x"/);
    fails(await cli(...m, "validator", "draw", "--request", "7"), /reverted: NoPendingDraw\(7\)/);
    const pending = await cli(...m, "--json", "validator", "pending-draw");
    assert.equal(pending.code, 0, pending.err);
    assert.equal(JSON.parse(pending.out).requestId, "0");
  });
  it("names the unmet condition: nobody in line, no exit requested, no EIP-7002 contract", async () => {
    fails(await cli(...m, "validator", "exit", "--reason", "demand"), /no deposited validator is in line to exit/);
    fails(await cli(...m, "validator", "exit", "1", "--reason", "lost-bond"), /reverted: UnknownRequest\(1\)/);
    fails(await cli(...m, "validator", "settle-exit", "1"), /reverted: ExitNotRequested\(1\)/);
    fails(await cli(...m, "validator", "withdrawal-request", "1"), /no EIP-7002 withdrawal request contract/);
    const status = await cli(...m, "validator", "exit-status", "1");
    assert.equal(status.code, 0, status.err);
    assert.match(status.out, /validator 1: no exit requested/);
  });
});
