import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bondOperator, type NektarContracts, registerOperator } from "@nektar/sdk";
import { type Chain, type Hex, parseEther } from "viem";
import { type DevnetClient, devnetClient, FIRST_OPERATOR_ACCOUNT, fund, mnemonicAccount } from "./accounts.ts";
import { DevnetProcessError, runProcess } from "./processes.ts";

export type DevnetOperator = {
  index: number;
  operatorId: bigint;
  dataDir: string;
  passwordFile: string;
  identityPubkey: Hex;
  peerId: string;
  client: DevnetClient;
};

export type OperatorIdentity = { index: number; dataDir: string; passwordFile: string } & IdentityRecord;

type IdentityRecord = { identityPubkey: Hex; peerId: string };

/** What a Stinger data dir holds about one chain (everything but the identity). */
const CHAIN_STATE = ["validators", "slashing-protection", "registry-cursor.json"];

/**
 * Creates (or, on resume, reuses) each operator's Stinger identity with `stinger init`, two at a time (the KDF is
 * CPU-bound). Needs no chain: the devnet runs it while the EVM node starts.
 */
export async function createIdentities(p: {
  count: number;
  dir: string;
  stingerCli: string;
  cwd: string;
  onProgress(done: number): void;
}): Promise<OperatorIdentity[]> {
  const root = join(p.dir, "operators");
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const identities: OperatorIdentity[] = new Array(p.count);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < p.count) {
      const i = next++;
      identities[i] = {
        index: i,
        dataDir: join(root, `op-${i + 1}`),
        passwordFile: join(root, `op-${i + 1}.password`),
        ...(await ensureIdentity(p, root, i)),
      };
      p.onProgress(++done);
    }
  };
  await Promise.all([worker(), worker()]);
  return identities;
}

/** Registers and bonds every operator from its own devnet account (which is also its DKG-result signer), in parallel. */
export async function registerOperators(p: {
  identities: readonly OperatorIdentity[];
  bondEther: string;
  chain: Chain;
  rpcUrl: string;
  contracts: NektarContracts;
}): Promise<DevnetOperator[]> {
  return Promise.all(
    p.identities.map(async (identity) => {
      const client = operatorClient(p.chain, p.rpcUrl, identity.index);
      await fund(client, "1000");
      const { operatorId } = await registerOperator(client, {
        contracts: p.contracts,
        signer: client.account.address,
        nodeIdentity: identity.identityPubkey,
        metadataURI: `devnet operator ${identity.index + 1}`,
      });
      await bondOperator(client, { contracts: p.contracts, operatorId, amount: parseEther(p.bondEther) });
      return { ...identity, operatorId, client };
    }),
  );
}

/** The devnet account of operator `index` (0-based): owner and registered signer. */
export function operatorClient(chain: Chain, rpcUrl: string, index: number): DevnetClient {
  return devnetClient(chain, rpcUrl, FIRST_OPERATOR_ACCOUNT + index);
}

async function ensureIdentity(
  p: { stingerCli: string; cwd: string },
  root: string,
  i: number,
): Promise<IdentityRecord> {
  const recordPath = join(root, `op-${i + 1}.identity.json`);
  const dataDir = join(root, `op-${i + 1}`);
  if (existsSync(recordPath)) {
    // Resumed: the identity stays, but the chains restart from genesis, so what the node kept about the previous
    // chains (validators, slashing history under another genesis, registry cursor) goes.
    for (const stale of CHAIN_STATE) rmSync(join(dataDir, stale), { recursive: true, force: true });
    return JSON.parse(readFileSync(recordPath, "utf8")) as IdentityRecord;
  }
  const passwordFile = join(root, `op-${i + 1}.password`);
  writeFileSync(passwordFile, randomBytes(24).toString("hex"), { mode: 0o600 });
  const address = mnemonicAccount(FIRST_OPERATOR_ACCOUNT + i).address;
  await runProcess({
    role: `stinger-init-${i + 1}`,
    args: [p.stingerCli, "init", "--data-dir", dataDir, "--password-file", passwordFile, "--el-address", address],
    cwd: p.cwd,
    logsDir: join(root, "..", "logs"),
  });
  // The public operator record `stinger init` writes (`<dataDir>/operator.json`), not its printed summary.
  const operatorFile = join(dataDir, "operator.json");
  let written: { peerId?: unknown; identityPubkey?: unknown };
  try {
    written = JSON.parse(readFileSync(operatorFile, "utf8"));
  } catch (e) {
    throw new DevnetProcessError(
      `stinger-init-${i + 1}`,
      operatorFile,
      `wrote no operator record (${(e as Error).message})`,
    );
  }
  const { peerId, identityPubkey } = written;
  if (typeof peerId !== "string" || typeof identityPubkey !== "string" || !/^0x[0-9a-f]{64}$/.test(identityPubkey)) {
    throw new DevnetProcessError(
      `stinger-init-${i + 1}`,
      operatorFile,
      "wrote an operator record without peer id or identity pubkey",
    );
  }
  const record: IdentityRecord = { identityPubkey: identityPubkey as Hex, peerId };
  writeFileSync(recordPath, JSON.stringify(record));
  return record;
}
