import { join } from "node:path";
import { peerIdFromString } from "@libp2p/peer-id";
import type { ApiClient } from "@lodestar/api";
import type { BeaconConfig } from "@lodestar/config";
import { nonNegativeInt, positiveInt } from "@nektar/command-line";
import {
  type BondAsset,
  bondOperator,
  CliUsageError,
  DEFAULT_DEVNET_MANIFEST,
  getOperator,
  getOperatorIdByNodeIdentity,
  getOperatorIdByOwner,
  getOperatorStrikes,
  getReshare,
  getValidator,
  leaveCluster,
  loadKeyFile,
  parseAddress,
  parseAmount,
  parseId,
  registerOperator,
  setOperatorPaused,
  unbondOperator,
} from "@nektar/sdk";
import { Command, InvalidArgumentError, Option } from "commander";
import { formatEther, type Hex } from "viem";
import { DepositCompleter } from "../chain/depositCompleter.ts";
import { ATTESTATIONS_FILE, AttestationStore, DkgAttestor } from "../chain/dkgAttestation.ts";
import { DkgUpkeep, type DkgUpkeepEvent } from "../chain/dkgUpkeep.ts";
import { createFollower } from "../chain/follower.ts";
import type { RequestOutcome } from "../chain/onchainOperator.ts";
import { RegistryAdmission } from "../chain/registryAdmission.ts";
import type { StingerConfig } from "../config/config.ts";
import { type AgreementSettings, DEFAULT_AGREEMENT } from "../dkg/lock.ts";
import { loadIdentity, type OperatorIdentity, readOperatorRecord } from "../identity/identity.ts";
import { createLogger, type Logger, type LogLevel } from "../logger/logger.ts";
import { validatorDirs } from "../node/clusterKeys.ts";
import { type OperatorRuntime, startOperatorRuntime } from "../node/runtime.ts";
import { reshareLines, reshareStatuses } from "../reshare/status.ts";
import { type ChainFlags, chainCommand, connect, print } from "./chainCommand.ts";
import { type CliIo, processIo } from "./io.ts";
import { addCommonOptions, type CommonFlags, configFrom, identityPassword } from "./options.ts";
import { fetchPerformance, performanceLines } from "./performanceView.ts";
import { commissionCommand, membershipCommand, networksCommand } from "./restaking.ts";
import { claimCommand, rewardsCommand } from "./rewards.ts";
import { ejectCommand, strikesCommand } from "./strikes.ts";

type OwnerFlags = ChainFlags & { ownerKeyFile: string; operatorId?: string };

/**
 * `stinger operator register|bond|unbond|pause|unpause|status|strikes|eject|rewards|claim|follow`, and for restaking
 * `networks|optin|optout|commission`: the operator's life in the on-chain registry.
 * This is the one implementation: `nektar operator …` runs these very commands. Every flag is checked before a key
 * file is read or a transaction is sent.
 */
export function operatorCommand(io: CliIo = processIo): Command {
  return new Command("operator")
    .description(
      "Register, bond, pause and inspect this node's operator in the registry; follow it to run DKG ceremonies",
    )
    .addCommand(registerCommand(io))
    .addCommand(bondCommand(io))
    .addCommand(unbondCommand(io))
    .addCommand(pauseCommand(io, true))
    .addCommand(pauseCommand(io, false))
    .addCommand(statusCommand(io))
    .addCommand(strikesCommand(io))
    .addCommand(ejectCommand(io))
    .addCommand(leaveCommand(io))
    .addCommand(rewardsCommand(io))
    .addCommand(claimCommand(io))
    .addCommand(followCommand(io))
    .addCommand(networksCommand(io))
    .addCommand(membershipCommand(io, "in"))
    .addCommand(membershipCommand(io, "out"))
    .addCommand(commissionCommand(io));
}

/** A command the operator's owner signs: its key file, and which operator (default: the one the owner owns). */
function ownerCommand(name: string, description: string): Command {
  return chainCommand(name, description)
    .requiredOption(
      "--owner-key-file <file>",
      "file with the operator owner's EL private key (0x hex, chmod 600): it sends the transaction",
    )
    .option("--operator-id <id>", "operator (default: the one the owner owns)");
}

