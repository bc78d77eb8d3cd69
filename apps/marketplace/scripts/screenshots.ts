// Regenerates the README's screenshots (docs/*.png) from the real app: an in-process devnet with a few operators, a
// staker's position and a withdrawal request, rendered in headless Chromium. Run: npm run screenshots -w apps/marketplace
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { bondOperator, registerOperator, requestWithdrawal, stake } from "@nektar/sdk";
import { parseEther } from "viem";
import { buildApp, pickDevnetAccount, startHarness } from "../test/browser/harness.ts";

const DOCS = fileURLToPath(new URL("../docs/", import.meta.url));
const STAKER = 1;

buildApp();
const h = await startHarness([
  { index: STAKER, label: "staker" },
  { index: 5, label: "operator #1 owner" },
]);
try {
  const { net, page, appUrl } = h;
  const { contracts } = net;
  for (const [i, bond] of [
    [5, "2"],
    [6, "5"],
    [7, "3"],
    [9, "1.5"],
  ] as const) {
    const owner = net.client(i);
    const { operatorId } = await registerOperator(owner, {
      contracts,
      signer: owner.account.address,
      nodeIdentity: `0x${i.toString(16).padStart(64, "0")}`,
      metadataURI: "",
    });
    await bondOperator(owner, { contracts, operatorId, amount: parseEther(bond) });
  }
  const staker = net.client(STAKER);
  await stake(staker, { contracts, amount: parseEther("12") });
  for (const reward of ["0.05", "0.08", "0.06"]) {
    await net.client(0).sendTransaction({ to: contracts.withdrawalVault, value: parseEther(reward) });
    // Operator 2 (5 ETH of bond) posts the next frame's report; it applies after the challenge window.
    await net.reportNextFrame(net.client(6));
  }
  await requestWithdrawal(staker, { contracts, amount: parseEther("1") });

  mkdirSync(DOCS, { recursive: true });
  await page.setViewportSize({ width: 1100, height: 900 });
  await page.goto(`${appUrl}/#/stake`);
  await pickDevnetAccount(page, STAKER);
  await page.locator("[data-testid=withdrawals] tbody tr").first().waitFor();
  await page.screenshot({ path: `${DOCS}stake.png`, fullPage: true });
  await page.goto(`${appUrl}/#/operators`);
  await page.getByTestId("operators-table").waitFor();
  await page.screenshot({ path: `${DOCS}operators.png`, fullPage: true });
  await page.goto(`${appUrl}/#/operators/2`);
  await page.getByTestId("operator-bond").waitFor();
  await page.screenshot({ path: `${DOCS}operator.png`, fullPage: true });
  await page.goto(`${appUrl}/#/restake`);
  await page.getByRole("note").last().waitFor();
  await page.screenshot({ path: `${DOCS}restake.png`, fullPage: true });
  console.log(`screenshots written to ${DOCS}`);
} finally {
  await h.close();
}
