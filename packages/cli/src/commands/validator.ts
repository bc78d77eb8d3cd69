import {
  CliUsageError,
  completeDeposit,
  drawCluster,
  fetchAnchoredBeaconState,
  type GetReshareReturnType,
  getBeaconRoot,
  getExitState,
  getPendingDraw,
  getReshare,
  getValidator,
  getValidatorExit,
  listValidators,
  parseId,
  proveValidatorStatus,
  requestExitForDemand,
  requestExitForLostBond,
  requestValidator,
  sendWithdrawalRequest,
  settleExit,
} from "@nektar/sdk";
import { connectBeaconNode, fetchWithdrawalCredentialsProof } from "@nektar/stinger";
import { Command } from "commander";
import { formatEther } from "viem";
import { commandContext, type GlobalFlags } from "../context.ts";
import { NotPredepositedError } from "../errors.ts";
import type { CliIo } from "../io.ts";
import { emit } from "../output.ts";

export function validatorCommand(io: CliIo): Command {
  const validator = new Command("validator").description(
    "Distributed validators: list, show, request, draw, pending-draw, complete-deposit, prove-status, and exits (exits, exit, exit-status, withdrawal-request, settle-exit)",
  );
  validator
    .command("request")
    .description(
      "Step 1 of a new validator: reserve 32 ETH of the buffer and freeze the bond weights (anyone may call)",
    )
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
      const r = await requestValidator(ctx.wallet(), { contracts: ctx.contracts });
      emit(ctx, r, () => [
        `request ${r.requestId}: 32 ETH reserved, weights frozen, tx ${r.hash}`,
        `  its 16 operators are drawn from block ${r.drawBlock}'s RANDAO mix: nektar validator draw (after that block)`,
      ]);
    });
  validator
    .command("draw")
    .description("Step 2: draw the pending request's 16 operators once its draw block is mined (anyone may call)")
    .option("--request <id>", "the pending request (default: whichever is pending)")
    .action(async (opts: { request?: string }, cmd: Command) => {
      const requestId = opts.request === undefined ? undefined : parseId(opts.request, "request id");
      const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
      const r = await drawCluster(ctx.wallet(), { contracts: ctx.contracts, requestId });
      emit(ctx, r, () =>
        r.drawn
          ? [`request ${r.requestId}: operators ${r.operatorIds.join(", ")} drawn, tx ${r.hash}`]
          : [`request ${r.requestId}: draw block out of reach, re-armed for block ${r.drawBlock}, tx ${r.hash}`],
      );
    });
  validator
    .command("pending-draw")
    .description("The validator request waiting for its draw, if any")
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
      const p = await getPendingDraw(ctx.publicClient, { contracts: ctx.contracts });
      emit(ctx, p, () =>
        p.requestId === 0n
          ? ["no request is waiting for its draw"]
          : [`request ${p.requestId}: drawn from block ${p.drawBlock}'s RANDAO mix, lock ${p.lockUnits} units`],
      );
    });
  validator
    .command("list")
    .description("Validator requests and validators, oldest first")
    .option("--from <id>", "first id", "1")
    .option("--limit <n>", "at most this many", "100")
    .action(async (opts: { from: string; limit: string }, cmd: Command) => {
      const from = parseId(opts.from, "first validator id");
      const limit = parseId(opts.limit, "limit");
      const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
      const { total, validators } = await listValidators(ctx.publicClient, { contracts: ctx.contracts, from, limit });
      emit(ctx, { total, validators }, () => [
        `${total} validator request(s)`,
        ...validators.map(
          (v) => `  ${String(v.validatorId).padStart(4)}  ${v.status.padEnd(10)} ${v.pubkey ?? "(no key yet)"}`,
        ),
      ]);
    });
  validator
    .command("show")
    .description("One validator: status, key and its 16 operators")
    .argument("<id>", "validator (request) id")
    .action(async (idText: string, _opts: unknown, cmd: Command) => {
      const validatorId = parseId(idText, "validator id");
      const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
      const v = await getValidator(ctx.publicClient, { contracts: ctx.contracts, validatorId });
      const reshare = await getReshare(ctx.publicClient, { contracts: ctx.contracts, validatorId });
      emit(ctx, { ...v, reshare }, () => [
        `validator ${v.validatorId}: ${v.status}`,
        `  pubkey     ${v.pubkey ?? "(no key yet: DKG pending)"}`,
        `  operators  ${v.operatorIds.join(", ")}`,
        `  requested  ${new Date(Number(v.requestedAt) * 1000).toISOString()}`,
        ...(reshare.stage === "none" ? [] : [reshareLine(reshare)]),
      ]);
    });
  validator
    .command("complete-deposit")
    .description(
      "Prove a predeposited validator's withdrawal credentials from a beacon node's state and have the pool send its " +
        "remaining 31 ETH (or write it off if its key was front-run). Anyone may call; the caller pays the gas.",
    )
    .argument("<id>", "validator id")
    .option("--beacon-node <url>", "Beacon API URL (default: the manifest's beaconUrl)")
    .action(async (idText: string, opts: { beaconNode?: string }, cmd: Command) => {
      const validatorId = parseId(idText, "validator id");
      const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
      const beaconUrl = opts.beaconNode ?? ctx.manifest?.beaconUrl;
      if (beaconUrl === undefined) {
        throw new CliUsageError("no beacon node", "Pass --beacon-node <url>, or use a manifest with a beaconUrl.");
      }
      const v = await getValidator(ctx.publicClient, { contracts: ctx.contracts, validatorId });
      if (v.status !== "predeposited" || v.pubkey === undefined) throw new NotPredepositedError(validatorId, v.status);
      const beacon = await connectBeaconNode(beaconUrl);
      const proof = await fetchWithdrawalCredentialsProof(beacon.api, beacon.config, v.pubkey);
      if (proof === undefined) {
        throw new CliUsageError(
          `validator ${validatorId} is not in the beacon state yet`,
          "Its 1 ETH deposit is processed a few epochs after it was made: try again later.",
        );
      }
      const done = await completeDeposit(ctx.wallet(), { contracts: ctx.contracts, ...proof });
      emit(ctx, { validatorId, ...done, beaconIndex: proof.beaconIndex }, () => [
        done.deposited
          ? `validator ${validatorId} (beacon index ${proof.beaconIndex}): 31 ETH deposited, tx ${done.hash}`
          : `validator ${validatorId} was front-run with foreign credentials: written off, cluster bond slashed, tx ${done.hash}`,
      ]);
    });
  validator
    .command("prove-status")
    .description(
      "Move a validator's lifecycle status forward (active, exiting, exited, withdrawn — the last unlocks its " +
        "operators' bonds) from a beacon proof of its record at an EIP-4788 anchor. Anyone may call; the caller pays the gas.",
    )
    .argument("<id>", "validator id")
    .option("--beacon-node <url>", "Beacon API URL (default: the manifest's beaconUrl)")
    .option(
      "--anchor <timestamp>",
      "execution block timestamp whose EIP-4788 root names the state (default: the latest block's)",
    )
    .action(async (idText: string, opts: { beaconNode?: string; anchor?: string }, cmd: Command) => {
      const validatorId = parseId(idText, "validator id");
      const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
      const beaconUrl = opts.beaconNode ?? ctx.manifest?.beaconUrl;
      if (beaconUrl === undefined) {
        throw new CliUsageError("no beacon node", "Pass --beacon-node <url>, or use a manifest with a beaconUrl.");
      }
      const anchorTimestamp =
        opts.anchor === undefined ? (await ctx.publicClient.getBlock()).timestamp : parseId(opts.anchor, "anchor");
      const v = await getValidator(ctx.publicClient, { contracts: ctx.contracts, validatorId });
      const pubkey = v.pubkey?.toLowerCase();
      if (pubkey === undefined) {
        throw new CliUsageError(
          `validator ${validatorId} has no key yet (${v.status})`,
          "Only a validator whose DKG result is on-chain has a beacon record to prove.",
        );
      }
      const root = await getBeaconRoot(ctx.publicClient, { timestamp: anchorTimestamp });
      if (root === undefined) {
        throw new CliUsageError(
          `no EIP-4788 beacon root for timestamp ${anchorTimestamp}`,
          "Pass --anchor with the timestamp of a recent execution block (within the last 8191 slots).",
        );
      }
      const state = await fetchAnchoredBeaconState({ beaconUrl, blockId: root });
      const [found] = state.protocolLeaves((key) => key.toLowerCase() === pubkey);
      if (found === undefined) {
        throw new CliUsageError(
          `validator ${validatorId} is not an activation-eligible validator in the state at ${anchorTimestamp}`,
          "Its deposit is processed a few epochs after the top-up: try again with a later anchor.",
        );
      }
      const beaconIndex = Number(found.beaconIndex);
      const sent = await proveValidatorStatus(ctx.wallet(), {
        contracts: ctx.contracts,
        validatorId,
        anchorTimestamp,
        state,
        beaconIndex,
      });
      const now = await getValidator(ctx.publicClient, { contracts: ctx.contracts, validatorId });
      emit(ctx, { validatorId, beaconIndex, anchorTimestamp, status: now.status, tx: sent.hash }, () => [
        `validator ${validatorId} (beacon index ${beaconIndex}): ${v.status} -> ${now.status} (tx ${sent.hash})`,
      ]);
    });
  addExitCommands(validator, io);
  return validator;
}

