import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bondOperator, type NektarContracts, registerOperator } from "@nektar/sdk";
import { type Chain, type Hex, parseEther } from "viem";
import { type DevnetClient, devnetClient, FIRST_OPERATOR_ACCOUNT, fund } from "./accounts.ts";
import { DevnetProcessError, runProcess } from "./processes.ts";

export type DevnetOperator = {
  index: number;
  operatorId: bigint;
  dataDir: string;
  identityPubkey: Hex;
  client: DevnetClient;
};

type IdentityRecord = { identityPubkey: Hex; peerId: string };

/**
 * Creates (or, on resume, reuses) each operator's Stinger identity with `stinger init`, then registers and bonds the
 * operator on-chain from its own devnet account. Identities are created two at a time (the KDF is CPU-bound).
 */
export async function setUpOperators(p: {
  count: number;
  bondEther: string;
  dir: string;
  stingerCli: string;
  cwd: string;
  chain: Chain;
  rpcUrl: string;
  contracts: NektarContracts;
  onProgress(done: number): void;
}): Promise<DevnetOperator[]> {
  const root = join(p.dir, "operators");
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const identities: IdentityRecord[] = new Array(p.count);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < p.count) {
      const i = next++;
      identities[i] = await ensureIdentity(p, root, i);
      p.onProgress(++done);
    }
  };
  await Promise.all([worker(), worker()]);
  const operators: DevnetOperator[] = [];
  for (let i = 0; i < p.count; i++) {
    const client = devnetClient(p.chain, p.rpcUrl, FIRST_OPERATOR_ACCOUNT + i);
    await fund(client, "1000");
    const identity = identities[i] as IdentityRecord;
    const { operatorId } = await registerOperator(client, {
      contracts: p.contracts,
      signer: client.account.address,
      nodeIdentity: identity.identityPubkey,
      metadataURI: `devnet operator ${i + 1}`,
    });
    await bondOperator(client, { contracts: p.contracts, operatorId, amount: parseEther(p.bondEther) });
    operators.push({
      index: i,
      operatorId,
      dataDir: join(root, `op-${i + 1}`),
      identityPubkey: identity.identityPubkey,
      client,
    });
  }
  return operators;
}

async function ensureIdentity(
  p: { stingerCli: string; cwd: string; chain: Chain; rpcUrl: string },
  root: string,
  i: number,
): Promise<IdentityRecord> {
  const recordPath = join(root, `op-${i + 1}.identity.json`);
  if (existsSync(recordPath)) return JSON.parse(readFileSync(recordPath, "utf8")) as IdentityRecord;
  const dataDir = join(root, `op-${i + 1}`);
  const passwordFile = join(root, `op-${i + 1}.password`);
  writeFileSync(passwordFile, randomBytes(24).toString("hex"), { mode: 0o600 });
  const address = devnetClient(p.chain, p.rpcUrl, FIRST_OPERATOR_ACCOUNT + i).account.address;
  const output = await runProcess({
    role: `stinger-init-${i + 1}`,
    args: [p.stingerCli, "init", "--data-dir", dataDir, "--password-file", passwordFile, "--el-address", address],
    cwd: p.cwd,
    logsDir: join(root, "..", "logs"),
  });
  const pubkey = /identity pubkey:\s+(0x[0-9a-f]{64})/.exec(output)?.[1];
  const peerId = /peer id:\s+(\S+)/.exec(output)?.[1];
  if (!pubkey || !peerId) throw new DevnetProcessError(`stinger-init-${i + 1}`, dataDir, "printed no identity pubkey");
  const record: IdentityRecord = { identityPubkey: pubkey as Hex, peerId };
  writeFileSync(recordPath, JSON.stringify(record));
  return record;
}
