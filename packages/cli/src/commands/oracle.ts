import {
  applyOracleReport,
  CliUsageError,
  getOracleReport,
  getOracleState,
  parseId,
  requestOracleLeaf,
  voidUnrevealedOracleReport,
} from "@nektar/sdk";
import { Command } from "commander";
import { commandContext, type GlobalFlags } from "../context.ts";
import type { CliIo } from "../io.ts";
import { emit, ether } from "../output.ts";

/** `nektar oracle status|report|apply|request-leaf|void`: the permissionless accounting oracle's frames and reports. */
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
  return oracle;
}

/** A leaf position: 0 is the first. */
function parsePosition(text: string): bigint {
  if (!/^\d+$/.test(text.trim())) {
    throw new CliUsageError(`invalid position "${text}": expected a non-negative integer`);
  }
  return BigInt(text.trim());
}
