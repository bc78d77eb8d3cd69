import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
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

const MNEMONIC = "test test test test test test test test test test test junk";

/** A chmod-600 key file holding devnet account `index`'s private key, and that account's address. */
function ownerKey(index: number): { path: string; address: string } {
  const account = mnemonicToAccount(MNEMONIC, { addressIndex: index });
  const path = join(chain.dir, `restake-owner-${index}.key`);
  writeFileSync(path, `${bytesToHex(account.getHdKey().privateKey as Uint8Array)}\n`, { mode: 0o600 });
  return { path, address: account.address };
}

function ok(r: CliRun): unknown {
  assert.equal(r.code, 0, `${r.err}${r.out}`);
  return JSON.parse(r.out);
}

function refused(r: CliRun, pattern: RegExp): void {
  assert.equal(r.code, 2, `exit code (stderr: ${r.err})`);
  assert.match(r.err, pattern);
  assert.match(r.err, /hint: \S/);
}

describe("nektar restake / network and stinger operator restaking commands", () => {
  it("refuses bad input before any transaction", async () => {
    const stranger = mnemonicToAccount(MNEMONIC, { addressIndex: 19 }).address;
    refused(await cli(...m, "restake", "deposit", "0x1234", "1"), /invalid operator/);
    refused(await cli(...m, "restake", "deposit", stranger, "-1"), /invalid amount/);
    refused(await cli(...m, "restake", "deposit", stranger, "1"), /not a registered restaking operator/);
    refused(await cli(...m, "restake", "claim"), /operator whose rewards/);
    refused(await cli(...m, "network", "slash", "1", stranger, "--capture", "5"), /either --evidence or --amount/);
    refused(await cli(...m, "network", "rewards", "1", "0", "--operator", stranger), /either --amount/);
    refused(await cli(...m, "restake", "withdraw", stranger, "-1"), /invalid epoch/);
    refused(await cli(...m, "network", "veto", "x"), /invalid slash request id/);
    refused(
      await cli(...m, "operator", "optin", "7", "--owner-key-file", ownerKey(12).path, ...m),
      /network 7 does not exist|not a registered/,
    );
  });

  it("an operator registers and opts in, a network registers, a restaker deposits and lists positions (--json)", async () => {
    const op = ownerKey(11);
    const registered = ok(await cli("operator", "commission", "1000", "--owner-key-file", op.path, ...m, "--json")) as {
      registered: boolean;
    };
    assert.equal(registered.registered, true);
    const net = ok(
      await cli(
        ...m,
        "--account",
        "3",
        "--json",
        "network",
        "register",
        "--kind",
        "veto",
        "--slasher",
        mnemonicToAccount(MNEMONIC, { addressIndex: 3 }).address,
        "--veto-window",
        "600",
        "--max-stake-per-operator",
        "1000",
        "--metadata-uri",
        "ipfs://example",
      ),
    ) as { networkId: string };
    assert.equal(net.networkId, "1");
    ok(await cli("operator", "optin", "1", "--owner-key-file", op.path, ...m, "--json"));
    const networks = ok(await cli("operator", "networks", "--owner-key-file", op.path, ...m, "--json")) as {
      networks: { optedIn: boolean }[];
    };
    assert.equal(networks.networks[0]?.optedIn, true);

    ok(await cli(...m, "--json", "stake", "10"));
    const deposit = ok(await cli(...m, "--json", "restake", "deposit", op.address, "4")) as { shares: string };
    assert.ok(BigInt(deposit.shares) > 0n);
    const positions = ok(await cli(...m, "--json", "restake", "positions")) as {
      positions: { operator: string; pendingShares: string }[];
    };
    assert.equal(positions.positions[0]?.pendingShares, deposit.shares);
    const rewards = ok(await cli(...m, "--json", "restake", "rewards")) as unknown[];
    assert.deepEqual(rewards, []);
  });
});
