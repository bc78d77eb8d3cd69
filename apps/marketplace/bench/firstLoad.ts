// First load of the static build: gzip size of the JavaScript the first page (stake) loads, and the time until it is
// interactive in headless Chromium (config fetched, chain read, the stake form enabled for a devnet account).
// Target: ≤ 200 kB gzipped JS for the first page.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { MARKETPLACE_DIST } from "../server/serve.ts";
import { buildApp, startHarness } from "../test/browser/harness.ts";

buildApp();
const h = await startHarness([{ index: 1, label: "staker" }]);
try {
  const { page, appUrl } = h;
  const scripts = new Set<string>();
  page.on("request", (r) => {
    if (r.resourceType() === "script") scripts.add(new URL(r.url()).pathname);
  });
  const times: number[] = [];
  for (let run = 0; run < 3; run++) {
    await page.goto("about:blank");
    const t0 = Date.now();
    await page.goto(`${appUrl}/#/stake`);
    await page.getByTestId("share-rate").waitFor();
    times.push(Date.now() - t0);
  }
  const gz = [...scripts].map((p) => gzipSync(readFileSync(`${MARKETPLACE_DIST}${p.replace(/^\//, "")}`)).length);
  const total = gz.reduce((a, b) => a + b, 0);
  console.log(`first page JS: ${scripts.size} files, ${(total / 1024).toFixed(1)} kB gzipped (target ≤ 200 kB)`);
  console.log(`time to interactive (full load → pool data shown, 3 loads): ${times.join(", ")} ms`);
} finally {
  await h.close();
}
