import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import {
  bondOperator,
  finalizeWithdrawals,
  registerOperator,
  registerRestakingOperator,
  setNetworkMembership,
  stake,
  wrap,
} from "@nektar/sdk";
import { parseEther } from "viem";
import { buildApp, type Harness, pickDevnetAccount, registerDevnetNetwork, startHarness, step } from "./harness.ts";

// Real Chromium against a real chain: every action goes through the UI, the chain is only set up (operators) and moved
// on (an operator's oracle report, finalization) by the test with the same SDK actions the devnet orchestrator uses.

const STAKER = 1;
const OPERATOR_OWNER = 5;
/** Registers the devnet's Network and is its middleware (pays its rewards). */
const NETWORK_OWNER = 8;
let h: Harness;

before(async () => {
  buildApp();
  h = await startHarness([
    { index: STAKER, label: "staker" },
    { index: OPERATOR_OWNER, label: "operator #1 owner" },
  ]);
  // Three operators with bonds 1, 3 and 2 ETH (ids 1, 2, 3): the table's default sort is by bond.
  const { contracts } = h.net;
  for (const [i, bond] of [
    [OPERATOR_OWNER, "1"],
    [6, "3"],
    [7, "2"],
  ] as const) {
    const owner = h.net.client(i);
    const { operatorId } = await registerOperator(owner, {
      contracts,
      signer: owner.account.address,
      nodeIdentity: `0x${i.toString(16).padStart(64, "0")}`,
      metadataURI: "",
    });
    await bondOperator(owner, { contracts, operatorId, amount: parseEther(bond) });
  }
  // Restaking as on the devnet: operator #1's owner is a restaking operator opted in to one veto Network.
  const operator = h.net.client(OPERATOR_OWNER);
  await registerRestakingOperator(operator, { contracts, commissionBps: 1_000n });
  const networkId = await registerDevnetNetwork(h, NETWORK_OWNER);
  await setNetworkMembership(operator, { contracts, networkId, membership: "in" });
});
after(() => h?.close());