function forkVersion(v: string): Hex {
  if (!/^0x[0-9a-fA-F]{8}$/.test(v)) throw new InvalidArgumentError("must be 0x-prefixed hex of 4 bytes");
  return v.toLowerCase() as Hex;
}

/** The owner's key and a connection signing with it; the operator is resolved before any transaction. */
async function connectOwner(flags: OwnerFlags) {
  const explicit = flags.operatorId === undefined ? undefined : parseId(flags.operatorId, "operator id");
  const owner = loadKeyFile(flags.ownerKeyFile);
  const c = await connect(flags, owner);
  const wallet = c.wallet as NonNullable<typeof c.wallet>;
  const operatorId = explicit ?? (await ownedOperatorId(c, owner.address));
  return { ...c, owner, wallet, operatorId };
}

async function ownedOperatorId(c: Awaited<ReturnType<typeof connect>>, owner: `0x${string}`): Promise<bigint> {
  const id = await getOperatorIdByOwner(c.publicClient, { contracts: c.contracts, owner });
  if (id === 0n) {
    throw new CliUsageError(
      `${owner} owns no operator`,
      "Register one with `stinger operator register`, or pass --operator-id <id>.",
    );
  }
  return id;
}

/** The operator registered with this node identity (0n when none). */
async function operatorIdOfIdentity(c: Awaited<ReturnType<typeof connect>>, nodeIdentity: Hex): Promise<bigint> {
  return getOperatorIdByNodeIdentity(c.publicClient, { contracts: c.contracts, nodeIdentity });
}

function registerCommand(io: CliIo): Command {
  return chainCommand("register", "Register this node's identity (from --data-dir) as a new operator")
    .requiredOption(
      "--owner-key-file <file>",
      "file with the operator owner's EL private key (0x hex, chmod 600): it sends the transaction",
    )
    .option("--signer <address>", "address whose EIP-712 signatures approve DKG results (default: the owner)")
    .option("--signer-key-file <file>", "take the signer address from this key file (the one `run` and `follow` use)")
    .option("--metadata-uri <uri>", "where the operator describes itself (≤ 512 bytes)", "")
    .action(
      async (
        flags: ChainFlags & { ownerKeyFile: string; signer?: string; signerKeyFile?: string; metadataUri: string },
      ) => {
        if (flags.signer !== undefined && flags.signerKeyFile !== undefined) {
          throw new CliUsageError("give --signer or --signer-key-file, not both");
        }
        if (Buffer.byteLength(flags.metadataUri, "utf8") > 512) {
          throw new CliUsageError("--metadata-uri is longer than 512 bytes", "Host the description and give its URI.");
        }
        const given = flags.signer === undefined ? undefined : parseAddress(flags.signer, "signer address");
        // The node identity is this node's own (from its data directory), never typed by hand.
        const record = readOperatorRecord(configFrom(flags).dataDir);
        const owner = loadKeyFile(flags.ownerKeyFile);
        const signer = given ?? (flags.signerKeyFile ? loadKeyFile(flags.signerKeyFile).address : owner.address);
        const c = await connect(flags, owner);
        const existing = await operatorIdOfIdentity(c, record.identityPubkey);
        if (existing !== 0n) {
          throw new CliUsageError(
            `this node's identity ${record.identityPubkey} is already operator ${existing}`,
            "One identity is one operator: `stinger operator status` shows it; a new operator needs a new --data-dir.",
          );
        }
        const r = await registerOperator(c.wallet as NonNullable<typeof c.wallet>, {
          contracts: c.contracts,
          signer,
          nodeIdentity: record.identityPubkey,
          metadataURI: flags.metadataUri,
        });
        print(
          io,
          flags,
          { operatorId: r.operatorId, owner: owner.address, signer, nodeIdentity: record.identityPubkey, tx: r.hash },
          [
            `Registered operator ${r.operatorId} (owner ${owner.address}, signer ${signer}, peer ${record.peerId}) in tx ${r.hash}`,
            "Bond it next: stinger operator bond --amount <ether> --owner-key-file <file>",
          ].join("\n"),
        );
      },
    );
}