const EXIT_TRIGGERS = ["demand", "lost-bond"] as const;

/** Exits through the exit manager: the triggers, the EIP-7002 fallback and settlement. */
function addExitCommands(validator: Command, io: CliIo): void {
  validator
    .command("exits")
    .description(
      "Withdrawal demand against expected inflows, exits in flight, the next validator in line, the EIP-7002 fee",
    )
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
      const s = await getExitState(ctx.publicClient, { contracts: ctx.contracts });
      emit(ctx, s, () => [
        `exit manager     ${s.exitManager}`,
        `demand           ${formatEther(s.demand)} ETH owed to unfinalized withdrawals`,
        `available        ${formatEther(s.available)} ETH (buffer + vault + ${s.pendingExits} exit(s) in flight × 32)`,
        `shortfall        ${formatEther(s.shortfall)} ETH`,
        `next in line     ${s.nextDemandExit ?? "none"}`,
        `EIP-7002 fee     ${s.withdrawalRequestFee === undefined ? "no EIP-7002 contract on this chain" : `${s.withdrawalRequestFee} wei`}`,
        `voluntary exit   ${s.voluntaryExitWindow} s before the EIP-7002 request may be sent`,
      ]);
    });
  validator
    .command("exit")
    .description(
      "Ask a validator to exit: --reason demand (withdrawals exceed the buffer and expected inflows; default id: the " +
        "oldest in line) or lost-bond (an operator of its cluster was ejected). Anyone may call; its cluster then " +
        "publishes a voluntary exit.",
    )
    .argument("[id]", "validator id (required for lost-bond)")
    .requiredOption("--reason <trigger>", `why: ${EXIT_TRIGGERS.join(" | ")}`)
    .option("--position <n>", "lost-bond: cluster position (0..15) of the ejected operator (default: the first found)")
    .action(async (idText: string | undefined, opts: { reason: string; position?: string }, cmd: Command) => {
      if (!(EXIT_TRIGGERS as readonly string[]).includes(opts.reason)) {
        throw new CliUsageError(`unknown --reason "${opts.reason}"`, `Use one of ${EXIT_TRIGGERS.join(", ")}.`);
      }
      const validatorId = idText === undefined ? undefined : parseId(idText, "validator id");
      const position = opts.position === undefined ? undefined : parsePosition(opts.position);
      const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
      if (opts.reason === "demand") {
        const r = await requestExitForDemand(ctx.wallet(), { contracts: ctx.contracts, validatorId });
        emit(ctx, { reason: opts.reason, ...r }, () => exitLines(r.validatorId, r.withdrawalRequestAfter, r.hash));
        return;
      }
      if (validatorId === undefined) {
        throw new CliUsageError(
          "--reason lost-bond needs a validator id",
          "Give the id: nektar validator exit <id> --reason lost-bond.",
        );
      }
      const r = await requestExitForLostBond(ctx.wallet(), { contracts: ctx.contracts, validatorId, position });
      emit(ctx, { reason: opts.reason, ...r }, () => [
        `operator ${r.operatorId} of the cluster is ejected`,
        ...exitLines(r.validatorId, r.withdrawalRequestAfter, r.hash),
      ]);
    });
  validator
    .command("exit-status")
    .description("A validator's exit record: reason, EIP-7002 requests sent, settlement")
    .argument("<id>", "validator id")
    .action(async (idText: string, _opts: unknown, cmd: Command) => {
      const validatorId = parseId(idText, "validator id");
      const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
      const e = await getValidatorExit(ctx.publicClient, { contracts: ctx.contracts, validatorId });
      emit(ctx, e, () =>
        e.reason === "none"
          ? [`validator ${validatorId}: no exit requested`]
          : [
              `validator ${validatorId}: exit requested (${e.reason}) at ${isoTime(e.requestedAt)}`,
              `  EIP-7002 request  ${e.lastWithdrawalRequestAt === 0n ? "none sent" : `last sent ${isoTime(e.lastWithdrawalRequestAt)}`}`,
              `  next request      from ${isoTime(e.withdrawalRequestAfter ?? 0n)}`,
              `  settled           ${e.settled ? "yes (proven withdrawn)" : "no"}`,
            ],
      );
    });
  validator
    .command("withdrawal-request")
    .description(
      "Send the EIP-7002 exit request of a validator asked to exit whose cluster did not publish a voluntary exit in " +
        "time. You pay the EIP-7002 fee (the excess over it is refunded).",
    )
    .argument("<id>", "validator id")
    .option("--max-fee <wei>", "most you pay, in wei (default: the current fee)")
    .action(async (idText: string, opts: { maxFee?: string }, cmd: Command) => {
      const validatorId = parseId(idText, "validator id");
      const maxFee = opts.maxFee === undefined ? undefined : parseId(opts.maxFee, "maximum fee");
      const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
      const r = await sendWithdrawalRequest(ctx.wallet(), { contracts: ctx.contracts, validatorId, maxFee });
      emit(ctx, { validatorId, ...r }, () => [
        `validator ${validatorId}: EIP-7002 exit request sent, fee ${r.fee} wei, tx ${r.hash}`,
      ]);
    });
  validator
    .command("settle-exit")
    .description("Stop counting a validator proven withdrawn as expected inflow (anyone may call)")
    .argument("<id>", "validator id")
    .action(async (idText: string, _opts: unknown, cmd: Command) => {
      const validatorId = parseId(idText, "validator id");
      const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
      const r = await settleExit(ctx.wallet(), { contracts: ctx.contracts, validatorId });
      emit(ctx, { validatorId, ...r }, () => [
        `validator ${validatorId}: exit settled, ${r.pendingExits} still in flight, tx ${r.hash}`,
      ]);
    });
}

