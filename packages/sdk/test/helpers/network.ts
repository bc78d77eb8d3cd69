import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { ssz } from "@lodestar/types";
import { AnchoredBeaconState } from "@nektar/crypto";
import { createHardhatRuntimeEnvironment, importUserConfig } from "hardhat/hre";
import {
  type Address,
  createWalletClient,
  custom,
  encodeAbiParameters,
  getAddress,
  type Hex,
  keccak256,
  publicActions,
  toHex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { nektarChain } from "../../src/chain.ts";
import {
  accountingOracleAbi,
  applyOracleReport,
  buildOracleReport,
  deployNektar,
  drawCluster,
  getOracleState,
  type NektarManifest,
  postOracleReport,
  requestValidator,
  snapshotOracleFrame,
} from "../../src/index.ts";

export { publishCredentialsProof, signedDkgResult } from "./validators.ts";

// The Hardhat project whose in-process network the tests run on (a test-time input, like the build's artifacts).
const CONTRACTS = fileURLToPath(new URL("../../../../contracts/", import.meta.url));

/**
 * A Beacon API on 127.0.0.1 serving one Lodestar-built state and its block header by block root, as
 * `/eth/v1/beacon/headers/{root}` and `/eth/v2/debug/beacon/states/{state_root}` (SSZ): what
 * `fetchAnchoredBeaconState` (the oracle upkeep, `nektar oracle finalize-by-proofs`) fetches.
 */
export async function serveAnchoredBeaconState(anchored: AnchoredBeaconState, stateBytes: Uint8Array, stateRoot: Hex) {
  const server = createServer((req, res) => {
    const url = req.url ?? "";
    if (url === `/eth/v1/beacon/headers/${anchored.blockRoot}`) {
      res.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          data: {
            root: anchored.blockRoot,
            header: {
              message: {
                slot: "0",
                proposer_index: "0",
                parent_root: toHex(new Uint8Array(32)),
                state_root: stateRoot,
                body_root: toHex(new Uint8Array(32)),
              },
            },
          },
        }),
      );
    } else if (url === `/eth/v2/debug/beacon/states/${stateRoot}`) {
      res.writeHead(200, { "content-type": "application/octet-stream", "eth-consensus-version": "electra" });
      res.end(Buffer.from(stateBytes));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An in-process Hardhat (EDR) network with every Nektar contract deployed by `deployNektar`. */
export async function startNetwork(opts: { maxIncreaseBpPerDay?: bigint; native?: boolean } = {}) {
  const config = await importUserConfig(`${CONTRACTS}hardhat.config.ts`);
  const hre = await createHardhatRuntimeEnvironment(config, {}, CONTRACTS);
  const connection = await hre.network.create();
  // No retries: viem retries the in-process provider's errors, reverts included, with backoff (~1 s per reverted
  // call); a test network answers at once or not at all.
  const transport = custom(connection.provider, { retryCount: 0 });
  const accounts = (await connection.provider.request({ method: "eth_accounts" })) as Address[];
  const manifest = await deployNektar({
    rpcUrl: "http://127.0.0.1:8545",
    transport,
    maxIncreaseBpPerDay: opts.maxIncreaseBpPerDay ?? 10_000n,
    withNative: opts.native === true,
  });
  const chain = nektarChain(manifest.chainId, manifest.rpcUrl);
  /** A write client for one of the node's unlocked accounts (index 0 deployed and holds the roles). */
  function client(index: number) {
    const account = accounts[index];
    if (!account) throw new Error(`no account ${index}`);
    return createWalletClient({ chain, account: getAddress(account), transport }).extend(publicActions);
  }
  /** A write client for a fresh local key (no ether unless funded). */
  function localClient(seed: string) {
    const account = privateKeyToAccount(keccak256(toHex(seed)) as Hex);
    return createWalletClient({ chain, account, transport }).extend(publicActions);
  }
  async function increaseTime(seconds: number) {
    await connection.provider.request({ method: "evm_increaseTime", params: [seconds] });
    await connection.provider.request({ method: "evm_mine", params: [] });
  }
  /**
   * Moves to the next oracle frame and has `reporter` (a registered operator with free bond) post the report of a
   * beacon state without protocol validators (the in-process network has no beacon chain), then applies it after the
   * challenge window: the pool pulls what the vault held at the frame's snapshot, and every withdrawal request made
   * before the frame's reference time becomes finalizable.
   */
  /** Mines `blocks` empty blocks (e.g. up to a validator request's draw block). */
  async function mine(blocks: number) {
    await connection.provider.request({ method: "hardhat_mine", params: [`0x${blocks.toString(16)}`] });
  }

  /** Both steps of a validator request: `requestValidator`, then mining to its draw block and `drawCluster`. */
  async function requestAndDrawValidator(requester: ReturnType<typeof client>) {
    const { requestId, drawBlock } = await requestValidator(requester, { contracts: manifest.contracts });
    const current = await requester.getBlockNumber({ cacheTime: 0 });
    if (current <= drawBlock) await mine(Number(drawBlock - current + 1n));
    const drawn = await drawCluster(requester, { contracts: manifest.contracts, requestId });
    if (!drawn.drawn) throw new Error(`request ${requestId}: the draw was re-armed`);
    return drawn;
  }

  async function reportNextFrame(reporter: ReturnType<typeof client>) {
    const c = client(0);
    const { frame, anchorTimestamp } = await anchorNextFrame();
    const o = await getOracleState(c, { contracts: manifest.contracts });
    const state = new AnchoredBeaconState(ssz.electra.BeaconState.defaultViewDU(), {
      slot: 0,
      proposerIndex: 0,
      parentRoot: new Uint8Array(32),
      bodyRoot: new Uint8Array(32),
    });
    await setBeaconRoot(anchorTimestamp, state.blockRoot);
    const tree = await buildOracleReport(c, { contracts: manifest.contracts, state });
    await postOracleReport(reporter, {
      contracts: manifest.contracts,
      frame,
      anchorTimestamp,
      root: tree.root,
    });
    await increaseTime(Number(o.challengeWindow));
    const applied = await applyOracleReport(c, { contracts: manifest.contracts, frame });
    // The frame's reference time: its first slot.
    return { ...applied, frame, refTimestamp: o.genesisTime + frame * o.frameSeconds };
  }
  /**
   * Moves into the next oracle frame's anchor window, snapshots the frame (`snapshotOracleFrame`) and moves time to
   * its anchor (a slot time at or after the snapshot's block).
   */
  async function anchorNextFrame() {
    const c = client(0);
    const o = await getOracleState(c, { contracts: manifest.contracts });
    const frame = o.currentFrame + 1n;
    const opens = o.genesisTime + frame * o.frameSeconds + o.secondsPerSlot;
    await increaseTime(Number(opens - (await c.getBlock()).timestamp));
    const { anchorTimestamp } = await snapshotOracleFrame(c, { contracts: manifest.contracts, frame });
    const now = (await c.getBlock()).timestamp;
    if (now < anchorTimestamp) await increaseTime(Number(anchorTimestamp - now));
    return { frame, anchorTimestamp };
  }
  /** Writes `root` into the EIP-4788 contract as the parent beacon block root of the block with `timestamp`. */
  async function setBeaconRoot(timestamp: bigint, root: Hex) {
    const word = (n: bigint) => toHex(n, { size: 32 });
    const slot = timestamp % 8191n;
    const address = "0x000F3df6D732807Ef1319fB7B8bB8522d0Beac02";
    await connection.provider.request({
      method: "hardhat_setStorageAt",
      params: [address, word(slot), word(timestamp)],
    });
    await connection.provider.request({ method: "hardhat_setStorageAt", params: [address, word(slot + 8191n), root] });
  }
  /**
   * Gives operator `operatorId` `count` (≤ 3) strikes in the oracle's current frame by writing the registry's strike
   * record (`StrikeBook._strikes`, storage slot 19 of `OperatorRegistry`), as `count` missed DKGs would: lets tests reach
   * an ejectable operator without running failed DKGs (the contracts' tests cover how strikes are earned).
   */
  async function strikeOperator(operatorId: bigint, count = 3) {
    const c = client(0);
    const frame = await c.readContract({
      address: manifest.contracts.accountingOracle,
      abi: accountingOracleAbi,
      functionName: "currentFrame",
    });
    let packed = BigInt(count) << 224n;
    for (let i = 0n; i < BigInt(count); i++) packed |= (frame + 1n) << (32n * i);
    const slot = keccak256(encodeAbiParameters([{ type: "uint256" }, { type: "uint256" }], [operatorId, 19n]));
    await connection.provider.request({
      method: "hardhat_setStorageAt",
      params: [manifest.contracts.operatorRegistry, slot, toHex(packed, { size: 32 })],
    });
  }
  /**
   * Installs the contracts' EIP-7002 test double at the withdrawal request address (EDR has no EIP-7002 contract),
   * asking `fee` wei per request (its first storage slot).
   */
  async function installWithdrawalRequestContract(fee: bigint) {
    const artifact = JSON.parse(
      readFileSync(
        `${CONTRACTS}artifacts/src/test-doubles/WithdrawalRequestPredeployDouble.sol/WithdrawalRequestPredeployDouble.json`,
        "utf8",
      ),
    ) as { deployedBytecode: Hex };
    const address = "0x00000961Ef480Eb55e80D19ad83579A64c007002";
    await connection.provider.request({ method: "hardhat_setCode", params: [address, artifact.deployedBytecode] });
    await connection.provider.request({
      method: "hardhat_setStorageAt",
      params: [address, toHex(0n, { size: 32 }), toHex(fee, { size: 32 })],
    });
  }
  /** Serves the in-process node over JSON-RPC on HTTP at 127.0.0.1 (for code that takes an RPC URL). */
  async function serveHttp(): Promise<{ url: string; close: () => Promise<void> }> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", async () => {
        const call = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
          id: number;
          method: string;
          params?: unknown[];
        };
        let reply: object;
        try {
          const result = await connection.provider.request({ method: call.method, params: call.params ?? [] });
          reply = { jsonrpc: "2.0", id: call.id, result };
        } catch (e) {
          const err = e as { code?: number; message?: string; data?: unknown };
          reply = {
            jsonrpc: "2.0",
            id: call.id,
            error: { code: err.code ?? -32603, message: err.message ?? "error", data: err.data },
          };
        }
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(reply));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}`,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }
  return {
    manifest: manifest as NektarManifest,
    contracts: manifest.contracts,
    accounts,
    client,
    localClient,
    increaseTime,
    mine,
    requestAndDrawValidator,
    reportNextFrame,
    anchorNextFrame,
    setBeaconRoot,
    strikeOperator,
    installWithdrawalRequestContract,
    serveHttp,
    close: () => connection.close(),
  };
}