function bondCommand(io: CliIo): Command {
  return ownerCommand("bond", "Add bond to the operator (ETH is staked first; divETH/wdivETH are approved and pulled)")
    .requiredOption("--amount <amount>", "amount of the asset in ether units (e.g. 1.5)")
    .addOption(new Option("--asset <asset>", "what to bond").choices(["ETH", "divETH", "wdivETH"]).default("ETH"))
    .action(async (flags: OwnerFlags & { amount: string; asset: BondAsset }) => {
      const amount = parseAmount(flags.amount);
      const c = await connectOwner(flags);
      const r = await bondOperator(c.wallet, {
        contracts: c.contracts,
        operatorId: c.operatorId,
        amount,
        asset: flags.asset,
      });
      print(
        io,
        flags,
        { operatorId: c.operatorId, asset: flags.asset, amount, units: r.units, tx: r.hash },
        `Bonded ${formatEther(amount)} ${flags.asset} to operator ${c.operatorId}: +${r.units} bond units (tx ${r.hash})`,
      );
    });
}

function unbondCommand(io: CliIo): Command {
  return ownerCommand("unbond", "Withdraw free bond units as divETH")
    .option("--units <n>", "free bond units to withdraw")
    .option("--all", "withdraw every free unit")
    .option("--recipient <address>", "receiver of the divETH (default: the owner)")
    .action(async (flags: OwnerFlags & { units?: string; all?: boolean; recipient?: string }) => {
      if ((flags.units === undefined) === (flags.all === undefined)) {
        throw new CliUsageError("give exactly one of --units <n> or --all");
      }
      const units = flags.units === undefined ? undefined : parseId(flags.units, "number of bond units");
      const recipient = flags.recipient === undefined ? undefined : parseAddress(flags.recipient, "recipient address");
      const c = await connectOwner(flags);
      const { freeUnits } = await getOperator(c.publicClient, { contracts: c.contracts, operatorId: c.operatorId });
      const amount = units ?? freeUnits;
      if (amount === 0n) throw new CliUsageError(`operator ${c.operatorId} has no free bond to withdraw`);
      if (amount > freeUnits) {
        throw new CliUsageError(
          `operator ${c.operatorId} has ${freeUnits} free bond units, cannot unbond ${amount}`,
          "The rest is locked by its validators; `stinger operator status` shows the split.",
        );
      }
      const r = await unbondOperator(c.wallet, {
        contracts: c.contracts,
        operatorId: c.operatorId,
        units: amount,
        recipient,
      });
      print(
        io,
        flags,
        { operatorId: c.operatorId, units: amount, tx: r.hash },
        `Unbonded ${amount} units of operator ${c.operatorId} (tx ${r.hash})`,
      );
    });
}

/** `pause` leaves future validator draws, `unpause` returns to them; validators and bond are unaffected. */
/** Statuses of a validator whose cluster can change hands (its key in use, its cluster locked). */
const LIVE_STATUSES: readonly string[] = ["predeposited", "deposited", "active"];

/** `operator leave --validator <id>`: the owner takes its operator out of one live validator (resharing). */
function leaveCommand(io: CliIo): Command {
  return ownerCommand(
    "leave",
    "Leave one live validator: a replacement is drawn for this operator's seat and the members reshare its key",
  )
    .requiredOption("--validator <id>", "the validator to leave")
    .action(async (flags: OwnerFlags & { validator: string }) => {
      const validatorId = parseId(flags.validator, "validator id");
      const c = await connectOwner(flags);
      // Checked before the transaction, as the reshare manager checks them.
      const v = await getValidator(c.publicClient, { contracts: c.contracts, validatorId });
      if (!LIVE_STATUSES.includes(v.status)) {
        throw new CliUsageError(`validator ${validatorId} is ${v.status}`, "Only a live validator can be left.");
      }
      const seat = v.operatorIds.findIndex((id) => BigInt(id) === c.operatorId);
      if (seat < 0) throw new CliUsageError(`operator ${c.operatorId} holds no seat of validator ${validatorId}`);
      const open = await getReshare(c.publicClient, { contracts: c.contracts, validatorId });
      if (open.stage !== "none") {
        throw new CliUsageError(
          `validator ${validatorId} already has a reshare open (${open.stage}, seat ${open.leavingIndex})`,
          "Wait for it to complete or expire (`nektar validator show <id>`).",
        );
      }
      const r = await leaveCluster(c.wallet, { contracts: c.contracts, validatorId, operatorId: c.operatorId });
      print(
        io,
        flags,
        { validatorId, operatorId: c.operatorId, leavingIndex: r.leavingIndex, drawBlock: r.drawBlock, tx: r.hash },
        `Operator ${c.operatorId} leaves seat ${r.leavingIndex} of validator ${validatorId}: the replacement is drawn ` +
          `from block ${r.drawBlock}'s RANDAO mix; the lock is released when the reshare completes (tx ${r.hash})`,
      );
    });
}