function parsePosition(text: string): number {
  const position = Number(text);
  if (!/^\d+$/.test(text) || position > 15) {
    throw new CliUsageError(`invalid --position "${text}"`, "Give a cluster position from 0 to 15.");
  }
  return position;
}

function isoTime(seconds: bigint): string {
  return new Date(Number(seconds) * 1000).toISOString();
}

function exitLines(validatorId: bigint, withdrawalRequestAfter: bigint, hash: string): string[] {
  return [
    `validator ${validatorId}: exit requested, tx ${hash}`,
    `  its cluster signs a voluntary exit; from ${isoTime(withdrawalRequestAfter)} anyone may send the EIP-7002 request`,
    `  (nektar validator withdrawal-request ${validatorId})`,
  ];
}

/** One line for an open reshare: its stage, seat, leaver, newcomer, deadline and attempt. */
function reshareLine(r: GetReshareReturnType): string {
  const newcomer = r.newcomerOperatorId === 0n ? "not drawn yet" : `operator ${r.newcomerOperatorId}`;
  const deadline = r.deadline === 0n ? "" : `, deadline ${new Date(Number(r.deadline) * 1000).toISOString()}`;
  return (
    `  reshare    ${r.stage}: seat ${r.leavingIndex} (operator ${r.leavingOperatorId}${r.ejected ? ", ejected" : ""}) → ` +
    `${newcomer}${deadline}, nonce ${r.nonce}, ${r.failures} failed attempt(s)`
  );
}
