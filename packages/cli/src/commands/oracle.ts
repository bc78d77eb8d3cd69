import {
  applyOracleReport,
  buildOracleReport,
  CliUsageError,
  disputeOracleReport,
  fetchAnchoredBeaconState,
  finalizeFrameByProofs,
  getBeaconRoot,
  getOracleFrameSnapshot,
  getOracleLeafRequests,
  getOracleReport,
  getOracleState,
  type NektarContracts,
  type NektarWriteClient,
  parseId,
  requestOracleLeaf,
  snapshotOracleFrame,
  voidUnrevealedOracleReport,
} from "@nektar/sdk";
import { nextDisputeStep } from "@nektar/stinger";
import { Command } from "commander";
import { commandContext, type GlobalFlags } from "../context.ts";
import type { CliIo } from "../io.ts";
import { emit, ether } from "../output.ts";

/**
 * `nektar oracle status|report|snapshot|apply|request-leaf|void|dispute|finalize-by-proofs`: the permissionless accounting oracle's
 * frames and reports.
 */
export function oracleCommand(io: CliIo): Command {
  const oracle = new Command("oracle").description(
    "the accounting oracle: frames, posted reports, their challenge window and disputes",
  );
  oracle
    .command("status")
    .description("current frame, last applied frame, challenge window, reporter bond and share-rate limits")
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
      const s = await getOracleState(ctx.publicClient, { contracts: ctx.contracts });
      const current = await getOracleReport(ctx.publicClient, { contracts: ctx.contracts, frame: s.currentFrame });
      const snapshot = await getOracleFrameSnapshot(ctx.publicClient, {
        contracts: ctx.contracts,
        frame: s.currentFrame,
      });
      emit(ctx, { ...s, currentReport: current, currentSnapshot: snapshot }, () => [
        `frame ${s.currentFrame} (last applied ${s.lastAppliedFrame}); frames of ${s.frameSeconds} s`,
        snapshot.anchorTimestamp === 0n
          ? "  snapshot      none yet (`nektar oracle snapshot`)"
          : `  snapshot      anchor ${snapshot.anchorTimestamp}; vault pull ${ether(snapshot.vaultPull)}`,
        `  report        ${current.status}${current.status === "none" ? "" : ` by operator ${current.reporterOperatorId}`}`,
        `  window        ${s.challengeWindow} s; reporter bond ${s.reporterBondUnits} units`,
        `  limits        +${s.maxShareRateIncreaseBpPerDay} bp/day, -${s.maxShareRateDecreaseBpPerReport} bp/report`,
      ]);
    });
  oracle
    .command("report")
    .description("a frame's report: status, reporter, anchor, root, numbers and dispute deadline")
    .argument("<frame>", "frame number")
    .action(async (frameText: string, _opts: unknown, cmd: Command) => {
      const frame = parseId(frameText, "frame");
      const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
      const r = await getOracleReport(ctx.publicClient, { contracts: ctx.contracts, frame });
      emit(ctx, r, () => [
        `frame ${frame}: ${r.status}`,
        ...(r.status === "none"
          ? []
          : [
              `  reporter      ${r.reporter} (operator ${r.reporterOperatorId}, ${r.bondUnits} bond units)`,
              `  anchor        ${r.anchorTimestamp} -> block ${r.blockRoot}`,
              `  root          ${r.root}: ${r.count} validators, ${r.balanceSum} gwei`,
              `  vault pull    ${ether(r.withdrawalVaultBalance)}`,
              `  disputes until ${r.disputeDeadline} (${r.openReveals} reveal requests open)`,
            ]),
      ]);
    });
  oracle
    .command("snapshot")
    .description(
      "anchor the current frame at this transaction's slot and read the withdrawal vault's balance with it (anyone, " +
        "once per frame; reports and proof sessions of the frame use this anchor, and the vault pull is read here)",
    )
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
      const { currentFrame: frame } = await getOracleState(ctx.publicClient, { contracts: ctx.contracts });
      const r = await snapshotOracleFrame(ctx.wallet(), { contracts: ctx.contracts, frame });
      emit(ctx, { frame, ...r }, () => [
        `frame ${frame}: anchored at ${r.anchorTimestamp}; vault pull ${ether(r.vaultPull)} (tx ${r.hash})`,
      ]);
    });
  oracle
    .command("apply")
    .description("apply a frame's report after its challenge window (anyone; the caller pays the gas)")
    .argument("<frame>", "frame number")
    .action(async (frameText: string, _opts: unknown, cmd: Command) => {
      const frame = parseId(frameText, "frame");
      const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
      const r = await applyOracleReport(ctx.wallet(), { contracts: ctx.contracts, frame });
      emit(ctx, r, () => [`frame ${frame}: ${r.outcome} (tx ${r.hash})`]);
    });
  oracle
    .command("request-leaf")
    .description(
      "ask for the opening of a pending report's leaf (data availability; pays the 0.01 ETH reveal deposit, voidable if unanswered)",
    )
    .argument("<frame>", "frame number")
    .argument("<position>", "leaf position in the report's tree")
    .action(async (frameText: string, positionText: string, _opts: unknown, cmd: Command) => {
      const frame = parseId(frameText, "frame");
      const position = parsePosition(positionText);
      const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
      const r = await requestOracleLeaf(ctx.wallet(), { contracts: ctx.contracts, frame, position });
      emit(ctx, r, () => [`frame ${frame}: leaf ${position} requested (tx ${r.hash})`]);
    });
  oracle
    .command("void")
    .description("void a report whose requested leaf was not revealed in time (anyone; the requester is paid)")
    .argument("<frame>", "frame number")
    .argument("<position>", "the unanswered leaf position")
    .action(async (frameText: string, positionText: string, _opts: unknown, cmd: Command) => {
      const frame = parseId(frameText, "frame");
      const position = parsePosition(positionText);
      const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
      const r = await voidUnrevealedOracleReport(ctx.wallet(), { contracts: ctx.contracts, frame, position });
      emit(ctx, r, () => [`frame ${frame}: report voided, leaf ${position} unrevealed (tx ${r.hash})`]);
    });
  oracle
    .command("dispute")
    .description(
      "check a pending report against a beacon node's state at its anchor and take the next dispute step: a dispute " +
        "the chain checks (the fact and its beacon proof are fetched), a void of an unanswered leaf request, or a " +
        "leaf request (run again once it is revealed); the disputer is paid from the reporter's bond",
    )
    .argument("<frame>", "frame number")
    .option("--beacon-node <url>", "Beacon API URL (default: the manifest's beaconUrl)")
    .action(async (frameText: string, opts: { beaconNode?: string }, cmd: Command) => {
      const frame = parseId(frameText, "frame");
      const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
      const beaconUrl = opts.beaconNode ?? ctx.manifest?.beaconUrl;
      if (beaconUrl === undefined) {
        throw new CliUsageError("no beacon node", "Pass --beacon-node <url>, or use a manifest with a beaconUrl.");
      }
      const r = await getOracleReport(ctx.publicClient, { contracts: ctx.contracts, frame });
      const now = (await ctx.publicClient.getBlock()).timestamp;
      if (r.status !== "pending" || now >= r.disputeDeadline) {
        throw new CliUsageError(
          `frame ${frame} has no report open to disputes (${r.status === "pending" ? "its challenge window closed" : r.status})`,
          "Only a pending report inside its challenge window can be disputed: see `nektar oracle report <frame>`.",
        );
      }
      const state = await fetchAnchoredBeaconState({ beaconUrl, blockId: r.blockRoot });
      const honest = await buildOracleReport(ctx.publicClient, { contracts: ctx.contracts, state });
      const base = { frame, reporterOperatorId: r.reporterOperatorId };
      if (honest.root.hash.toLowerCase() === r.root.toLowerCase() && honest.root.count === r.count) {
        if (honest.root.sum === r.balanceSum) {
          emit(ctx, { ...base, outcome: "matches" }, () => [
            `frame ${frame}: the report matches the beacon state at its anchor; nothing to dispute`,
          ]);
          return;
        }
      }
      const requests = await getOracleLeafRequests(ctx.publicClient, {
        contracts: ctx.contracts,
        frame,
        version: r.version,
        fromBlock: 0n,
      });
      const lapsed = requests.find((q) => !q.answered && now >= q.deadline);
      if (lapsed !== undefined) {
        const sent = await voidUnrevealedOracleReport(ctx.wallet(), {
          contracts: ctx.contracts,
          frame,
          position: lapsed.position,
        });
        emit(ctx, { ...base, outcome: "voided", kind: "unrevealed", position: lapsed.position, tx: sent.hash }, () => [
          `frame ${frame}: report voided, leaf ${lapsed.position} was not revealed in time (tx ${sent.hash})`,
        ]);
        return;
      }
      const step = nextDisputeStep({
        root: { hash: r.root, count: r.count, sum: r.balanceSum },
        honest,
        openings: requests.flatMap((q) =>
          q.revealed === undefined ? [] : [{ position: Number(q.position), ...q.revealed }],
        ),
        requested: new Set(requests.map((q) => Number(q.position))),
        state,
        validatorCount: Number(state.validatorsRootProof().length),
      });
      if (step.step === "dispute") {
        const sent = await disputeOracleReport(ctx.wallet(), {
          contracts: ctx.contracts,
          frame,
          dispute: step.dispute,
        });
        const kind = step.dispute.kind.replace(/^revealed/, "");
        emit(ctx, { ...base, outcome: "disputed", kind, tx: sent.hash }, () => [
          `frame ${frame}: report disputed (${kind}) and voided; the reporter's bond pays you (tx ${sent.hash})`,
        ]);
      } else if (step.step === "request") {
        const position = BigInt(step.position);
        const waiting = requests.find((q) => !q.answered);
        if (waiting !== undefined) {
          emit(ctx, { ...base, outcome: "waiting", position: waiting.position, deadline: waiting.deadline }, () => [
            `frame ${frame}: leaf ${waiting.position} is requested; run again once it is revealed or after ${waiting.deadline} (then it voids)`,
          ]);
          return;
        }
        const sent = await requestOracleLeaf(ctx.wallet(), { contracts: ctx.contracts, frame, position });
        emit(ctx, { ...base, outcome: "leaf-requested", position, tx: sent.hash }, () => [
          `frame ${frame}: the report differs from the beacon state; leaf ${position} requested (tx ${sent.hash}).`,
          "  Run this command again once the reporter revealed it (or after its deadline, which voids the report).",
        ]);
      } else {
        emit(ctx, { ...base, outcome: "manual", reason: step.reason }, () => [
          `frame ${frame}: the report differs from the beacon state but no on-chain fact shows it yet: ${step.reason}`,
        ]);
      }
    });
  oracle
    .command("finalize-by-proofs")
    .description(
      "finalize the current frame without a reporter: prove every protocol validator from a beacon node's state in " +
        "batches (anyone; the caller pays ≈ 30–45k gas per validator; the process's Lodestar preset must be the " +
        "network's, LODESTAR_PRESET=minimal on the devnet)",
    )
    .option("--beacon-node <url>", "Beacon API URL (default: the manifest's beaconUrl)")
    .option("--batch-size <n>", "validators per transaction", "64")
    .action(async (opts: { beaconNode?: string; batchSize: string }, cmd: Command) => {
      const batchSize = Number(parseId(opts.batchSize, "batch size"));
      const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
      const beaconUrl = opts.beaconNode ?? ctx.manifest?.beaconUrl;
      if (beaconUrl === undefined) {
        throw new CliUsageError("no beacon node", "Pass --beacon-node <url>, or use a manifest with a beaconUrl.");
      }
      const { currentFrame: frame } = await getOracleState(ctx.publicClient, { contracts: ctx.contracts });
      const anchorTimestamp = await frameAnchor(ctx.wallet(), ctx.contracts, frame);
      const root = await getBeaconRoot(ctx.publicClient, { timestamp: anchorTimestamp });
      if (root === undefined) {
        throw new CliUsageError(
          `no beacon block root for frame ${frame}'s anchor ${anchorTimestamp} yet`,
          "The anchor's slot has no execution block with an EIP-4788 root yet: wait a slot and run the command again.",
        );
      }
      const state = await fetchAnchoredBeaconState({ beaconUrl, blockId: root });
      const { leaves } = await buildOracleReport(ctx.publicClient, { contracts: ctx.contracts, state });
      const r = await finalizeFrameByProofs(ctx.wallet(), {
        contracts: ctx.contracts,
        frame,
        anchorTimestamp,
        state,
        leaves,
        batchSize,
      });
      const hashes = r.transactions.map((t) => t.hash);
      emit(ctx, { frame, anchorTimestamp, blockRoot: root, validators: leaves.length, transactions: hashes }, () => [
        `frame ${frame}: finalized by proofs of ${leaves.length} validators, anchored at ${anchorTimestamp} (block ${root})`,
        ...hashes.map((h) => `  tx ${h}`),
      ]);
    });
  return oracle;
}

/** The frame's snapshot anchor, snapshotting the frame first when nobody has (the caller pays that transaction too). */
async function frameAnchor(
  client: NektarWriteClient,
  contracts: Pick<NektarContracts, "accountingOracle">,
  frame: bigint,
): Promise<bigint> {
  const { anchorTimestamp } = await getOracleFrameSnapshot(client, { contracts, frame });
  if (anchorTimestamp !== 0n) return anchorTimestamp;
  return (await snapshotOracleFrame(client, { contracts, frame })).anchorTimestamp;
}

/** A leaf position: 0 is the first. */
function parsePosition(text: string): bigint {
  if (!/^\d+$/.test(text.trim())) {
    throw new CliUsageError(`invalid position "${text}": expected a non-negative integer`);
  }
  return BigInt(text.trim());
}
