import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import {
  CliUsageError,
  createNektarClients,
  DEFAULT_DEVNET_MANIFEST,
  loadKeyFile,
  loadManifest,
  parseAddress,
  parseEpoch,
  printCliError,
} from "@nektar/sdk";
import { loadNetworkKey, networkDir } from "@nektar/stinger";
import { Command, CommanderError } from "commander";
import { type Address, formatEther, type Hex } from "viem";
import {
  FINALITY_ERROR_HINTS,
  type FinalityEvidence,
  getFinalityRelayState,
  type OperatorSignature,
  payFinalityRewards,
  registerNetworkKey,
  slashFinalityOperator,
  submitFinalityCertificate,
} from "../client/index.ts";
import type { Statement } from "../module/statement.ts";

/** Where the commands write (the process streams, or buffers in tests). */
export type CliIo = { out(line: string): void; err(line: string): void };

/** The file `npm start` writes next to the devnet manifest: the relay's address, Network id and deployment block. */
export const DEVNET_NETWORK_FILE = "finality-network.json";

export type RelayRecord = { relay: Address; networkId: string; deploymentBlock: string };

type Flags = { manifest: string; rpc?: string; relay?: string; json?: boolean };

/**
 * `finality-network`: the example Network's own commands (status, register-key, pay-rewards, slash, certify). Generic
 * restaking — register as an operator, opt in, delegate, claim rewards — is `nektar restake …`/`stinger operator …`.
 */