function pauseCommand(io: CliIo, paused: boolean): Command {
  const name = paused ? "pause" : "unpause";
  const description = paused
    ? "Leave future validator draws (running validators and bond are unaffected)"
    : "Return to future validator draws";
  return ownerCommand(name, description).action(async (flags: OwnerFlags) => {
    const c = await connectOwner(flags);
    const before = await getOperator(c.publicClient, { contracts: c.contracts, operatorId: c.operatorId });
    if (before.paused === paused) {
      throw new CliUsageError(`operator ${c.operatorId} is already ${paused ? "paused" : "active"}`);
    }
    const r = await setOperatorPaused(c.wallet, { contracts: c.contracts, operatorId: c.operatorId, paused });
    print(
      io,
      flags,
      { operatorId: c.operatorId, paused, tx: r.hash },
      `Operator ${c.operatorId} ${paused ? "paused: it is left out of new draws" : "unpaused: it is drawn again"} (tx ${r.hash})`,
    );
  });
}

function statusCommand(io: CliIo): Command {
  return chainCommand(
    "status",
    "Show an operator: bond, free bond, validators, and the per-share performance the running node measured (default: this node's identity)",
  )
    .option("--operator-id <id>", "operator to show")
    .option(
      "--node-url <url>",
      "status server of this operator's `stinger run` for the performance section (default: http://<metricsHost>:<metricsPort> from the config)",
    )
    .action(async (flags: ChainFlags & { operatorId?: string; nodeUrl?: string }) => {
      const explicit = flags.operatorId === undefined ? undefined : parseId(flags.operatorId, "operator id");
      const identity =
        explicit === undefined ? readOperatorRecord(configFrom(flags).dataDir).identityPubkey : undefined;
      const c = await connect(flags);
      const operatorId = identity === undefined ? explicit : await operatorIdOfIdentity(c, identity);
      if (operatorId === undefined || operatorId === 0n) {
        throw new CliUsageError(
          `this node's identity ${identity} is not registered`,
          "Register it with `stinger operator register`, or pass --operator-id <id>.",
        );
      }
      const o = await getOperator(c.publicClient, { contracts: c.contracts, operatorId });
      const strikes = await getOperatorStrikes(c.publicClient, { contracts: c.contracts, operatorId });
      // The node's own measurements: only this operator's node has them (not on-chain until the reward tree lands).
      const metrics = configFrom(flags).metrics;
      const nodeUrl = flags.nodeUrl ?? `http://${metrics.host}:${metrics.port}`;
      const performance = await fetchPerformance(nodeUrl, 4).catch((e: Error) => ({ unreachable: e.message }));
      // Resharings this node took part in, from its data dir (only when showing this node's own operator).
      const reshares = identity === undefined ? [] : reshareStatuses(validatorDirs(configFrom(flags).dataDir));
      print(
        io,
        flags,
        { ...o, strikes, performance, reshares },
        [
          `Operator ${o.operatorId} (${o.ejected ? "ejected" : o.paused ? "paused" : "active"})`,
          `  owner:         ${o.owner}`,
          `  signer:        ${o.signer}`,
          `  node identity: ${o.nodeIdentity}`,
          `  bond units:    ${o.bondUnits} (free ${o.freeUnits}, locked ${o.bondUnits - o.freeUnits})`,
          `  metadata:      ${o.metadataURI || "-"}`,
          `  strikes:       ${strikes.inWindow} of ${strikes.strikesToEject} within ${strikes.windowFrames} oracle frames (ever ${strikes.total}; a missed DKG is one)${strikes.ejectable ? ", EJECTABLE" : ""}`,
          ...("unreachable" in performance
            ? [
                `  performance:   node status server ${nodeUrl} unreachable (${performance.unreachable}); pass --node-url`,
              ]
            : performanceLines(performance)),
          ...(identity === undefined ? [] : reshareLines(reshares)),
        ].join("\n"),
      );
    });
}

