/**
 * The devnet's finality-relay wiring against a Hardhat node child (no beacon chain, no Stinger): the relay deploys and
 * registers, the members' networks.json name the module (the demo switch on one of them), the members restake and opt
 * in and a staker delegates, keys registered by the client show on the status, and the `finality-network` command line
 * finds the relay through the record beside the manifest.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { SecretKey } from "@chainsafe/blst";
import {
  finalityRelayAbi,
  payFinalityRewards,
  registerNetworkKey,
  submitFinalityCertificate,
} from "@nektar/finality-network/client";
import {
  deployDepositContract,
  deployNektar,
  type NektarManifest,
  nektarChain,
  networkRegistryAbi,
  restakingVaultAbi,
  writeManifest,
} from "@nektar/sdk";
import { NetworkKey } from "@nektar/stinger";
import { bytesToHex, createPublicClient, createTestClient, type Hex, hexToBytes, http } from "viem";
import { DEPLOYER_ACCOUNT, devnetClient, FIRST_STAKER_ACCOUNT, fund } from "../../src/devnet/accounts.ts";
import {
  DEVNET_VAULT_EPOCH_BEACON_EPOCHS,
  deployFinalityNetwork,
  devnetVaultEpochSeconds,
  FINALITY_NETWORK_FILE,
  joinFinalityNetwork,
  readFinalityStatus,
} from "../../src/devnet/network.ts";
import { type DevnetOperator, operatorClient } from "../../src/devnet/operators.ts";
import { CONTRACTS_DIR, HARDHAT_CLI, REPO_ROOT } from "../../src/devnet/paths.ts";
import {
  answersJsonRpc,
  freePorts,
  type ManagedProcess,
  runProcess,
  startProcess,
  stopProcess,
} from "../../src/devnet/processes.ts";
import { cli } from "../helpers/chain.ts";

const dir = mkdtempSync(join(tmpdir(), "nektar-finality-"));
let node: ManagedProcess | undefined;
let rpcUrl = "";
before(async () => {
  const [port] = await freePorts(1);
  rpcUrl = `http://127.0.0.1:${port}`;
  node = await startProcess({
    role: "hardhat-node",
    args: [HARDHAT_CLI, "node", "--hostname", "127.0.0.1", "--port", String(port)],
    cwd: CONTRACTS_DIR,
    logsDir: join(dir, "logs"),
    ready: answersJsonRpc(rpcUrl),
  });
});
after(async () => {
  if (node) await stopProcess(node.child);
  rmSync(dir, { recursive: true, force: true });
});

describe("devnet finality relay on a Hardhat node", () => {
  it("deploys, opts half of the operators in with stake and a delegation, and shows keys registered", async () => {
    const chainId = await createPublicClient({ transport: http(rpcUrl) }).getChainId();
    const chain = nektarChain(chainId, rpcUrl, "test");
    const deployer = devnetClient(chain, rpcUrl, DEPLOYER_ACCOUNT);
    const depositContract = await deployDepositContract(deployer);
    const deployed = await deployNektar({
      rpcUrl,
      account: deployer.account,
      depositContract,
      restakingEpochSeconds: devnetVaultEpochSeconds(1),
    });
    const manifest: NektarManifest = deployed;
    const manifestPath = join(dir, "manifest.json");
    writeManifest(manifestPath, manifest);
    const { contracts } = manifest;
    const now = Number((await deployer.getBlock()).timestamp);
    const network = await deployFinalityNetwork({
      deployer,
      contracts,
      manifestPath,
      dir,
      beaconGenesis: now,
      slotSeconds: 1,
      operators: 5,
      demoSlash: true,
    });
    assert.deepEqual(network.members, [0, 1]);
    assert.equal(network.equivocator, 1);
    assert.equal(network.networksFile(2), undefined);
    const entries = [0, 1].map(
      (i) => JSON.parse(readFileSync(network.networksFile(i) as string, "utf8")).networks[0] as Record<string, unknown>,
    );
    assert.deepEqual(entries[0], {
      module: "@nektar/finality-network/module",
      contract: network.relay,
      networkId: network.networkId.toString(),
      options: {},
    });
    assert.deepEqual(entries[1]?.options, { unsafeEquivocateOnceCertified: true });
    assert.ok(existsSync(join(dir, FINALITY_NETWORK_FILE)));

    const operators = await Promise.all(
      [0, 1, 2].map(async (index) => {
        const client = operatorClient(chain, rpcUrl, index);
        await fund(client, "100");
        return { index, client } as unknown as DevnetOperator;
      }),
    );
    const delegator = devnetClient(chain, rpcUrl, FIRST_STAKER_ACCOUNT);
    await fund(delegator, "100");
    const events = await joinFinalityNetwork({ network, operators, delegator, contracts });
    assert.match(events[0] ?? "", /2 operators opted in to the finality relay/);
    assert.match(events[1] ?? "", /delegated 2 divETH to each of 2 relay operators/);
    const at = (await deployer.getBlock()).timestamp;
    for (const o of operators) {
      const opted = await deployer.readContract({
        address: contracts.networkRegistry,
        abi: networkRegistryAbi,
        functionName: "isOptedIn",
        args: [network.networkId, o.client.account.address, at],
      });
      assert.equal(opted, o.index < 2, `operator ${o.index}`);
    }
    // What each member's module does at its first epoch after the opt-in.
    const keys = [0, 1].map((i) => SecretKey.fromKeygen(new Uint8Array(32).fill(i + 1)));
    for (const [i, o] of operators.slice(0, 2).entries()) {
      const key = new NetworkKey(keys[i] as SecretKey);
      await registerNetworkKey(o.client, { relay: network.relay, registry: contracts.networkRegistry, key });
    }
    const status = await readFinalityStatus(deployer, { network, delegator: delegator.account.address, contracts });
    assert.equal(status.optedIn, 2);
    assert.equal(status.keyed, 2);
    assert.equal(status.lastEpoch, undefined);
    assert.equal(status.claimable, 0n);
    assert.equal(DEVNET_VAULT_EPOCH_BEACON_EPOCHS, 4);

    // The relay's own command line finds the relay beside the manifest.
    const printed = await runProcess({
      role: "finality-network-status",
      args: [
        join(REPO_ROOT, "examples/finality-network/bin/finality-network.ts"),
        "status",
        "--manifest",
        manifestPath,
        "--json",
      ],
      cwd: REPO_ROOT,
      logsDir: join(dir, "logs"),
    });
    const json = JSON.parse(printed.trim().split("\n").at(-1) ?? "") as {
      relay: string;
      operators: unknown[];
      networkId: string;
    };
    assert.equal(json.relay, network.relay);
    assert.equal(json.networkId, network.networkId.toString());
    assert.equal(json.operators.length, 2);

    // Certify → reward paid through the vault → the delegator claims with `nektar restake claim` (what the modules
    // and the devnet's staker do over minutes, here with the chain's clock moved on).
    const testClient = createTestClient({ mode: "hardhat", transport: http(rpcUrl) });
    const vaultEpochSeconds = Number(devnetVaultEpochSeconds(1));
    const nextVaultEpoch = async () => {
      await testClient.increaseTime({ seconds: vaultEpochSeconds + 1 });
      await testClient.mine({ blocks: 1 });
    };
    await nextVaultEpoch(); // the restaked stake activates
    await nextVaultEpoch();
    const read = { address: network.relay, abi: finalityRelayAbi } as const;
    const epoch = await deployer.readContract({ ...read, functionName: "latestFinalizableEpoch" });
    const statement = {
      epoch,
      checkpointRoot: `0x${"a1".repeat(32)}` as Hex,
      executionBlockHash: `0x${"b2".repeat(32)}` as Hex,
    };
    const digest = hexToBytes(
      await deployer.readContract({ ...read, functionName: "statementDigest", args: [statement] }),
    );
    const vaultEpoch = await deployer.readContract({
      address: contracts.restakingVault,
      abi: restakingVaultAbi,
      functionName: "currentEpoch",
    });
    const certified = await submitFinalityCertificate(deployer, {
      relay: network.relay,
      statement,
      signatures: operators.slice(0, 2).map((o, i) => ({
        operator: o.client.account.address,
        signature: bytesToHex((keys[i] as SecretKey).sign(digest).toBytes()),
      })),
    });
    assert.equal(certified.signers, 0b11n);
    assert.ok(certified.reward > 0n, "the relay pays for the certificate");
    await nextVaultEpoch();
    const paid = await payFinalityRewards(deployer, { relay: network.relay, vaultEpoch });
    assert.equal(paid.total, certified.reward);
    const accrued = await readFinalityStatus(deployer, { network, delegator: delegator.account.address, contracts });
    assert.equal(accrued.lastEpoch, epoch);
    assert.equal(accrued.rewardsPaid, certified.reward);
    assert.ok(accrued.claimable > 0n && accrued.claimable <= certified.reward, `claimable ${accrued.claimable}`);

    // The delegator (devnet account 1, the CLI's default) lists and claims its share at the first member.
    const member = operators[0]?.client.account.address as Hex;
    const listed = JSON.parse((await cli("--manifest", manifestPath, "--json", "restake", "rewards")).out) as {
      operator: string;
      amount: string;
    }[];
    const owed = listed.find((r) => r.operator.toLowerCase() === member.toLowerCase());
    assert.ok(owed !== undefined && BigInt(owed.amount) > 0n, `rewards listed: ${JSON.stringify(listed)}`);
    const claim = await cli("--manifest", manifestPath, "--json", "restake", "claim", member);
    assert.equal(claim.code, 0, `${claim.err}${claim.out}`);
    assert.equal(BigInt((JSON.parse(claim.out) as { amount: string }).amount), BigInt(owed.amount));
    const after = await readFinalityStatus(deployer, { network, delegator: delegator.account.address, contracts });
    assert.equal(
      after.claimable,
      accrued.claimable - BigInt(owed.amount),
      "the claimed share left the claimable total",
    );
  });
});