export function buildProgram(io: CliIo): Command {
  const program = new Command("finality-network")
    .description("The example finality-relay Network on Nektar: certificates, rewards, slashing")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });
  const withChain = (c: Command) =>
    c
      .option("--manifest <file>", "Nektar deployment manifest", DEFAULT_DEVNET_MANIFEST)
      .option("--rpc <url>", "JSON-RPC URL (default: the manifest's)")
      .option("--relay <address>", `FinalityRelay address (default: ${DEVNET_NETWORK_FILE} beside the manifest)`)
      .option("--json", "print the result as JSON")
      .option("--verbose", "on failure, print the error's context and cause chain");

  withChain(program.command("status").description("operators and keys, the latest certificate, rewards, offences"))
    .option("--from-block <n>", "read events from this block (default: the relay's deployment block on the devnet)")
    .action(async (flags: Flags & { fromBlock?: string }) => {
      const c = await connect(flags);
      const s = await getFinalityRelayState(c.publicClient, {
        relay: c.relay,
        fromBlock: flags.fromBlock !== undefined ? parseEpoch(flags.fromBlock) : c.fromBlock,
      });
      print(io, flags, s, [
        `relay ${s.relay}   network #${s.networkId}   balance ${formatEther(s.balance)} ETH`,
        `operators with a Network key: ${s.operators.length}`,
        ...s.operators.map((o) => `  [${o.index}] ${o.operator} ${o.pubkey.slice(0, 18)}…`),
        s.latest === undefined
          ? "no certificate yet"
          : `last certified epoch ${s.latest.epoch}: root ${s.latest.checkpointRoot}, ${s.latest.signers.length} signers`,
        `certificates ${s.certificates}   rewards earned ${formatEther(s.rewardsEarned)} ETH   paid ${formatEther(s.rewardsPaid)} ETH`,
        s.offences.length === 0
          ? "no offence proven"
          : `offences: ${s.offences.map((o) => `${o.operator} ${o.offence} epoch ${o.epoch}`).join("; ")}`,
      ]);
    });

  withChain(program.command("register-key").description("register this operator's Network key (Stinger does it)"))
    .requiredOption("--owner-key-file <file>", "the operator's restaking (owner) key file, chmod 600")
    .requiredOption("--data-dir <dir>", "the operator's Stinger data directory (holds the Network key)")
    .requiredOption("--password-file <file>", "the Stinger node's password file")
    .option("--module-name <name>", "the module's name in networks.json", "finality-relay")
    .action(
      async (flags: Flags & { ownerKeyFile: string; dataDir: string; passwordFile: string; moduleName: string }) => {
        const c = await connect(flags, flags.ownerKeyFile);
        const password = readFileSync(flags.passwordFile, "utf8").trim();
        const key = await loadNetworkKey(networkDir(flags.dataDir, flags.moduleName), password);
        const r = await registerNetworkKey(c.wallet(), { relay: c.relay, registry: c.registry, key });
        print(io, flags, r, `Network key registered at index ${r.index} (tx ${r.hash})`);
      },
    );

  withChain(program.command("pay-rewards").description("pay a finished vault epoch's rewards through the vault"))
    .requiredOption("--key-file <file>", "the paying account's key file, chmod 600 (anyone may pay)")
    .requiredOption("--vault-epoch <n>", "the restaking-vault epoch (finished)")
    .action(async (flags: Flags & { keyFile: string; vaultEpoch: string }) => {
      const c = await connect(flags, flags.keyFile);
      const r = await payFinalityRewards(c.wallet(), { relay: c.relay, vaultEpoch: parseEpoch(flags.vaultEpoch) });
      print(io, flags, r, `paid ${formatEther(r.total)} ETH to ${r.operators} operators (tx ${r.hash})`);
    });

  withChain(program.command("slash").description("slash an operator by evidence (anyone may)"))
    .requiredOption("--key-file <file>", "the submitting account's key file, chmod 600")
    .requiredOption("--operator <address>", "the offending operator")
    .option("--certified-epoch <n>", "the operator signed this epoch's certificate, whose root contradicts EIP-4788")
    .option(
      "--evidence <file>",
      'JSON: {"kind":"double-sign","first":S,"second":S} or {"kind":"signed-root","signed":S}, S = {"statement":{"epoch","checkpointRoot","executionBlockHash"},"signature":"0x…"}',
    )
    .action(
      async (flags: Flags & { keyFile: string; operator: string; certifiedEpoch?: string; evidence?: string }) => {
        if ((flags.certifiedEpoch === undefined) === (flags.evidence === undefined)) {
          throw new CliUsageError(
            "give exactly one of --certified-epoch and --evidence",
            "See `finality-network slash --help`.",
          );
        }
        const operator = parseAddress(flags.operator, "operator");
        const evidence: FinalityEvidence =
          flags.certifiedEpoch !== undefined
            ? { kind: "certified-root", epoch: parseEpoch(flags.certifiedEpoch) }
            : readEvidence(flags.evidence as string);
        const c = await connect(flags, flags.keyFile);
        const r = await slashFinalityOperator(c.wallet(), { relay: c.relay, registry: c.registry, operator, evidence });
        print(io, flags, r, `${operator} slashed: ${formatEther(r.slashed)} divETH shares (tx ${r.hash})`);
      },
    );
  withChain(program.command("certify").description("submit a certificate from operators' signatures (anyone may)"))
    .requiredOption("--key-file <file>", "the submitting account's key file, chmod 600")
    .requiredOption(
      "--signatures <file>",
      'JSON: {"statement":{"epoch","checkpointRoot","executionBlockHash"},"signatures":[{"operator":"0x…","signature":"0x…"}]}',
    )
    .action(async (flags: Flags & { keyFile: string; signatures: string }) => {
      const { statement, signatures } = readSignatures(flags.signatures);
      const c = await connect(flags, flags.keyFile);
      const r = await submitFinalityCertificate(c.wallet(), { relay: c.relay, statement, signatures });
      print(
        io,
        flags,
        r,
        `epoch ${r.epoch} certified by ${signatures.length} operators (${formatEther(r.signedStake)} of ${formatEther(r.totalStake)} stake), reward ${formatEther(r.reward)} ETH (tx ${r.hash})`,
      );
    });
  return program;
}

/** Runs the command line; returns the exit code (0, 1 failure, 2 bad input). */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    await buildProgram(io).parseAsync([...argv], { from: "user" });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    const json = argv.includes("--json");
    return printCliError(e, { json, verbose: argv.includes("--verbose"), hints: FINALITY_ERROR_HINTS }, io);
  }
}

