/**
 * Gas of the proof libraries. Each row is one transaction to a harness (`BeaconProofsHarness`, `BLSHarness`):
 *
 * - "tx": gas used by the transaction alone (21,000 intrinsic and calldata included). Proof transactions are
 *   calldata-heavy, so most pay the EIP-7623 calldata floor (10 gas per token, 40 per non-zero byte) rather than
 *   16 gas per non-zero byte plus execution.
 * - "bytes": calldata length.
 * - "execution": gas of the check itself, measured with `gasleft()` around an inner call (`GasMeter.measureGas`,
 *   ~1k overhead included): what it adds inside a larger transaction besides its calldata.
 * - The last two rows are whole transactions on the deployed contracts (registry, pool, deposit contract): the DKG
 *   result with its on-chain deposit-signature check and 1 ETH predeposit, and the 31 ETH completion with its
 *   credentials proof (bytes not measured: 0).
 * - Batch rows are marginal: (tx of a batch of 5 − tx of a batch of 1) / 4, one EIP-4788 root and list-root proof
 *   shared by the batch.
 *
 * Beacon proofs use the real devnet state of `test/fixtures/beacon-proofs.json` and read the root from the EIP-4788
 * contract (cold account and two cold storage reads included). Run from `contracts/`:
 * `npx hardhat run bench/proofs-gas.ts` (also part of `npm run bench`); writes `snapshots/gas-proofs.txt`.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { SecretKey } from "@chainsafe/blst";
import { computeDepositMessageSigningRoot, g1PointFromPublicKey, g2PointFromSignature } from "@nektar/crypto";
import { network } from "hardhat";
import { bytesToHex, concatHex, encodeFunctionData, type Hex, hexToBytes, numberToHex, stringToHex } from "viem";
import { type BeaconProofFixtures, splitAtList, validatorStruct } from "../test/helpers/beaconProofs.ts";
import { g1Point, g2Point } from "../test/helpers/bls.ts";
import { GAS_OPERATIONS, measureDepositGuaranteeGas } from "./operations.ts";
import { writeSnapshot } from "./snapshot.ts";

const SNAPSHOT = fileURLToPath(new URL("../snapshots/gas-proofs.txt", import.meta.url));
const VALIDATOR_PROOF_TARGET = 60_000n;
const BEACON_ROOTS = "0x000F3df6D732807Ef1319fB7B8bB8522d0Beac02";

const { viem } = await network.create();
const publicClient = await viem.getPublicClient();
const testClient = await viem.getTestClient();
const [firstWallet] = await viem.getWalletClients();
if (firstWallet === undefined) throw new Error("no wallet client");
const wallet = firstWallet;
const proofs = await viem.deployContract("BeaconProofsHarness");
const bls = await viem.deployContract("BLSHarness");
const performance = await viem.deployContract("PerformanceStatementHarness");

type Row = { name: string; tx: bigint; bytes: number; execution?: bigint; target?: bigint };
const rows: Row[] = [];

async function txGas(to: Hex, data: Hex): Promise<bigint> {
  const receipt = await publicClient.waitForTransactionReceipt({ hash: await wallet.sendTransaction({ to, data }) });
  if (receipt.status !== "success") throw new Error(`transaction to ${to} reverted`);
  return receipt.gasUsed;
}
/** Records the transaction gas of `data` sent to `harness`, and its execution gas measured inside the harness. */
async function measure(
  name: string,
  harness: typeof proofs | typeof bls | typeof performance,
  data: Hex,
  target?: bigint,
) {
  const { result: execution } = await harness.simulate.measureGas([data]);
  rows.push({
    name,
    tx: await txGas(harness.address, data),
    bytes: (data.length - 2) / 2,
    execution,
    ...(target === undefined ? {} : { target }),
  });
}

// ---------------------------------------------------------------- beacon proofs (real devnet state)
const fixtures = JSON.parse(
  readFileSync(new URL("../test/fixtures/beacon-proofs.json", import.meta.url), "utf8"),
) as BeaconProofFixtures;
const v = fixtures.validators.find((x) => x.index === 16);
const credentials = v?.fieldProofs.withdrawalCredentials;
if (v === undefined || credentials === undefined) throw new Error("fixture validator 16 missing");
const timestamp = BigInt(Math.floor(Date.now() / 1000)) + 100_000n;
const word = (n: bigint) => numberToHex(n, { size: 32 });
await testClient.setStorageAt({ address: BEACON_ROOTS, index: word(timestamp % 8191n), value: word(timestamp) });
await testClient.setStorageAt({
  address: BEACON_ROOTS,
  index: word((timestamp % 8191n) + 8191n),
  value: fixtures.blockRoot,
});
const index = BigInt(v.index);
const call = (functionName: string, args: readonly unknown[]) =>
  encodeFunctionData({ abi: proofs.abi, functionName, args } as Parameters<typeof encodeFunctionData>[0]);

await measure(
  "validator balance proof (48 hashes)",
  proofs,
  call("verifyBalanceAtTimestamp", [timestamp, index, v.balanceProof.leaf, v.balanceProof.proof]),
  VALIDATOR_PROOF_TARGET,
);
await measure(
  "  same, block root given (no EIP-4788 read)",
  proofs,
  call("verifyBalance", [fixtures.blockRoot, index, v.balanceProof.leaf, v.balanceProof.proof]),
);
await measure(
  "credentials proof (53 hashes)",
  proofs,
  call("verifyCredentialsAtTimestamp", [timestamp, index, credentials.leaf, credentials.proof]),
  VALIDATOR_PROOF_TARGET,
);
await measure(
  "validator record proof (8 fields, 50 hashes)",
  proofs,
  call("verifyValidatorAtTimestamp", [timestamp, index, validatorStruct(v.validator), v.validatorProof.proof]),
  VALIDATOR_PROOF_TARGET,
);
const batch = fixtures.validators.map((x) => ({
  index: BigInt(x.index),
  chunk: x.balanceProof.leaf,
  ...splitAtList(x.balanceProof.leaf, x.balanceProof.proof, BigInt(x.balanceProof.gindex), 39),
}));
const batchCall = (items: typeof batch) =>
  call("verifyBalancesAtTimestamp", [
    timestamp,
    items[0]?.listRoot,
    items[0]?.rootProof,
    items.map((b) => b.index),
    items.map((b) => b.chunk),
    items.map((b) => b.inList),
  ]);
