/**
 * Gas table of the operator registry: registerOperator, bond (divETH / wdivETH / ETH), requestValidator and its draw
 * (drawCluster) with 100, 1,000 and 10,000 registered operators, attestDkgResult, submitDkgResult, expireRequest, the
 * Withdrawn unlock and the penalty paths: a missed DKG (strikes, penalties, seats redrawn) and the permissionless
 * ejection.
 *
 * Every operator is registered and bonded for real through the registry's public functions (contract owners created in
 * batches by `OperatorFleet`), never by writing storage. Run from `contracts/`:
 *
 *     npx hardhat run bench/operators-gas.ts            # full table, writes snapshots/gas-operators.txt
 *     OPERATORS_BENCH_MAX=1000 npx hardhat run bench/operators-gas.ts   # quicker, stops at 1,000 operators
 */
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { network } from "hardhat";
import { type Hash, keccak256, maxUint256, parseEther, toHex } from "viem";
import {
  DKG_TIMEOUT,
  deployOperatorRegistry,
  nodeIdentity,
  Status,
  signerAccount,
} from "../test/unit/operators/fixture.ts";

const SIZES = [100, 1_000, 10_000].filter((n) => n <= Number(process.env.OPERATORS_BENCH_MAX ?? 10_000));
const REQUESTS_PER_SIZE = 10;
const GAS_TARGET_AT_10K = 400_000n;

const { viem } = await network.create({ override: { blockGasLimit: 60_000_000n } });
const s = await deployOperatorRegistry(viem);
const { deployer, admin, bob, carol } = s.accounts;
await s.testClient.setBalance({ address: deployer.account.address, value: parseEther("100000000") });

const rows: [string, string, bigint][] = [];
async function gasOf(hash: Promise<Hash>): Promise<bigint> {
  const receipt = await s.publicClient.waitForTransactionReceipt({ hash: await hash });
  if (receipt.status !== "success") throw new Error("transaction reverted");
  return receipt.gasUsed;
}
function record(name: string, detail: string, gas: bigint) {
  rows.push([name, detail, gas]);
  console.log(`${name.padEnd(26)} ${detail.padEnd(40)} ${gas.toString().padStart(10)}`);
}

// -------------------------------------------------------------------- operator functions (EOA owner)
const uri = "https://operators.example/nektar/bob.json";
record(
  "registerOperator",
  "first operator of an owner, 41-byte URI",
  await gasOf(
    s.registry.write.registerOperator([signerAccount(0, "eoa").address, nodeIdentity(0, "eoa"), uri], {
      account: bob.account,
    }),
  ),
);
await s.pool.write.stake({ account: bob.account, value: parseEther("20") });
await s.pool.write.approve([s.registry.address, maxUint256], { account: bob.account });
await s.pool.write.approve([s.wrapper.address, maxUint256], { account: bob.account });
await s.wrapper.write.wrap([parseEther("5")], { account: bob.account });
await s.wrapper.write.approve([s.registry.address, maxUint256], { account: bob.account });
record(
  "bondEther",
  "first bond of the operator",
  await gasOf(s.registry.write.bondEther([1n], { account: bob.account, value: parseEther("2") })),
);
record("bond (divETH)", "top-up", await gasOf(s.registry.write.bond([1n, parseEther("2")], { account: bob.account })));
record(
  "bondWrapped (wdivETH)",
  "top-up",
  await gasOf(s.registry.write.bondWrapped([1n, parseEther("2")], { account: bob.account })),
);
record(
  "bondEther",
  "top-up",
  await gasOf(s.registry.write.bondEther([1n], { account: bob.account, value: parseEther("2") })),
);
record(
  "unbond",
  "part of the free bond",
  await gasOf(s.registry.write.unbond([1n, 100n, bob.account.address], { account: bob.account })),
);
record(
  "updateOperator",
  "new signer and identity, same URI",
  await gasOf(
    s.registry.write.updateOperator([1n, signerAccount(1, "eoa").address, nodeIdentity(1, "eoa"), uri], {
      account: bob.account,
    }),
  ),
);

