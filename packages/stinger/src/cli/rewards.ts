import { readFileSync } from "node:fs";
import {
  buildOperatorRewardsDistribution,
  CliUsageError,
  claimOperatorRewards,
  getOperatorRewards,
  loadKeyFile,
  parseId,
  type ValidatorStatementCounts,
} from "@nektar/sdk";
import type { Command } from "commander";
import { type ChainFlags, chainCommand, connect, print } from "./chainCommand.ts";
import type { CliIo } from "./io.ts";

// `operator rewards|claim`: the per-share operator rewards (`OperatorRewards`). Rewards are read per oracle frame from
// the contract; a claim rebuilds the last final distribution from the clusters' statements (a distribution file, as
// posted) and refuses before any transaction when it does not match the chain or there is nothing to claim.

type RewardsFlags = ChainFlags & { operatorId: string; last?: string };

/** `operator rewards --operator-id <id>`: the fee per frame, each distribution's status, and what was claimed. */
export function rewardsCommand(io: CliIo): Command {
  return chainCommand("rewards", "Show the operator fee per oracle frame, its per-share distribution and claims")
    .requiredOption("--operator-id <id>", "operator to show")
    .option("--last <n>", "how many recent frames (default 16)")
    .action(async (flags: RewardsFlags) => {
      const operatorId = parseId(flags.operatorId, "operator id");
      const last = flags.last === undefined ? undefined : Number(parseId(flags.last, "frame count"));
      const c = await connect(flags);
      const r = await getOperatorRewards(c.publicClient, { contracts: c.contracts, operatorId, last });
      print(
        io,
        flags,
        { operatorId, ...r },
        [
          `Operator ${operatorId}: ${r.claimed ?? 0n} divETH shares claimed; ${r.finalCount} of ${r.feeCount} fees distributed`,
          ...r.frames.map(
            (f) =>
              `  frame ${f.frame}: fee ${f.feeShares} shares, ${f.status}${f.status === "none" ? "" : `, ${f.totalPaid} paid to shares`}`,
          ),
        ].join("\n"),
      );
    });
}

/** What a distribution file holds: the clusters' signed counts for a fee's frame and the previous cumulative. */
type DistributionFile = {
  sequence: string;
  statements: { validatorId: string; expected: number[]; contributed: number[] }[];
  priorCumulative?: string[];
};

function readDistributionFile(path: string): {
  sequence: bigint;
  statements: ValidatorStatementCounts[];
  priorCumulative: bigint[];
} {
  let parsed: DistributionFile;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8")) as DistributionFile;
    return {
      sequence: BigInt(parsed.sequence),
      statements: parsed.statements.map((s) => ({
        validatorId: BigInt(s.validatorId),
        expected: s.expected,
        contributed: s.contributed,
      })),
      priorCumulative: (parsed.priorCumulative ?? []).map((v) => BigInt(v)),
    };
  } catch (e) {
    throw new CliUsageError(
      `cannot read the distribution file ${path}: ${(e as Error).message}`,
      'It is JSON: {"sequence": "<fee>", "statements": [{"validatorId", "expected": [16], "contributed": [16]}], "priorCumulative": ["<shares>", …]}.',
    );
  }
}

/** `operator claim --operator-id <id> --distribution <file> --owner-key-file <file>`. */
export function claimCommand(io: CliIo): Command {
  return chainCommand(
    "claim",
    "Claim the operator's per-share rewards (divETH shares) from the last final distribution",
  )
    .requiredOption("--operator-id <id>", "operator to claim for (the key file's account must own it)")
    .requiredOption("--distribution <file>", "the last final distribution's statements file (JSON)")
    .requiredOption("--owner-key-file <file>", "file with the operator owner's EL private key (0x hex, chmod 600)")
    .action(async (flags: ChainFlags & { operatorId: string; distribution: string; ownerKeyFile: string }) => {
      const operatorId = parseId(flags.operatorId, "operator id");
      const file = readDistributionFile(flags.distribution);
      const owner = loadKeyFile(flags.ownerKeyFile);
      const c = await connect(flags, owner);
      const wallet = c.wallet as NonNullable<typeof c.wallet>;
      const state = await getOperatorRewards(c.publicClient, { contracts: c.contracts, operatorId, last: 1 });
      if (state.finalCount === 0n || file.sequence !== state.finalCount - 1n) {
        throw new CliUsageError(
          `the file distributes fee ${file.sequence}; claims use the last final one (${state.finalCount - 1n})`,
          "Fetch the distribution file of the last final fee (`operator rewards` lists the fees).",
        );
      }
      const built = await buildOperatorRewardsDistribution(c.publicClient, {
        contracts: c.contracts,
        sequence: file.sequence,
        statements: file.statements,
        priorCumulative: file.priorCumulative,
      });
      const onChain = state.frames.at(-1);
      if (onChain === undefined || built.commitment.operatorsRoot !== onChain.operatorsRoot) {
        throw new CliUsageError(
          "the distribution file does not rebuild the final commitment",
          "Use the statements file the distribution was posted from.",
        );
      }
      const cumulative = built.cumulative[Number(operatorId)] ?? 0n;
      if (cumulative <= (state.claimed ?? 0n)) {
        throw new CliUsageError(
          `operator ${operatorId} has nothing to claim (claimed ${state.claimed ?? 0n} of ${cumulative})`,
        );
      }
      const r = await claimOperatorRewards(wallet, {
        contracts: c.contracts,
        operatorId,
        cumulative,
        proof: built.operatorProof(Number(operatorId)),
      });
      print(
        io,
        flags,
        { operatorId, divETHShares: r.divETHShares, cumulative, tx: r.hash },
        `Operator ${operatorId} claimed ${r.divETHShares} divETH shares (cumulative ${cumulative}; tx ${r.hash})`,
      );
    });
}