/** Options of `operator follow` that `stinger run` shares (registry connection and DKG tuning). */
export type FollowFlags = CommonFlags & {
  manifest: string;
  rpc?: string;
  chainId?: number;
  signerKeyFile?: string;
  forkVersion?: Hex;
  confirmations: number;
  pollIntervalMs: number;
  signatureTimeoutMs: number;
  submitFallbackMs: number;
  joinTimeoutMs?: string;
  roundTimeoutMs?: string;
};

/** Adds the registry-following options; `stinger run` uses them too (there `--signer-key-file` turns following on). */
export function addFollowOptions(cmd: Command, signerRequired: boolean): Command {
  const signerHelp = "the registered DKG-result signer's private key (0x hex, chmod 600); pays for submissions";
  const forkHelp = "genesis fork version of the consensus chain (deposit signature domain)";
  if (signerRequired) {
    cmd
      .requiredOption("--signer-key-file <file>", signerHelp)
      .requiredOption("--fork-version <hex>", forkHelp, forkVersion);
  } else {
    cmd
      .option("--signer-key-file <file>", `${signerHelp}; turns on following the registry (DKG on request)`)
      .option("--fork-version <hex>", `${forkHelp}; default: the beacon node's`, forkVersion);
  }
  return cmd
    .option("--manifest <file>", "deployment manifest (contracts, chain id, RPC)", DEFAULT_DEVNET_MANIFEST)
    .option("--rpc <url>", "JSON-RPC URL (default: the manifest's)")
    .option("--chain-id <id>", "refuse to run unless the RPC serves this chain (default: the manifest's)", positiveInt)
    .option("--confirmations <n>", "blocks to wait before acting on an event", nonNegativeInt, 0)
    .option("--poll-interval-ms <ms>", "registry polling interval", positiveInt, 2_000)
    .option("--signature-timeout-ms <ms>", "how long to collect the 16 result signatures", positiveInt, 120_000)
    .option("--submit-fallback-ms <ms>", "turn of each submitter before the next one submits", positiveInt, 30_000)
    .option("--join-timeout-ms <ms>", "how long a DKG dealing round waits for every operator")
    .option("--round-timeout-ms <ms>", "deadline of each later DKG round");
}

/** The DKG timeouts of `FollowFlags` as configuration keys. */
export function followConfig(flags: FollowFlags) {
  return { dkgJoinTimeoutMs: flags.joinTimeoutMs, dkgRoundTimeoutMs: flags.roundTimeoutMs };
}

/**
 * Connects to the registry's chain (checked against the manifest) with the signer key, and builds the follower that
 * runs this node's DKG ceremonies on the shared libp2p node.
 */
