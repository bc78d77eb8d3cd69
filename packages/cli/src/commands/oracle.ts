import {
  applyOracleReport,
  buildOracleReport,
  CliUsageError,
  fetchAnchoredBeaconState,
  finalizeFrameByProofs,
  getBeaconRoot,
  getOracleFrameSnapshot,
  getOracleReport,
  getOracleState,
  type NektarContracts,
  type NektarWriteClient,
  parseId,
  requestOracleLeaf,
  snapshotOracleFrame,
  voidUnrevealedOracleReport,
} from "@nektar/sdk";
import { Command } from "commander";
import { commandContext, type GlobalFlags } from "../context.ts";
import type { CliIo } from "../io.ts";
import { emit, ether } from "../output.ts";

/**
 * `nektar oracle status|report|snapshot|apply|request-leaf|void|finalize-by-proofs`: the permissionless accounting oracle's
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
