import {
  applyOracleReport,
  buildOracleReport,
  CliUsageError,
  fetchAnchoredBeaconState,
  finalizeFrameByProofs,
  getBeaconRoot,
  getOracleReport,
  getOracleState,
  type NektarReadClient,
  type OracleState,
  parseId,
  requestOracleLeaf,
  voidUnrevealedOracleReport,
} from "@nektar/sdk";
import { Command } from "commander";
import { commandContext, type GlobalFlags } from "../context.ts";
import type { CliIo } from "../io.ts";
import { emit, ether } from "../output.ts";

/**
 * `nektar oracle status|report|apply|request-leaf|void|finalize-by-proofs`: the permissionless accounting oracle's
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
      emit(ctx, { ...s, currentReport: current }, () => [
        `frame ${s.currentFrame} (last applied ${s.lastAppliedFrame}); frames of ${s.frameSeconds} s`,
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
    .command("finalize-by-proofs")
    .description(
      "finalize the current frame without a reporter: prove every protocol validator from a beacon node's state in " +
        "batches (anyone; the caller pays ≈ 30–45k gas per validator; the process's Lodestar preset must be the " +
        "network's, LODESTAR_PRESET=minimal on the devnet)",
    )
    .option("--beacon-node <url>", "Beacon API URL (default: the manifest's beaconUrl)")
    .option(
      "--anchor <timestamp>",
      "execution-block timestamp whose EIP-4788 root anchors the frame (default: the newest slot time in the frame's window that has one)",
    )
    .option("--batch-size <n>", "validators per transaction", "64")
    .action(async (opts: { beaconNode?: string; anchor?: string; batchSize: string }, cmd: Command) => {
      const batchSize = Number(parseId(opts.batchSize, "batch size"));
      const given = opts.anchor === undefined ? undefined : parseId(opts.anchor, "anchor timestamp");
      const ctx = await commandContext(cmd.optsWithGlobals<GlobalFlags>(), io);
      const beaconUrl = opts.beaconNode ?? ctx.manifest?.beaconUrl;
      if (beaconUrl === undefined) {
        throw new CliUsageError("no beacon node", "Pass --beacon-node <url>, or use a manifest with a beaconUrl.");
      }
      const s = await getOracleState(ctx.publicClient, { contracts: ctx.contracts });
      const frame = s.currentFrame;
      const now = (await ctx.publicClient.getBlock()).timestamp;
      const anchorTimestamp = given ?? (await newestAnchor(ctx.publicClient, s, now));
      const root = await getBeaconRoot(ctx.publicClient, { timestamp: anchorTimestamp });
      if (root === undefined) {
        throw new CliUsageError(
          `no beacon block root for timestamp ${anchorTimestamp}`,
          "Give --anchor an execution block's timestamp inside the current frame's anchor window (within the last 8191 blocks).",
        );
      }
      const state = await fetchAnchoredBeaconState({ beaconUrl, blockId: root });
      const { leaves } = await buildOracleReport(ctx.publicClient, { contracts: ctx.contracts, state });
      // The vault is left alone (0 pulled): always within its balance, the next report pulls it.
      const r = await finalizeFrameByProofs(ctx.wallet(), {
        contracts: ctx.contracts,
        frame,
        anchorTimestamp,
        state,
        leaves,
        withdrawalVaultBalance: 0n,
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

/** The newest slot time in the current frame's anchor window (up to now) whose execution block has an EIP-4788 root. */
async function newestAnchor(client: NektarReadClient, s: OracleState, now: bigint): Promise<bigint> {
  const reference = s.genesisTime + s.currentFrame * s.frameSeconds;
  const last = reference + s.frameSeconds - 1n < now ? reference + s.frameSeconds - 1n : now;
  for (
    let t = last - ((last - s.genesisTime) % s.secondsPerSlot);
    t >= reference + s.secondsPerSlot;
    t -= s.secondsPerSlot
  ) {
    if ((await getBeaconRoot(client, { timestamp: t })) !== undefined) return t;
  }
  throw new CliUsageError(
    `no anchor for frame ${s.currentFrame} yet`,
    "The frame's first slot after its reference time has no execution block with a beacon root yet: wait a slot, or pass --anchor.",
  );
}

/** A leaf position: 0 is the first. */
function parsePosition(text: string): bigint {
  if (!/^\d+$/.test(text.trim())) {
    throw new CliUsageError(`invalid position "${text}": expected a non-negative integer`);
  }
  return BigInt(text.trim());
}