async function connect(flags: Flags, keyFile?: string) {
  const manifestFile = resolve(flags.manifest);
  const manifest = loadManifest(manifestFile);
  const { publicClient, contracts, connectAccount } = await createNektarClients({ rpc: flags.rpc, manifest });
  const record = readRelayRecord(dirname(manifestFile));
  const relayText = flags.relay ?? record?.relay;
  if (relayText === undefined) {
    throw new CliUsageError(
      "no relay address",
      `Give --relay <address>, or run the devnet (it writes ${DEVNET_NETWORK_FILE} beside its manifest).`,
    );
  }
  const relay = parseAddress(relayText, "relay");
  const account = keyFile !== undefined ? loadKeyFile(keyFile) : undefined;
  return {
    publicClient,
    relay,
    registry: contracts.networkRegistry,
    fromBlock: record !== undefined && record.relay === relay ? BigInt(record.deploymentBlock) : undefined,
    wallet() {
      if (account === undefined) throw new CliUsageError("no key file", "Give the key file flag of this command.");
      return connectAccount(account);
    },
  };
}

/** The devnet's relay record beside its manifest, if any. */
export function readRelayRecord(dir: string): RelayRecord | undefined {
  const path = join(dir, DEVNET_NETWORK_FILE);
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, "utf8")) as RelayRecord;
}

function readEvidence(path: string): FinalityEvidence {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new CliUsageError(`cannot read the evidence file ${path}: ${(e as Error).message}`, "Give a JSON file.");
  }
  const r = raw as { kind?: unknown; first?: unknown; second?: unknown; signed?: unknown };
  if (r.kind === "double-sign") return { kind: "double-sign", first: signed(r.first), second: signed(r.second) };
  if (r.kind === "signed-root") return { kind: "signed-root", signed: signed(r.signed) };
  throw new CliUsageError('the evidence "kind" must be "double-sign" or "signed-root"', "See `slash --help`.");
}

function readSignatures(path: string): { statement: Statement; signatures: OperatorSignature[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new CliUsageError(`cannot read the signatures file ${path}: ${(e as Error).message}`, "Give a JSON file.");
  }
  const r = raw as { statement?: unknown; signatures?: unknown };
  if (!Array.isArray(r.signatures) || r.signatures.length === 0) {
    throw new CliUsageError('"signatures" must be a non-empty list', "See `finality-network certify --help`.");
  }
  const signatures = r.signatures.map((x: { operator?: unknown; signature?: unknown }) => {
    if (typeof x?.signature !== "string" || !/^0x[0-9a-fA-F]+$/.test(x.signature)) {
      throw new CliUsageError("each signature must be 0x-hex", "See `finality-network certify --help`.");
    }
    return { operator: parseAddress(String(x.operator), "operator"), signature: x.signature as Hex };
  });
  // The statement's checks are the evidence file's: reuse them with a placeholder signature.
  const { statement } = signed({ statement: r.statement, signature: "0x00" }, "certify");
  return { statement, signatures };
}

function signed(value: unknown, command = "slash"): { statement: Statement; signature: Hex } {
  const v = value as { statement?: Record<string, unknown>; signature?: unknown } | undefined;
  const s = v?.statement;
  const hex32 = (x: unknown) => typeof x === "string" && /^0x[0-9a-fA-F]{64}$/.test(x);
  if (
    s === undefined ||
    !hex32(s.checkpointRoot) ||
    !hex32(s.executionBlockHash) ||
    !/^\d+$/.test(String(s.epoch)) ||
    typeof v?.signature !== "string" ||
    !/^0x[0-9a-fA-F]+$/.test(v.signature)
  ) {
    throw new CliUsageError(
      "a signed statement needs statement.{epoch, checkpointRoot, executionBlockHash} and a 0x-hex signature",
      `See \`finality-network ${command} --help\`.`,
    );
  }
  return {
    statement: {
      epoch: BigInt(String(s.epoch)),
      checkpointRoot: s.checkpointRoot as Hex,
      executionBlockHash: s.executionBlockHash as Hex,
    },
    signature: v.signature as Hex,
  };
}

function print(io: CliIo, flags: { json?: boolean }, value: object, text: string | string[]): void {
  if (flags.json) io.out(JSON.stringify(value, (_, v) => (typeof v === "bigint" ? v.toString() : v)));
  else for (const line of Array.isArray(text) ? text : [text]) io.out(line);
}
