#!/usr/bin/env node
// `npm start`: the whole Nektar system on 127.0.0.1 (see README). Plain JavaScript on purpose: on a fresh clone this
// runs under the machine's Node (possibly 20) before `npm ci` has installed the repository's pinned Node 22.
// Arguments are passed to `nektar devnet up` (e.g. `npm start -- --operators 20 --validators 2 --slot-seconds 1`).
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const node22 = `${root}node_modules/.bin/node`;

if (!existsSync(`${root}node_modules`) || !existsSync(node22)) {
  console.log("» node_modules is missing: running npm ci");
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const ci = spawnSync(npm, ["ci", "--no-audit", "--no-fund"], { cwd: root, stdio: "inherit" });
  if (ci.status !== 0) {
    console.error("error: npm ci failed (see above)");
    process.exit(1);
  }
}
if (
  !existsSync(`${root}contracts/artifacts/src/diva/StakingPool.sol/StakingPool.json`) ||
  !existsSync(`${root}packages/sdk/src/generated/abis.ts`) ||
  !existsSync(`${root}packages/sdk/src/generated/bytecode.ts`)
) {
  console.log("» building the contracts and the SDK's ABIs: npm run build");
  const build = spawnSync(process.platform === "win32" ? "npm.cmd" : "npm", ["run", "build"], {
    cwd: root,
    stdio: "inherit",
  });
  if (build.status !== 0) {
    console.error("error: npm run build failed (see above)");
    process.exit(1);
  }
}

if (!existsSync(`${root}apps/marketplace/dist/index.html`)) {
  console.log("» building the marketplace web app: npm run build -w apps/marketplace");
  const build = spawnSync(
    process.platform === "win32" ? "npm.cmd" : "npm",
    ["run", "build", "-w", "apps/marketplace"],
    {
      cwd: root,
      stdio: "inherit",
    },
  );
  if (build.status !== 0) {
    console.error("error: building the marketplace failed (see above)");
    process.exit(1);
  }
}

const child = spawn(node22, [`${root}packages/cli/bin/nektar.js`, "devnet", "up", ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
});
// A terminal Ctrl-C already reaches the devnet (same process group), which stops every child by PID: ignore SIGINT here
// so it is not delivered twice; forward SIGTERM (e.g. from npm or a supervisor).
process.on("SIGINT", () => {});
process.on("SIGTERM", () => child.kill("SIGTERM"));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