export async function registryFollower(p: {
  flags: FollowFlags & { signerKeyFile: string };
  forkVersion: Hex;
  config: StingerConfig;
  identity: OperatorIdentity;
  password: string;
  runtime: OperatorRuntime;
  logger: Logger;
  /** Agreement settings the locks of this node's ceremonies bind (default {@link DEFAULT_AGREEMENT}). */
  agreement?: AgreementSettings;
  onOutcome: (outcome: RequestOutcome) => void;
  /** What the DKG upkeep (attest, expire, redraw, eject) did. */
  onDkgUpkeep?: ((e: DkgUpkeepEvent) => void) | undefined;
  /** With a beacon node: also complete this node's predeposited validators (`DepositCompleter`). */
  deposits?: {
    beacon: { api: ApiClient; config: BeaconConfig };
    validators: () => readonly { pubkey: Hex; position: number }[];
  };
}) {
  const { flags, config, runtime } = p;
  const signer = loadKeyFile(flags.signerKeyFile);
  const c = await connect({ ...flags, json: false }, signer);
  const wallet = c.wallet as NonNullable<typeof c.wallet>;
  // Attestations of this node's DKG rounds: one store per chain and registry, in the data directory.
  const attestor = new DkgAttestor({
    client: wallet,
    contracts: c.contracts,
    store: AttestationStore.open(
      join(config.dataDir, ATTESTATIONS_FILE),
      `${c.manifest.chainId}:${c.contracts.operatorRegistry.toLowerCase()}`,
    ),
    logger: p.logger.child({ module: "dkg-attest" }),
    metricsRegistry: runtime.registry,
  });
  const dkgUpkeep = new DkgUpkeep({
    client: wallet,
    contracts: c.contracts,
    nodeIdentity: p.identity.record.identityPubkey,
    attestor,
    fallbackSeconds: BigInt(Math.ceil(flags.submitFallbackMs / 1000)),
    attestMarginSeconds: 60n,
    // Many nodes share the execution RPC and DKG deadlines are minutes away: no more often than every 4 s.
    pollIntervalMs: Math.max(flags.pollIntervalMs, 4_000),
    logger: p.logger.child({ module: "dkg-upkeep" }),
    metricsRegistry: runtime.registry,
    onEvent: p.onDkgUpkeep,
  });
  const follower = createFollower({
    publicClient: c.publicClient,
    wallet: c.wallet as NonNullable<typeof c.wallet>,
    signer,
    chainId: c.manifest.chainId,
    registry: c.contracts.operatorRegistry,
    startBlock: c.manifest.deploymentBlock,
    forkVersion: p.forkVersion,
    // Its own addresses too: the cluster lock lists every member's addresses (at least one each).
    peers: [...config.bootnodes, ...ownAddresses(runtime, p.identity)],
    ceremony: {
      identity: p.identity,
      node: runtime.node,
      allowlist: runtime.allowlist,
      dataDir: config.dataDir,
      keystorePassword: p.password,
      kdf: config.keystoreKdf,
      timeouts: config.dkg,
      logger: p.logger,
      p2pMetrics: runtime.p2pMetrics,
      dkgMetrics: runtime.dkgMetrics,
      agreement: p.agreement ?? DEFAULT_AGREEMENT,
    },
    confirmations: flags.confirmations,
    pollIntervalMs: flags.pollIntervalMs,
    signatureTimeoutMs: flags.signatureTimeoutMs,
    submitFallbackMs: flags.submitFallbackMs,
    logger: p.logger,
    attestor,
    onOutcome: p.onOutcome,
  });
  // Every registered, non-ejected operator may connect (not only the members of this node's clusters and bootnodes).
  const admission = new RegistryAdmission({
    client: c.publicClient,
    registry: c.contracts.operatorRegistry,
    allowlist: runtime.allowlist,
    pollIntervalMs: flags.pollIntervalMs,
    confirmations: flags.confirmations,
    logger: p.logger,
    metricsRegistry: runtime.registry,
    onRevoke: (peerId) => void runtime.node.hangUp(peerIdFromString(peerId)).catch(() => {}),
  });
  const completer =
    p.deposits === undefined
      ? undefined
      : new DepositCompleter({
          publicClient: c.publicClient,
          wallet: c.wallet as NonNullable<typeof c.wallet>,
          registry: c.contracts.operatorRegistry,
          beacon: p.deposits.beacon,
          validators: p.deposits.validators,
          turnMs: flags.submitFallbackMs,
          pollIntervalMs: flags.pollIntervalMs,
          logger: p.logger,
        });
  return {
    follower,
    admission,
    completer,
    dkgUpkeep,
    publicClient: c.publicClient,
    wallet: c.wallet as NonNullable<typeof c.wallet>,
    contracts: c.contracts,
    chainId: c.manifest.chainId,
    registry: c.contracts.operatorRegistry,
  };
}

/** This node's listen addresses ending in /p2p/<its peer id>. */
function ownAddresses(runtime: OperatorRuntime, identity: OperatorIdentity): string[] {
  const suffix = `/p2p/${identity.peerId}`;
  return runtime.node
    .getMultiaddrs()
    .map((a) => a.toString())
    .map((a) => (a.endsWith(suffix) ? a : `${a}${suffix}`));
}

