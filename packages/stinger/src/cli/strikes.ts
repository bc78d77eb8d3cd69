import { CliUsageError, ejectOperator, getOperatorStrikes, loadKeyFile, parseId } from "@nektar/sdk";
import type { Command } from "commander";
import { type ChainFlags, chainCommand, connect, print } from "./chainCommand.ts";
import type { CliIo } from "./io.ts";

// `operator strikes|eject`: the evidence-driven penalties flow. Strikes are read from the registry; ejection needs no
// role, so any funded account may send it once the operator is over the limit.

type StrikesFlags = ChainFlags & { operatorId: string };

/** `operator strikes --operator-id <id>`: strikes within the window, the limit, and whether anyone may eject it. */
export function strikesCommand(io: CliIo): Command {
  return chainCommand("strikes", "Show an operator's strikes (missed DKGs) and whether anyone may eject it")
    .requiredOption("--operator-id <id>", "operator to show")
    .action(async (flags: StrikesFlags) => {
      const operatorId = parseId(flags.operatorId, "operator id");
      const c = await connect(flags);
      const s = await getOperatorStrikes(c.publicClient, { contracts: c.contracts, operatorId });
      print(
        io,
        flags,
        { operatorId, ...s },
        [
          `Operator ${operatorId}: ${s.inWindow} of ${s.strikesToEject} strikes within the last ${s.windowFrames} oracle frames`,
          `  strikes ever:  ${s.total}${s.total > 0n ? ` (latest in frame ${s.lastFrame})` : ""}`,
          `  ejection:      ${s.ejected ? "ejected" : s.ejectable ? "anyone may eject it now (`operator eject`)" : "not ejectable"}`,
        ].join("\n"),
      );
    });
}

/** `operator eject --operator-id <id> --key-file <file>`: ejects an operator over the strike limit (no role). */
export function ejectCommand(io: CliIo): Command {
  return chainCommand("eject", "Eject an operator over the strike limit from future draws (anyone may; no role)")
    .requiredOption("--operator-id <id>", "operator to eject")
    .requiredOption("--key-file <file>", "file with the sender's EL private key (0x hex, chmod 600): pays the gas")
    .action(async (flags: StrikesFlags & { keyFile: string }) => {
      const operatorId = parseId(flags.operatorId, "operator id");
      const account = loadKeyFile(flags.keyFile);
      const c = await connect(flags, account);
      const wallet = c.wallet as NonNullable<typeof c.wallet>;
      // Checked before the transaction, with the same numbers the registry checks.
      const s = await getOperatorStrikes(c.publicClient, { contracts: c.contracts, operatorId });
      if (s.ejected) throw new CliUsageError(`operator ${operatorId} is already ejected`);
      if (!s.ejectable) {
        throw new CliUsageError(
          `operator ${operatorId} has ${s.inWindow} strikes within the last ${s.windowFrames} frames; ejection needs ${s.strikesToEject}`,
          "See `operator strikes --operator-id <id>`; strikes come from missed DKGs.",
        );
      }
      const r = await ejectOperator(wallet, { contracts: c.contracts, operatorId });
      print(
        io,
        flags,
        { operatorId, ejected: true, tx: r.hash },
        `Operator ${operatorId} ejected: it is left out of all future draws (tx ${r.hash})`,
      );
    });
}