// The EOA operator leaves the draw so every drawn operator is a fleet operator whose signer the bench holds.
await s.registry.write.setOperatorPaused([1n, true], { account: bob.account });

// -------------------------------------------------------------------- draws at growing operator counts
// Uneven bonds between 1 and 16 ETH from a fixed xorshift sequence.
let x = 2026;
function nextBond(): bigint {
  x ^= x << 13;
  x >>>= 0;
  x ^= x >>> 17;
  x ^= x << 5;
  x >>>= 0;
  return parseEther(String(1 + (x % 16)));
}

let registered = 1;
let lastRequest: { requestId: bigint; operatorIds: number[] } | undefined;
const requestRows: [number, bigint[]][] = [];
for (const size of SIZES) {
  const started = Date.now();
  while (registered < size) {
    const batch = Math.min(500, size - registered);
    await s.addFleet(Array.from({ length: batch }, nextBond), "operator-signer", 50);
    registered += batch;
  }
  console.log(`# ${registered} operators registered (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  await s.fundBuffer(parseEther(String(32 * REQUESTS_PER_SIZE)));
  const gas: bigint[] = [];
  const requestGas: bigint[] = [];
  // Steady state: each request's DKG result is accepted before the next request, as on a live network.
  for (let i = 0; i < REQUESTS_PER_SIZE; i++) {
    if (lastRequest) await s.completeRequest(lastRequest.requestId, lastRequest.operatorIds);
    requestGas.push((await s.scheduleDraw()).receipt.gasUsed);
    const req = await s.drawCluster();
    gas.push(req.receipt.gasUsed);
    lastRequest = req;
  }
  requestRows.push([size, gas]);
  const max = gas.reduce((a, b) => (a > b ? a : b));
  const mean = gas.reduce((a, b) => a + b) / BigInt(gas.length);
  record(
    "requestValidator",
    `${size} operators, step 1 (freeze), mean`,
    requestGas.reduce((a, b) => a + b) / BigInt(requestGas.length),
  );
  record("drawCluster", `${size} operators, mean of ${gas.length}`, mean);
  record("drawCluster", `${size} operators, max of ${gas.length}`, max);
}

// -------------------------------------------------------------------- result, expiry, lifecycle
if (!lastRequest) throw new Error("no request made");
{
  const req = lastRequest;
  const { receipt, result } = await s.completeRequest(req.requestId, req.operatorIds);
  record("submitDkgResult", "16 EIP-712 signatures, BLS check, 1 ETH predeposit", receipt.gasUsed);
  await s.completeDeposit(result.groupPubkey);
  // Through the oracle relay: the registry's part of a proven status (the beacon proof is in bench/oracle-gas.ts).
  const status = (to: number) =>
    s.oracle.write.recordValidatorStatus([s.registry.address, req.requestId, to], { account: admin.account });
  record("recordValidatorStatus", "Deposited -> Active (registry part)", await gasOf(status(Status.Active)));
  record("recordValidatorStatus", "Active -> Withdrawn (unlocks 16 bonds)", await gasOf(status(Status.Withdrawn)));
}
/** The operators at `positions` of a request attest (any digest: they show they were there). */
async function attest(requestId: bigint, operatorIds: readonly number[], positions: readonly number[]) {
  for (const position of positions) {
    const [signer] = s.signersOf([operatorIds[position] ?? 0]);
    if (!signer) throw new Error("missing signer");
    await s.testClient.setBalance({ address: signer.address, value: parseEther("1") });
    await s.registry.write.attestDkgResult([requestId, keccak256(toHex("present"))], { account: signer });
  }
}
const positions = (n: number) => Array.from({ length: n }, (_, i) => i);
{
  const req = await s.requestValidator();
  const signer = s.signersOf([req.operatorIds[0] ?? 0])[0];
  if (!signer) throw new Error("missing signer");
  await s.testClient.setBalance({ address: signer.address, value: parseEther("1") });
  const r = s.makeResult();
  const digest = await s.registry.read.dkgResultDigest([
    req.requestId,
    r.groupPubkey,
    r.sharePubkeys,
    r.depositSignature,
    r.depositDataRoot,
  ]);
  record(
    "attestDkgResult",
    "first attestation",
    await gasOf(s.registry.write.attestDkgResult([req.requestId, digest], { account: signer })),
  );
  // Every other operator was there too (a disagreement): nobody is struck, the request expires.
  await attest(req.requestId, req.operatorIds, positions(16).slice(1));
  await s.testClient.increaseTime({ seconds: Number(DKG_TIMEOUT) });
  await s.testClient.mine({ blocks: 1 });
  record(
    "expireRequest",
    "all attested: unlocks 16 bonds, releases 32 ETH",
    await gasOf(s.registry.write.expireRequest([req.requestId], { account: carol.account })),
  );
}
// -------------------------------------------------------------------- penalty paths
for (const absent of [1, 2]) {
  await s.fundBuffer(parseEther("32"));
  const req = await s.requestValidator();
  await attest(req.requestId, req.operatorIds, positions(16 - absent));
  await s.testClient.increaseTime({ seconds: Number(DKG_TIMEOUT) });
  await s.testClient.mine({ blocks: 1 });
  record(
    "expireRequest",
    `missed DKG, ${absent} absent: strike + penalty + redraw scheduled`,
    await gasOf(s.registry.write.expireRequest([req.requestId], { account: carol.account })),
  );
  const redrawn = await s.drawCluster();
  record("drawCluster", `redraw of ${absent} seat(s), ${registered} operators`, redrawn.receipt.gasUsed);
  await s.completeRequest(redrawn.requestId, redrawn.operatorIds);
}
{
  // The last redraw: the request expires with its one absent operator struck and penalized.
  await s.fundBuffer(parseEther("32"));
  const req = await s.requestValidator();
  let operatorIds = req.operatorIds;
  const maxRedraws = Number(await s.registry.read.MAX_REDRAWS());
  for (let i = 0; i <= maxRedraws; i++) {
    await attest(req.requestId, operatorIds, positions(15));
    await s.testClient.increaseTime({ seconds: Number(DKG_TIMEOUT) });
    await s.testClient.mine({ blocks: 1 });
    const hash = s.registry.write.expireRequest([req.requestId], { account: carol.account });
    if (i < maxRedraws) {
      await gasOf(hash);
      operatorIds = (await s.drawCluster()).operatorIds;
    } else {
      record("expireRequest", "missed DKG, no redraw left: strike + penalty + expiry", await gasOf(hash));
    }
  }
}
{
  // Ejection on a small registry with the test harness's `strike` entry (the harness exceeds the size limit).
  const { viem: big } = await network.create({ override: { allowUnlimitedContractSize: true } });
  const h = await deployOperatorRegistry(big, { harness: true });
  await h.addFleet([parseEther("2")]);
  for (let i = 0; i < 3; i++) await h.harness?.write.strike([1n]);
  const receipt = await h.publicClient.waitForTransactionReceipt({
    hash: await h.registry.write.ejectOperator([1n], { account: h.accounts.carol.account }),
  });
  record("ejectOperator", "3 strikes in the window, leaves the draw", receipt.gasUsed);
}

const at10k = requestRows.find(([size]) => size === 10_000);
const worst10k = at10k ? at10k[1].reduce((a, b) => (a > b ? a : b)) : undefined;
const lines = [
  "# Operator registry gas (hardhat EDR, prague, solc 0.8.30 optimizer 200 runs via IR for the registry, its draws in the linked ClusterDraw)",
  `# drawCluster (the draw) target at 10,000 operators: <= ${GAS_TARGET_AT_10K}` +
    (worst10k === undefined ? "" : ` (measured max ${worst10k}: ${worst10k <= GAS_TARGET_AT_10K ? "OK" : "OVER"})`),
  "# function | case | gas",
  ...rows.map(([name, detail, gas]) => `${name} | ${detail} | ${gas}`),
  "",
];
if (SIZES.includes(10_000)) {
  const out = fileURLToPath(new URL("../snapshots/gas-operators.txt", import.meta.url));
  await writeFile(out, lines.join("\n"));
  console.log(`written to ${out}`);
} else {
  console.log(lines.join("\n"));
}
