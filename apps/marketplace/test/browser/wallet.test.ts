import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { getAddress } from "viem";
import { buildApp, type Harness, startHarness, step } from "./harness.ts";

// The injected-wallet path (wagmi, EIP-6963 discovery): a minimal wallet announces itself in the page and signs through
// the node's unlocked account, as a browser extension would hand `eth_sendTransaction` to its own signer.

const WALLET_ACCOUNT = 8;
let h: Harness;

function injectWallet({ account, chainId }: { account: string; chainId?: string }) {
  // Like a real wallet: no account is exposed until the site asks for one (eth_requestAccounts).
  let authorized = false;
  const provider = {
    async request({ method, params }: { method: string; params?: unknown[] }) {
      if (method === "eth_requestAccounts") authorized = true;
      if (method === "eth_requestAccounts" || method === "eth_accounts") return authorized ? [account] : [];
      if (method === "eth_chainId" && chainId !== undefined) return chainId;
      const reply = await fetch("/rpc", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params: params ?? [] }),
      });
      const json = (await reply.json()) as {
        result?: unknown;
        error?: { code: number; message: string; data?: unknown };
      };
      if (json.error) throw Object.assign(new Error(json.error.message), json.error);
      return json.result;
    },
    on() {},
    removeListener() {},
  };
  const announce = () =>
    window.dispatchEvent(
      new CustomEvent("eip6963:announceProvider", {
        detail: Object.freeze({
          info: {
            uuid: "6f1b3c0e-8a55-4a55-9b8e-000000000001",
            name: "Test Wallet",
            icon: "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E",
            rdns: "org.nektar.testwallet",
          },
          provider,
        }),
      }),
    );
  window.addEventListener("eip6963:requestProvider", announce);
  announce();
}

before(async () => {
  buildApp();
  h = await startHarness([{ index: 1, label: "staker" }]);
});
after(() => h?.close());

describe("injected wallet (EIP-6963)", () => {
  it("lists the wallet by name, connects it and stakes and wraps through it", async () => {
    const { page, appUrl, net } = h;
    const account = getAddress(net.accounts[WALLET_ACCOUNT] ?? "");
    await step(page, "wallet", async () => {
      await page.context().addInitScript(injectWallet, { account });
      await page.goto(`${appUrl}/#/stake`);
      await page.getByRole("button", { name: "Connect Test Wallet" }).click();
      await page.getByText(`Wallet ${account.slice(0, 6)}`).waitFor();
      assert.equal(
        await page.getByLabel(/devnet account/).count(),
        0,
        "development mode hides while a wallet is connected",
      );
      await page.getByLabel("Stake (ETH)").fill("1");
      await page.getByRole("button", { name: "Stake", exact: true }).click();
      await page.getByTestId("stake-form").getByRole("status").filter({ hasText: "included in block" }).waitFor();
      await page.waitForFunction(() => document.querySelector('[data-testid="diveth-balance"]')?.textContent === "1");
      await page.getByLabel("Wrap (divETH)").fill("0.5");
      await page.getByRole("button", { name: "Wrap", exact: true }).click();
      await page.getByTestId("wrap-form").getByRole("status").filter({ hasText: "included in block" }).waitFor();
      await page.waitForFunction(() => document.querySelector('[data-testid="wdiveth-balance"]')?.textContent !== "0");
      await page.getByRole("button", { name: "Disconnect" }).click();
      await page.getByLabel(/devnet account/).waitFor();
    });
    assert.deepEqual(h.pageErrors, []);
  });

  it("refuses to send from a wallet on another chain, with the app's hint", async () => {
    const { browser, appUrl, net } = h;
    const account = getAddress(net.accounts[WALLET_ACCOUNT] ?? "");
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await step(page, "wrong-chain", async () => {
        await context.addInitScript(injectWallet, { account, chainId: "0x1" });
        await page.goto(`${appUrl}/#/stake`);
        await page.getByRole("button", { name: "Connect Test Wallet" }).click();
        await page.getByText(`Wallet ${account.slice(0, 6)}`).waitFor();
        await page.getByLabel("Stake (ETH)").fill("1");
        await page.getByRole("button", { name: "Stake", exact: true }).click();
        const alert = page.getByTestId("stake-form").getByRole("alert");
        await alert.waitFor();
        const text = await alert.innerText();
        assert.match(text, /the wallet is on chain 1, the deployment on 31337/);
        assert.match(text, /Switch your wallet to the chain of this deployment/);
        assert.match(text, /ERR_WRONG_WALLET_CHAIN/);
      });
    } finally {
      await context.close();
    }
  });
});