/** One line (or JSON) per request outcome that concerns this node. */
export function outcomeText(o: RequestOutcome): string {
  return o.action === "completed"
    ? `Request ${o.requestId}: validator ${o.groupPubkey} ${o.status} (submitted by ${o.submittedBy})`
    : o.action === "failed"
      ? `Request ${o.requestId}: failed (${o.error})`
      : `Request ${o.requestId}: skipped (${o.reason})`;
}

/** One line per thing the DKG upkeep did (attest at the deadline, expire, redraw, eject). */
export function dkgUpkeepText(e: DkgUpkeepEvent): string {
  switch (e.action) {
    case "expired":
      return `DKG: request ${e.requestId} timed out; struck operators ${e.missedOperatorIds.join(",") || "none"}${
        e.redraw ? ", seats redrawn next" : ", request expired"
      } tx ${e.tx}`;
    case "redrawn":
      return `DKG: request ${e.requestId} seats redrawn, cluster ${e.operatorIds.join(",")} tx ${e.tx}`;
    case "ejected":
      return `DKG: operator ${e.operatorId} ejected (${e.strikes} strikes) tx ${e.tx}`;
    case "attested-no-result":
      return `DKG: request ${e.requestId} near its timeout without a result here: attested presence tx ${e.tx}`;
  }
}

type FollowCommandFlags = FollowFlags & {
  signerKeyFile: string;
  forkVersion: Hex;
  listen?: string;
  bootnodes?: string;
  metrics?: boolean;
  json?: boolean;
  maxRequests?: number;
};

function followCommand(io: CliIo): Command {
  return addFollowOptions(
    addCommonOptions(
      new Command("follow").description(
        "Watch ValidatorRequested; run the DKG ceremony, sign and submit results for this node (no duties: see `stinger run`)",
      ),
    ),
    true,
  )
    .option("--listen <multiaddrs>", "comma-separated libp2p listen addresses [env STINGER_LISTEN]")
    .option("--bootnodes <multiaddrs>", "comma-separated operator addresses ending in /p2p/<peerId> (dialing hints)")
    .option("--no-metrics", "do not serve /metrics")
    .option("--max-requests <n>", "exit after handling this many requests naming this node", positiveInt)
    .option("--json", "print the result as JSON")
    .action(async (flags: FollowCommandFlags) => {
      const config = configFrom(flags, {
        listen: flags.listen,
        bootnodes: flags.bootnodes,
        metricsEnabled: flags.metrics === false ? false : undefined,
        ...followConfig(flags),
      });
      const logger = createLogger({ level: config.logLevel as LogLevel, context: { module: "stinger" } });
      const password = await identityPassword(flags);
      const identity = await loadIdentity(config.dataDir, password);
      const runtime = await startOperatorRuntime(config, identity, logger);
      let handled = 0;
      let following: Awaited<ReturnType<typeof registryFollower>>;
      try {
        following = await registryFollower({
          flags,
          forkVersion: flags.forkVersion,
          config,
          identity,
          password,
          runtime,
          logger,
          onDkgUpkeep: (e) => print(io, flags, { ...e }, dkgUpkeepText(e)),
          onOutcome: (o) => {
            if (o.action === "skipped" && o.reason === "not-member") return;
            print(io, flags, { ...o }, outcomeText(o));
            handled++;
            if (flags.maxRequests !== undefined && handled >= flags.maxRequests) following.follower.stop();
          },
        });
      } catch (e) {
        await runtime.stop();
        throw e;
      }
      const stop = () => following.follower.stop();
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      io.out(`Following registry ${following.registry} on chain ${following.chainId} as ${identity.peerId}`);
      const admitting = following.admission.start();
      const upkeeping = following.dkgUpkeep.run();
      try {
        await following.follower.run();
      } finally {
        process.off("SIGINT", stop);
        process.off("SIGTERM", stop);
        following.dkgUpkeep.stop();
        await upkeeping;
        await following.admission.stop();
        await admitting;
        await runtime.stop();
      }
    });
}
