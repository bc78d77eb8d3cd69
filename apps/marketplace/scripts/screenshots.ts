// Regenerates the README's screenshots (docs/*.png) from the real app: an in-process devnet with a few operators, a
// staker's position and a withdrawal request, restaking (a veto Network, opt-ins, delegations, rewards paid, one
// executed slash) and a Distributor, rendered in headless Chromium. Run: npm run screenshots -w apps/marketplace
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  bondOperator,
  createDistributor,
  depositDistributor,
  depositRestake,
  distributeNetworkRewards,
  getRestakingState,
  registerOperator,
  registerRestakingOperator,
  requestWithdrawal,
  resolveSlashRequest,
  setNetworkMembership,
  slashOperator,
  stake,
  wrap,
} from "@nektar/sdk";
import { parseEther } from "viem";
import { buildApp, pickDevnetAccount, registerDevnetNetwork, startHarness } from "../test/browser/harness.ts";

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

  // Restaking: operators #1-#3's owners restake; #1 and #2 serve a veto Network, which pays an epoch's rewards and
  // slashes #2 once.
  const network = net.client(8);
  const networkId = await registerDevnetNetwork(h, 8);
  const restakers = [5, 6, 7].map((i) => net.client(i));
  for (const [n, operator] of restakers.entries()) {
    await registerRestakingOperator(operator, { contracts, commissionBps: [1_000n, 500n, 800n][n] ?? 1_000n });
    if (n < 2) await setNetworkMembership(operator, { contracts, networkId, membership: "in" });
  }
  const [op1, op2, op3] = restakers.map((r) => r.account.address) as [`0x${string}`, `0x${string}`, `0x${string}`];
  for (const [operator, amount] of [
    [op1, "3"],
    [op2, "2"],
    [op3, "1"],
  ] as const) {
    await depositRestake(staker, { contracts, operator, amount: parseEther(amount) });
  }
  // Deposits are active from the epoch after next; the Network pays for the first finished epoch they count in.
  await net.increaseTime(3 * 3_600);
  const { epoch } = await getRestakingState(network, { contracts, operators: [] });
  await distributeNetworkRewards(network, {
    contracts,
    networkId,
    epoch: epoch - 1n,
    operators: [op1, op2],
    total: parseEther("0.2"),
  });
  const block = await network.getBlock();
  await slashOperator(network, {
    contracts,
    networkId,
    operator: op2,
    captureTimestamp: Number(block.timestamp - 1n),
    amount: parseEther("0.1"),
  });
  await net.increaseTime(600);
  await resolveSlashRequest(network, { contracts, requestId: 1n, action: "execute" });
  // A Distributor over #1 and #3, with the staker's wdivETH in it.
  const { distributor } = await createDistributor(net.client(9), {
    contracts,
    name: "Balanced divETH",
    symbol: "bDIV",
    operators: [op1, op3],
  });
  await wrap(staker, { contracts, amount: parseEther("2") });
  await depositDistributor(staker, { contracts, distributor, amount: parseEther("1") });

  mkdirSync(DOCS, { recursive: true });
  await page.setViewportSize({ width: 1400, height: 900 });
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
  await page.getByTestId("restake-positions").waitFor();
  await page.screenshot({ path: `${DOCS}restake.png`, fullPage: true });
  await page.goto(`${appUrl}/#/networks`);
  await page.getByTestId("networks-table").waitFor();
  await page.screenshot({ path: `${DOCS}networks.png`, fullPage: true });
  await page.goto(`${appUrl}/#/distributors`);
  await page.getByTestId("share-price").waitFor();
  await page.screenshot({ path: `${DOCS}distributors.png`, fullPage: true });
  console.log(`screenshots written to ${DOCS}`);
} finally {
  await h.close();
}