describe("marketplace in Chromium", () => {
  it("opens every page by URL, readable without a wallet", async () => {
    const { page, appUrl } = h;
    await step(page, "pages", async () => {
      await page.goto(`${appUrl}/#/stake`);
      await page.getByRole("heading", { level: 1, name: "Stake" }).waitFor();
      await page.getByTestId("share-rate").waitFor();
      assert.match(await page.getByText("Connect a wallet or pick a devnet account").first().innerText(), /Connect/);
      for (const [hash, heading] of [
        ["validators", "Validators"],
        ["operators/2", "Operator #2"],
        ["restake", "Restake"],
        ["networks", "Networks"],
        ["distributors", "Distributors"],
      ] as const) {
        await page.goto(`${appUrl}/#/${hash}`);
        await page.getByRole("heading", { level: 1, name: heading }).waitFor();
      }
      // The factory is deployed by default; no Distributor exists until a curator creates one.
      await page.getByTestId("no-distributors").waitFor();
      await page.goto(`${appUrl}/#/nowhere`);
      await page.getByRole("heading", { level: 1, name: "Not found" }).waitFor();
    });
  });

  it("keyboard: skip link, navigation by Tab and Enter; every form field has a label", async () => {
    const { page, appUrl } = h;
    await step(page, "keyboard", async () => {
      await page.goto(`${appUrl}/#/stake`);
      await page.getByRole("heading", { level: 1, name: "Stake" }).waitFor();
      await page.reload();
      await page.getByLabel(/devnet account/).waitFor();
      await page.keyboard.press("Tab");
      assert.equal(await page.evaluate(() => document.activeElement?.textContent), "Skip to content");
      // Tab on to the Operators link and follow it with Enter.
      let reached = false;
      for (let i = 0; i < 10 && !reached; i++) {
        await page.keyboard.press("Tab");
        reached = (await page.evaluate(() => document.activeElement?.textContent)) === "Operators";
      }
      assert.ok(reached, "the Operators link is reachable by keyboard");
      await page.keyboard.press("Enter");
      await page.getByRole("heading", { level: 1, name: "Operators" }).waitFor();
      assert.equal(await page.evaluate(() => document.activeElement?.tagName), "H1", "focus moves to the new page");
      await page.goto(`${appUrl}/#/stake`);
      await page.getByLabel("Stake (ETH)").waitFor();
      const unlabelled = await page.evaluate(
        () =>
          [...document.querySelectorAll("input, select")].filter((e) => (e as HTMLInputElement).labels?.length === 0)
            .length,
      );
      assert.equal(unlabelled, 0);
      const unnamedButtons = await page.evaluate(
        () => [...document.querySelectorAll("button")].filter((b) => b.textContent?.trim() === "").length,
      );
      assert.equal(unnamedButtons, 0);
    });
  });

  it("stakes from the UI and shows the divETH", async () => {
    const { page, appUrl } = h;
    await step(page, "stake", async () => {
      await page.goto(`${appUrl}/#/stake`);
      await pickDevnetAccount(page, STAKER);
      await page.getByTestId("diveth-balance").waitFor();
      assert.equal(await page.getByTestId("diveth-balance").innerText(), "0");
      await page.getByLabel("Stake (ETH)").fill("2.5");
      await page.getByRole("button", { name: "Stake", exact: true }).click();
      await page.getByTestId("stake-form").getByRole("status").filter({ hasText: "included in block" }).waitFor();
      await page.waitForFunction(() => document.querySelector('[data-testid="diveth-balance"]')?.textContent === "2.5");
    });
  });

  it("refuses bad input before any transaction and shows a revert's decoded custom error with its hint", async () => {
    const { page } = h;
    await step(page, "revert", async () => {
      const form = page.getByTestId("withdraw-form");
      await page.getByLabel("Request withdrawal (divETH)").fill("-1");
      await form.getByRole("button").click();
      assert.match(await form.getByRole("alert").innerText(), /must not be negative/);
      // 1 wei is below the queue's minimum: the contract reverts with RequestAmountTooSmall(amount, min).
      await page.getByLabel("Request withdrawal (divETH)").fill("0.000000000000000001");
      await form.getByRole("button").click();
      const alert = form.getByRole("alert").filter({ hasText: "RequestAmountTooSmall" });
      await alert.waitFor();
      const text = await alert.innerText();
      assert.match(text, /RequestAmountTooSmall\(1, 100000000000\)/);
      assert.match(text, /Hint: The contract refused the call/);
      assert.match(text, /ERR_CONTRACT_REVERTED/);
    });
  });

  it("requests a withdrawal, sees it finalized after an oracle report and claims it", async () => {
    const { page, net } = h;
    await step(page, "withdrawal", async () => {
      await page.getByLabel("Request withdrawal (divETH)").fill("1");
      await page.getByTestId("withdraw-form").getByRole("button").click();
      const row = page.locator("[data-testid=withdrawals] tbody tr").first();
      await row.waitFor();
      assert.equal(await row.locator(".stage").innerText(), "waiting for report");
      // The chain moves on as on the devnet: an oracle report after the request, then finalization.
      const { contracts } = net;
      // Operator 2's owner (3 ETH of bond) posts the next frame's report; it applies after the challenge window.
      await net.reportNextFrame(net.client(6));
      await finalizeWithdrawals(net.client(0), { contracts });
      const claim = row.getByRole("button", { name: /Claim 1 ETH/ });
      await claim.waitFor({ timeout: 15_000 });
      await claim.click();
      await page.getByRole("status").filter({ hasText: "Claim: included in block" }).waitFor();
      await page.getByText("No open withdrawal requests.").waitFor();
    });
  });

  it("sorts the operators table, by bond by default, and says performance is not measured yet", async () => {
    const { page, appUrl } = h;
    await step(page, "operators", async () => {
      await page.goto(`${appUrl}/#/operators`);
      const table = page.getByTestId("operators-table");
      await table.waitFor();
      const ids = () =>
        table.locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-operator-id")));
      assert.deepEqual(await ids(), ["2", "3", "1"]);
      assert.match(await table.locator("caption").innerText(), /not measured yet/);
      assert.equal(await table.locator("th[aria-sort=descending]").innerText(), "Bond (ETH) ▼");
      await table.getByRole("button", { name: /^Operator/ }).click();
      assert.deepEqual(await ids(), ["1", "2", "3"]);
      await table.getByRole("button", { name: /^Operator/ }).click();
      assert.deepEqual(await ids(), ["3", "2", "1"]);
      assert.equal(await table.locator("th[aria-sort=descending] button").getAttribute("data-sort-key"), "operatorId");
    });
  });

  it("an operator's owner bonds from the operator page", async () => {
    const { page, appUrl } = h;
    await step(page, "bond", async () => {
      await page.goto(`${appUrl}/#/operators/1`);
      await pickDevnetAccount(page, OPERATOR_OWNER);
      const bond = page.getByTestId("operator-bond");
      await bond.waitFor();
      const before = await bond.innerText();
      await page.getByLabel(/^Bond \(ETH/).fill("1.5");
      await page.getByTestId("bond-form").getByRole("button", { name: "Bond" }).click();
      await page.getByTestId("bond-form").getByRole("status").filter({ hasText: "included in block" }).waitFor();
      await page.waitForFunction(
        (b) => document.querySelector('[data-testid="operator-bond"]')?.textContent !== b,
        before,
      );
      assert.match(await bond.innerText(), /^2\.49|^2\.5/);
      // Another account sees no owner actions.
      await pickDevnetAccount(page, STAKER);
      await page.getByText("Bond and unbond are for the operator's owner").waitFor();
    });
  });

  it("the Networks page lists the devnet's Network; the operators table shows the Networks an operator serves", async () => {
    const { page, appUrl } = h;
    await step(page, "networks", async () => {
      await page.goto(`${appUrl}/#/networks`);
      const row = page.locator("[data-testid=networks-table] tr[data-network-id='1']");
      await row.waitFor();
      assert.equal(await row.locator(".kind").innerText(), "veto");
      assert.match(await row.innerText(), /devnet:\/\/finality-relay/);
      assert.match(await row.locator(".operators").innerText(), /^1: /);
      assert.equal(await row.locator(".rewards").innerText(), "none yet");
      assert.equal(await row.locator(".slashes").innerText(), "none");
      await page.goto(`${appUrl}/#/operators`);
      const op1 = page.locator("[data-testid=operators-table] tr[data-operator-id='1']");
      await op1.waitFor();
      assert.match(await op1.innerText(), /#1/);
    });
  });

  it("a restaker delegates to an operator, with its risk shown, and sees the position become active", async () => {
    const { page, appUrl, net } = h;
    await step(page, "delegate", async () => {
      await page.goto(`${appUrl}/#/restake`);
      await pickDevnetAccount(page, STAKER);
      const operator = net.client(OPERATOR_OWNER).account.address;
      const risk = page.locator(`[data-testid=restake-operators] tr[data-operator='${operator}']`);
      await risk.waitFor();
      assert.equal(await risk.locator(".networks").innerText(), "#1 (veto)");
      assert.equal(await risk.locator(".slashing").innerText(), "never slashed");
      await page.getByLabel("Operator", { exact: true }).selectOption(operator);
      await page.getByLabel("Delegate (divETH)", { exact: true }).fill("0.5");
      await page.getByTestId("delegate-form").getByRole("button", { name: "Delegate" }).click();
      await page.getByTestId("delegate-form").getByRole("status").filter({ hasText: "included in block" }).waitFor();
      const position = page.locator(`[data-testid=restake-positions] tr[data-operator='${operator}']`);
      await position.waitFor();
      assert.match(await position.locator(".pending-stake").innerText(), /^0\.(5|49)/);
      // The deposit is active (slashable, earning) from the epoch after next.
      await net.increaseTime(7_200);
      await page.waitForFunction(
        (o) => /^0\.(5|49)/.test(document.querySelector(`tr[data-operator='${o}'] .active`)?.textContent ?? ""),
        operator,
      );
    });
  });

  it("a revert on a new page shows its decoded custom error with a hint", async () => {
    const { page, appUrl } = h;
    await step(page, "network revert", async () => {
      // The staker is not the Network's middleware: the vault refuses with NotNetworkMiddleware(networkId, caller).
      await page.goto(`${appUrl}/#/networks`);
      await pickDevnetAccount(page, STAKER);
      const form = page.getByTestId("fund-rewards-form");
      await form.getByLabel("Network").selectOption("1");
      await form.getByLabel("Total rewards (ETH)").fill("0.1");
      await form.getByRole("button", { name: "Pay rewards" }).click();
      const alert = form.getByRole("alert").filter({ hasText: "NotNetworkMiddleware" });
      await alert.waitFor();
      const text = await alert.innerText();
      assert.match(text, /NotNetworkMiddleware\(1, 0x/);
      assert.match(text, /Hint: /);
      assert.match(text, /ERR_CONTRACT_REVERTED/);
    });
  });

  it("keyboard and labels on the Restake, Networks and Distributors pages", async () => {
    const { page, appUrl } = h;
    await step(page, "restaking a11y", async () => {
      for (const [hash, field] of [
        ["restake", "Operator"],
        ["networks", "Metadata URI"],
        ["distributors", "Name"],
      ] as const) {
        await page.goto(`${appUrl}/#/${hash}`);
        await page.getByLabel(field, { exact: true }).waitFor();
        const unlabelled = await page.evaluate(
          () =>
            [...document.querySelectorAll("input, select")].filter((e) => (e as HTMLInputElement).labels?.length === 0)
              .length,
        );
        assert.equal(unlabelled, 0, `${hash}: every field has a label`);
        const unnamedButtons = await page.evaluate(
          () => [...document.querySelectorAll("button")].filter((b) => b.textContent?.trim() === "").length,
        );
        assert.equal(unnamedButtons, 0, `${hash}: every button has a name`);
        // The first field is reached by keyboard from the page title.
        await page.getByRole("heading", { level: 1 }).focus();
        let reached = false;
        for (let i = 0; i < 40 && !reached; i++) {
          await page.keyboard.press("Tab");
          reached = await page.evaluate((label) => {
            const e = document.activeElement as HTMLInputElement | null;
            return [...(e?.labels ?? [])].some((l) => l.textContent === label);
          }, field);
        }
        assert.ok(reached, `${hash}: "${field}" is reachable by keyboard`);
      }
    });
  });

  it("a curator creates a Distributor, a holder deposits, anyone rebalances it; bad epochs and operators refused", async () => {
    const { page, appUrl, net } = h;
    await step(page, "distributor", async () => {
      const { contracts } = net;
      const staker = net.client(STAKER);
      await stake(staker, { contracts, amount: parseEther("2") });
      await wrap(staker, { contracts, amount: parseEther("1") });
      await page.goto(`${appUrl}/#/distributors`);
      await pickDevnetAccount(page, STAKER);
      const operator = net.client(OPERATOR_OWNER).account.address;
      const create = page.getByTestId("create-distributor-form");
      await create.getByLabel("Name", { exact: true }).fill("Browser Distributor");
      await create.getByLabel("Symbol", { exact: true }).fill("bDIST");
      await create.getByLabel(/Restaking operators/).fill(operator);
      await create.getByRole("button", { name: "Create" }).click();
      await create.getByRole("status").filter({ hasText: "included in block" }).waitFor();
      const section = page.locator("section.distributor").filter({ hasText: "Browser Distributor" });
      await section.waitFor();
      const address = await section.getAttribute("data-distributor");
      assert.ok(address);

      const deposit = section.getByTestId(`deposit-${address}`);
      await deposit.getByLabel(/Deposit into bDIST/).fill("1");
      await deposit.getByRole("button", { name: "Deposit" }).click();
      await deposit.getByRole("status").filter({ hasText: "included in block" }).waitFor();

      // One operator with a bond: its weight is the whole, capped at the reference strategy's 25%.
      const rebalance = section.getByTestId(`rebalance-${address}`);
      await rebalance.getByRole("button", { name: "Rebalance" }).click();
      await rebalance.getByRole("status").filter({ hasText: "included in block" }).waitFor();
      assert.match(await rebalance.getByTestId("rebalance-moves").innerText(), /: delegated 0\.25 wdivETH/);
      await page.waitForFunction(
        (a) =>
          /0\.25/.test(document.querySelector(`section[data-distributor='${a}'] table tbody tr`)?.textContent ?? ""),
        address,
      );

      const claim = section.getByTestId(`claim-${address}`);
      await claim.getByLabel(/Claim your queued redemption/).fill("0");
      await claim.getByRole("button", { name: "Claim" }).click();
      await claim.getByRole("alert").filter({ hasText: "positive integer" }).waitFor();
      const collect = section.getByTestId(`collect-${address}`);
      await collect.getByLabel(/Collect a rebalance/).fill("1");
      await collect.getByRole("button", { name: "Collect" }).click();
      await collect.getByRole("alert").filter({ hasText: "NothingToClaim" }).waitFor();

      // The staker is the curator: it may add operators, and the contract refuses one already in the set.
      const add = section.getByTestId(`add-operator-${address}`);
      await add.getByLabel(/Add a restaking operator/).fill(operator);
      await add.getByRole("button", { name: "Add operator" }).click();
      await add.getByRole("alert").filter({ hasText: "InvalidOperator" }).waitFor();
    });
  });

  it("shows an operator's strikes in the table and on its page, where anyone ejects it past the limit", async () => {
    const { page, appUrl, net } = h;
    await step(page, "strikes", async () => {
      // Operator 3 (bond 2) missed three DKGs in this frame (the registry's strike record, written directly).
      await net.strikeOperator(3n, 3);
      await page.goto(`${appUrl}/#/operators`);
      await page.reload(); // the operators query is cached from an earlier test
      const row = page.locator("[data-testid=operators-table] tr[data-operator-id='3']");
      await row.waitFor();
      assert.equal(await row.locator(".strikes").innerText(), "3 (3)");
      assert.equal(
        await page.locator("[data-testid=operators-table] tr[data-operator-id='2'] .strikes").innerText(),
        "none",
      );
      await page.goto(`${appUrl}/#/operators/3`);
      await pickDevnetAccount(page, STAKER);
      await page.getByTestId("operator-strikes").filter({ hasText: "3 in the last 6 oracle frames" }).waitFor();
      const eject = page.getByTestId("eject-form");
      await eject.getByRole("button", { name: "Eject operator" }).click();
      // Once mined, the page refreshes: the operator reads as ejected and the eject form is gone.
      await page.getByTestId("operator-status").filter({ hasText: "ejected" }).waitFor();
      assert.equal(await page.getByTestId("eject-form").count(), 0, "an ejected operator offers no eject");
    });
  });

  it("raised no uncaught error in the page", () => {
    assert.deepEqual(h.pageErrors, []);
  });
});
