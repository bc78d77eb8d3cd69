import { readFileSync } from "node:fs";
import { Command } from "commander";
import { createIdentity, parseImportedSeed } from "../identity/identity.ts";
import { addCommonOptions, type CommonFlags, configFrom, identityPassword } from "./options.ts";

type InitFlags = CommonFlags & { elAddress: string; elKeystore?: string; importKey?: string; kdf?: string };

export function initCommand(): Command {
  return addCommonOptions(
    new Command("init")
      .description(
        "Create (or import) this operator's identity: an Ed25519 libp2p key encrypted at rest, and the EL account reference",
      )
      .requiredOption(
        "--el-address <address>",
        "operator execution-layer account (registered on-chain, holds the bond)",
      )
      .option(
        "--el-keystore <path>",
        "where the EL account's key lives (web3 keystore path or signer URL); stored as a reference only",
      )
      .option("--import-key <file>", "import an existing Ed25519 identity: a file with its 32-byte seed as hex")
      .option("--kdf <kdf>", "keystore key derivation: pbkdf2 (default) or scrypt"),
  ).action(async (flags: InitFlags) => {
    const config = configFrom(flags, { keystoreKdf: flags.kdf });
    const password = await identityPassword(flags);
    const seed = flags.importKey !== undefined ? parseImportedSeed(readFileSync(flags.importKey, "utf8")) : undefined;
    const identity = await createIdentity({
      dataDir: config.dataDir,
      password,
      elAccount: { address: flags.elAddress, keystore: flags.elKeystore },
      seed,
      kdf: config.keystoreKdf,
    });
    console.log(`Operator identity ${seed ? "imported" : "created"} in ${config.dataDir}`);
    console.log(`  peer id:         ${identity.record.peerId}`);
    console.log(`  identity pubkey: ${identity.record.identityPubkey}`);
    console.log(`  EL account:      ${identity.record.elAccount.address}`);
    console.log("Back up the data directory, then register this identity in the operator registry:");
    console.log(`  stinger operator register --data-dir ${config.dataDir} --owner-key-file <file> --manifest <file>`);
  });
}
