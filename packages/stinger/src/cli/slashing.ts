import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CliUsageError } from "@nektar/sdk";
import { Command } from "commander";
import { connectBeaconNode } from "../node/beaconConnection.ts";
import { SlashingProtectionDB } from "../slashing/db.ts";
import { writeFileAtomic } from "../storage/atomicFile.ts";
import type { CliIo } from "./io.ts";
import { addCommonOptions, type CommonFlags, configFrom } from "./options.ts";

/** Where `stinger run` keeps the slashing-protection DB of a data directory. */
export const slashingDbDir = (dataDir: string): string => join(dataDir, "slashing-protection");

type ExportFlags = CommonFlags & {
  genesisValidatorsRoot?: string;
  beaconNode?: string;
  pubkeys?: string;
  out?: string;
  json?: boolean;
};
type ImportFlags = CommonFlags & { genesisValidatorsRoot?: string; json?: boolean };

const ROOT = /^0x[0-9a-fA-F]{64}$/;

function rootFlag(value: string | undefined, flag: string): string | undefined {
  if (value !== undefined && !ROOT.test(value)) {
    throw new CliUsageError(`${flag} must be 0x-prefixed hex of 32 bytes, got ${value}`);
  }
  return value?.toLowerCase();
}

/** The chain whose DB is exported: given, or read from the beacon node (`/eth/v1/beacon/genesis`). */
async function exportChain(flags: ExportFlags): Promise<string> {
  const given = rootFlag(flags.genesisValidatorsRoot, "--genesis-validators-root");
  if (given !== undefined) return given;
  const url = flags.beaconNode ?? process.env.STINGER_BEACON_NODE;
  if (url === undefined) {
    throw new CliUsageError(
      "the chain is needed: pass --genesis-validators-root <0x…> or --beacon-node <url>",
      "The slashing DB is kept per chain; name the one to export.",
    );
  }
  const beacon = await connectBeaconNode(url.split(",")[0] as string);
  return `0x${Buffer.from(beacon.genesisValidatorsRoot).toString("hex")}`;
}

/** Opens the data dir's DB (taking its lock: refused while `stinger run` holds it), runs `f`, closes it. */
async function withDb<T>(dataDir: string, genesisValidatorsRoot: string, f: (db: SlashingProtectionDB) => Promise<T>) {
  const db = await SlashingProtectionDB.open({ dir: slashingDbDir(dataDir), genesisValidatorsRoot });
  try {
    return await f(db);
  } finally {
    await db.close();
  }
}

function readInterchangeFile(file: string): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new CliUsageError(`cannot read ${file}: ${(e as Error).message}`, "Give an EIP-3076 interchange JSON file.");
  }
  if (typeof doc !== "object" || doc === null) {
    throw new CliUsageError(`${file} is not a JSON object`, "Give an EIP-3076 interchange JSON file.");
  }
  return doc as Record<string, unknown>;
}

/**
 * `stinger slashing export|import`: the node's slashing-protection DB as an EIP-3076 v5 interchange document, to move
 * validators between machines or clients. Both need the DB to themselves: stop `stinger run` first (the DB lock says
 * so otherwise).
 */
export function slashingCommand(io: CliIo): Command {
  const cmd = new Command("slashing").description(
    "Export or import the slashing-protection DB as EIP-3076 interchange (format v5); stop `stinger run` first",
  );
  cmd.addCommand(
    addCommonOptions(new Command("export"))
      .description("Write the DB's signing history (minimal form: watermarks per validator) as interchange JSON")
      .option("--genesis-validators-root <root>", "chain of the DB (0x…32 bytes)")
      .option("--beacon-node <url>", "read the chain from this beacon node instead [env STINGER_BEACON_NODE]")
      .option("--pubkeys <list>", "comma-separated validator pubkeys to export (default: all)")
      .option("--out <file>", "write here (atomically) instead of stdout")
      .option("--json", "print a JSON summary (with --out)")
      .action(async (flags: ExportFlags) => {
        const config = configFrom(flags);
        const genesisValidatorsRoot = await exportChain(flags);
        const pubkeys = flags.pubkeys?.split(",").filter((k) => k !== "");
        const doc = await withDb(config.dataDir, genesisValidatorsRoot, (db) => db.exportInterchange(pubkeys));
        const text = `${JSON.stringify(doc, null, 2)}\n`;
        if (flags.out === undefined) {
          io.out(text.trimEnd());
          return;
        }
        writeFileAtomic(flags.out, text, { mode: 0o600 });
        const summary = { file: flags.out, validators: doc.data.length, genesisValidatorsRoot };
        io.out(
          flags.json
            ? JSON.stringify(summary)
            : `Exported ${summary.validators} validators (EIP-3076 v5, chain ${genesisValidatorsRoot}) to ${flags.out}`,
        );
      }),
  );
  cmd.addCommand(
    addCommonOptions(new Command("import"))
      .description("Merge an interchange file into the DB (all or nothing; slashable data is reduced to watermarks)")
      .argument("<file>", "EIP-3076 interchange JSON (format v5)")
      .option(
        "--genesis-validators-root <root>",
        "chain of the DB (default: the file's); a file or DB of another chain is refused",
      )
      .option("--json", "print a JSON summary")
      .action(async (file: string, flags: ImportFlags) => {
        const config = configFrom(flags);
        const doc = readInterchangeFile(file);
        const fromFile = (doc.metadata as { genesis_validators_root?: unknown } | undefined)?.genesis_validators_root;
        const genesisValidatorsRoot =
          rootFlag(flags.genesisValidatorsRoot, "--genesis-validators-root") ??
          rootFlag(typeof fromFile === "string" ? fromFile : undefined, `${file} metadata.genesis_validators_root`);
        if (genesisValidatorsRoot === undefined) {
          throw new CliUsageError(`${file} names no chain (metadata.genesis_validators_root)`);
        }
        const result = await withDb(config.dataDir, genesisValidatorsRoot, (db) => db.importInterchange(doc));
        io.out(
          flags.json
            ? JSON.stringify({ file, ...result, genesisValidatorsRoot })
            : `Imported ${result.records} records for ${result.validators} validators from ${file}`,
        );
      }),
  );
  return cmd;
}
