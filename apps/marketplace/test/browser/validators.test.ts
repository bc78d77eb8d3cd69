import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { bondOperator, registerOperator, stake } from "@nektar/sdk";
import { keccak256, parseEther, toHex } from "viem";
import { buildApp, type Harness, startHarness, step } from "./harness.ts";

// A validator request on a real chain (16 bonded operators drawn, bond locked) as the Validators and Operators pages
// show it.

let h: Harness;
let requestId: bigint;

before(async () => {
  buildApp();
  h = await startHarness([{ index: 1, label: "staker" }]);
  const { net } = h;
  const { contracts } = net;
  for (let i = 2; i < 18; i++) {
    const owner = net.client(i);
    const { operatorId } = await registerOperator(owner, {
      contracts,
      signer: owner.account.address,
      nodeIdentity: keccak256(toHex(`node-${i}`)),
    });
    await bondOperator(owner, { contracts, operatorId, amount: parseEther("1.5") });
  }
  await stake(net.client(1), { contracts, amount: parseEther("33") });
  ({ requestId } = await net.requestAndDrawValidator(net.client(0)));
});
after(() => h?.close());

describe("validators and locked bond", () => {
  it("lists the request with its 16 operators, each linked to its page", async () => {
    const { page, appUrl } = h;
    await step(page, "validators", async () => {
      await page.goto(`${appUrl}/#/validators`);
      const row = page.getByTestId("validators-table").locator("tbody tr").first();
      await row.waitFor();
      const cells = await row.locator("td").allInnerTexts();
      assert.equal(cells[0], `#${requestId}`);
      assert.equal(cells[1], "requested");
      assert.equal(cells[2], "before deposit");
      const links = row.locator(".cluster a");
      assert.equal(await links.count(), 16);
      assert.equal(await links.first().getAttribute("title"), "share 1");
      const first = await links.first().innerText();
      await links.first().click();
      await page.getByRole("heading", { level: 1, name: `Operator #${first}` }).waitFor();
      assert.match(await page.getByTestId("operator-units").innerText(), /\/ [1-9]/, "bond is locked for the request");
    });
  });

  it("shows every drawn operator with locked units (and no key share before the DKG) in the operators table", async () => {
    const { page, appUrl } = h;
    await step(page, "locked", async () => {
      await page.goto(`${appUrl}/#/operators`);
      const table = page.getByTestId("operators-table");
      await table.locator("tbody tr").nth(15).waitFor();
      const rows = await table
        .locator("tbody tr")
        .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent ?? "")));
      assert.equal(rows.length, 16);
      for (const cells of rows) {
        assert.notEqual(cells[4], "0", "locked units");
        // Drawn, bond locked, but no key share until the DKG result is accepted.
        assert.equal(cells[5], "0", "key shares held");
      }
    });
    assert.deepEqual(h.pageErrors, []);
  });
});