const one = await txGas(proofs.address, batchCall(batch.slice(0, 1)));
const five = await txGas(proofs.address, batchCall(batch));
rows.push({
  name: "balance proof per validator, batch (39 hashes)",
  tx: (five - one) / BigInt(batch.length - 1),
  bytes: (batchCall(batch).length - batchCall(batch.slice(0, 1)).length) / 2 / (batch.length - 1),
  target: VALIDATOR_PROOF_TARGET,
});

// ---------------------------------------------------------------- BLS
const DST = stringToHex("BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_");
const sk = SecretKey.deriveMasterEip2333(new Uint8Array(32).fill(1));
const pk = sk.toPublicKey();
const message = new Uint8Array(32).fill(0x5a);
const sig = sk.sign(message);
await measure(
  "BLS verify (32-byte message)",
  bls,
  encodeFunctionData({
    abi: bls.abi,
    functionName: "verify",
    args: [g1Point(pk), bytesToHex(message), g2Point(sig), DST],
  }),
);
const wc = concatHex(["0x01", bytesToHex(new Uint8Array(11)), "0x00000000219ab540356cbb839cbe05303d7705fa"]);
const fork = "0x00000000" as const;
const depositSig = sk.sign(
  computeDepositMessageSigningRoot({
    pubkey: pk.toBytes(),
    withdrawalCredentials: hexToBytes(wc),
    amountGwei: 1_000_000_000n,
    forkVersion: hexToBytes(fork),
  }),
);
await measure(
  "deposit signature check",
  bls,
  encodeFunctionData({
    abi: bls.abi,
    functionName: "verifyDepositSignature",
    args: [
      bytesToHex(pk.toBytes()),
      g1Point(pk),
      wc,
      1_000_000_000n,
      bytesToHex(depositSig.toBytes()),
      g2Point(depositSig),
      fork,
    ],
  }),
);
const keys = Array.from({ length: 16 }, (_, i) => SecretKey.deriveMasterEip2333(new Uint8Array(32).fill(i + 2)));
await measure(
  "aggregate 16 public keys (G1ADD)",
  bls,
  encodeFunctionData({
    abi: bls.abi,
    functionName: "aggregateG1",
    args: [concatHex(keys.map((k) => g1Point(k.toPublicKey())))],
  }),
);

// A per-share performance statement (16 shares) signed 11-of-16 by Stinger's agreement code, checked with EIP-2537.
const statement = JSON.parse(
  readFileSync(new URL("../test/fixtures/performance-statement.json", import.meta.url), "utf8"),
) as { genesisForkVersion: Hex; signature: Hex; statement: Record<string, unknown> & { validatorPubkey: Hex } };
await measure(
  "performance statement check (16 shares, 11-of-16)",
  performance,
  encodeFunctionData({
    abi: performance.abi,
    functionName: "verify",
    args: [
      {
        chainId: BigInt(statement.statement.chainId as string),
        oracle: statement.statement.oracle as Hex,
        validatorPubkey: statement.statement.validatorPubkey,
        frame: BigInt(statement.statement.frame as string),
        expected: statement.statement.expected as number[],
        contributed: statement.statement.contributed as number[],
      },
      statement.genesisForkVersion,
      bytesToHex(g1PointFromPublicKey(hexToBytes(statement.statement.validatorPubkey))),
      statement.signature,
      bytesToHex(g2PointFromSignature(hexToBytes(statement.signature))),
    ],
  }),
);

// ---------------------------------------------------------------- the deposit guarantee on the real contracts
// The same two transactions `snapshots/gas.txt` commits and `test/unit/GasSnapshot.test.ts` re-measures.
for (const [name, gas] of await measureDepositGuaranteeGas(viem)) {
  const target = GAS_OPERATIONS.find((o) => o.name === name)?.target;
  rows.push({ name, tx: gas, bytes: 0, ...(target === undefined ? {} : { target }) });
}

const table = [
  "# Proof libraries gas snapshot (see bench/proofs-gas.ts for what each column means).",
  "# Generated by `npx hardhat run bench/proofs-gas.ts` (contracts/bench/proofs-gas.ts); do not edit by hand.",
  `| ${"check".padEnd(50)} | ${"tx".padStart(7)} | ${"bytes".padStart(5)} | ${"execution".padStart(9)} | ${"target (tx)".padEnd(12)} |`,
  `|${"-".repeat(52)}|${"-".repeat(9)}|${"-".repeat(7)}|${"-".repeat(11)}|${"-".repeat(14)}|`,
  ...rows.map(({ name, tx, bytes, execution, target }) => {
    const verdict = target === undefined ? "" : tx <= target ? `≤ ${target} ok` : `> ${target} over`;
    return `| ${name.padEnd(50)} | ${String(tx).padStart(7)} | ${String(bytes).padStart(5)} | ${String(execution ?? "").padStart(9)} | ${verdict.padEnd(12)} |`;
  }),
  "",
].join("\n");
writeSnapshot(SNAPSHOT, table);
