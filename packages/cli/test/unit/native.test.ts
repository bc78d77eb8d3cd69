import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createDistributor, nektarChain, registerRestakingOperator } from "@nektar/sdk";
import { createWalletClient, http, publicActions } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { type CliRun, cli, startChain } from "../helpers/chain.ts";

let chain: Awaited<ReturnType<typeof startChain>>;
let m: string[];
before(async () => {
  chain = await startChain({ native: true });
  m = ["--manifest", chain.manifestPath];
});
after(() => chain.stop());

const MNEMONIC = "test test test test test test test test test test test junk";

function wallet(index: number) {
  return createWalletClient({
    account: mnemonicToAccount(MNEMONIC, { addressIndex: index }),
    chain: nektarChain(chain.manifest.chainId, chain.manifest.rpcUrl),
    transport: http(chain.manifest.rpcUrl),
  }).extend(publicActions);
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

describe("nektar native / distributor commands", () => {
  it("refuses bad input before any transaction", async () => {
    const stranger = mnemonicToAccount(MNEMONIC, { addressIndex: 19 }).address;
    refused(await cli(...m, "native", "deposit", "-1"), /invalid amount/);
    refused(await cli(...m, "native", "deposit", "1", "--operator", "0x12"), /invalid operator/);
    refused(await cli(...m, "native", "deposit", "1", "--operator", stranger), /not a registered restaking operator/);
    refused(await cli(...m, "native", "withdraw", "x"), /invalid amount/);
    refused(await cli(...m, "distributor", "deposit", "0x12", "1"), /invalid distributor/);
    refused(await cli(...m, "distributor", "withdraw", stranger, "1.5"), /invalid shares/);
    refused(await cli(...m, "distributor", "withdraw", stranger, "--claim", "-1"), /invalid epoch/);
    refused(await cli(...m, "distributor", "rebalance", "0x12"), /invalid distributor/);
    refused(await cli(...m, "distributor", "rebalance", stranger, "--max-operators", "0"), /invalid operator count/);
    refused(await cli(...m, "distributor", "collect", stranger, "0"), /invalid epoch/);
    refused(await cli(...m, "distributor", "add-operator", stranger, "0x12"), /invalid operator/);
  });

  it("deposits, shows and withdraws native stake; deposits into and redeems from a Distributor (--json)", async () => {
    const deposit = ok(await cli(...m, "--json", "native", "deposit", "2")) as { shares: string };
    assert.equal(BigInt(deposit.shares), 2n * 10n ** 18n);
    const position = ok(await cli(...m, "--json", "native", "position")) as { shares: string; ether: string };
    assert.equal(BigInt(position.ether), 2n * 10n ** 18n);
    const tooMuch = await cli(...m, "native", "withdraw", "3");
    assert.equal(tooMuch.code, 1, tooMuch.err);
    assert.match(tooMuch.err, /insufficient native shares balance: .* has 2, needs 3/);
    const out = ok(await cli(...m, "--json", "native", "withdraw", "all")) as { amount: string; payoutId: string };
    assert.equal(BigInt(out.amount), 2n * 10n ** 18n);

    const operator = wallet(9);
    const curator = wallet(8);
    const contracts = chain.manifest.contracts;
    await registerRestakingOperator(operator, { contracts, commissionBps: 0n });
    const { distributor } = await createDistributor(curator, {
      contracts,
      name: "CLI Distributor",
      symbol: "cDIST",
      operators: [operator.account.address],
    });
    ok(await cli(...m, "--json", "stake", "3"));
    ok(await cli(...m, "--json", "wrap", "2"));
    const shares = ok(await cli(...m, "--json", "distributor", "deposit", distributor, "1")) as { shares: string };
    assert.ok(BigInt(shares.shares) > 0n);
    const info = ok(
      await cli(
        ...m,
        "--json",
        "distributor",
        "info",
        distributor,
        "--holder",
        mnemonicToAccount(MNEMONIC, { addressIndex: 1 }).address,
      ),
    ) as { totalAssets: string; holder: { shares: string } };
    assert.equal(BigInt(info.totalAssets), 10n ** 18n);
    assert.equal(info.holder.shares, shares.shares);
    // The operator has no Diva bond: the reference strategy gives it no weight, so a rebalance visits and moves nothing.
    const rebalanced = ok(await cli(...m, "--json", "distributor", "rebalance", distributor)) as {
      touched: string;
      moves: unknown[];
    };
    assert.equal(rebalanced.touched, "1");
    assert.deepEqual(rebalanced.moves, []);
    const notCurator = await cli(...m, "distributor", "add-operator", distributor, operator.account.address);
    assert.equal(notCurator.code, 1, notCurator.err);
    assert.match(notCurator.err, /NotCurator/);
    const early = await cli(...m, "distributor", "collect", distributor, "1");
    assert.equal(early.code, 1, early.err);
    assert.match(early.err, /NothingToClaim/);
    const redeemed = ok(await cli(...m, "--json", "distributor", "withdraw", distributor, "all")) as {
      paidNow: string;
    };
    assert.equal(BigInt(redeemed.paidNow), 10n ** 18n);
    const human = await cli(...m, "distributor", "info", distributor);
    assert.equal(human.code, 0, human.err);
    assert.match(human.out, /CLI Distributor \(cDIST\)/);
  });
});
