import {
  CliUsageError,
  getOperatorNetworks,
  loadKeyFile,
  parseAddress,
  parseId,
  registerRestakingOperator,
  setNetworkMembership,
  setRestakingCommission,
} from "@nektar/sdk";
import type { Command } from "commander";
import { type ChainFlags, chainCommand, connect, print } from "./chainCommand.ts";
import { type CliIo, processIo } from "./io.ts";

type KeyFlags = ChainFlags & { ownerKeyFile: string };

/** The restaking operator is the owner's address: its key signs opt-ins and commission changes. */
function restakingCommand(name: string, description: string): Command {
  return chainCommand(name, description).requiredOption(
    "--owner-key-file <file>",
    "file with the operator owner's EL private key (0x hex, chmod 600): the restaking operator's address signs",
  );
}

/** `stinger operator networks`: every network, whether this operator is in it, and the stake each sees. */
export function networksCommand(io: CliIo = processIo): Command {
  return chainCommand("networks", "List restaking networks, this operator's membership and the stake each sees")
    .option("--owner-key-file <file>", "the operator owner's key file (or give --address)")
    .option("--address <address>", "restaking operator address")
    .action(async (flags: ChainFlags & { ownerKeyFile?: string; address?: string }) => {
      const operator =
        flags.address !== undefined
          ? parseAddress(flags.address, "operator")
          : flags.ownerKeyFile !== undefined
            ? loadKeyFile(flags.ownerKeyFile).address
            : undefined;
      if (operator === undefined) {
        throw new CliUsageError("which operator?", "Give --owner-key-file <file> or --address <0x…>.");
      }
      const c = await connect(flags);
      const result = await getOperatorNetworks(c.publicClient, { contracts: c.contracts, operator });
      const lines = [
        result.registered
          ? `restaking operator ${operator}: commission ${result.commissionBps} bp, stake ${result.stake} divETH shares`
          : `${operator} is not a restaking operator (set a commission to register: \`stinger operator commission <bp>\`)`,
        ...result.networks.map(
          (n) =>
            `network ${n.networkId} (${n.kind}) ${n.metadataURI}: ${n.optedIn ? `opted in, sees ${n.stake} shares` : "not opted in"}` +
            (n.optedOutAt > 0n ? `, opt-out effective at ${n.optedOutAt}` : ""),
        ),
      ];
      print(io, flags, { operator, ...result }, lines.join("\n"));
    });
}

/** `stinger operator optin|optout <networkId>`. */
export function membershipCommand(io: CliIo, membership: "in" | "out"): Command {
  return restakingCommand(
    `opt${membership}`,
    membership === "in"
      ? "Opt this operator in to a restaking network (at once)"
      : "Opt this operator out of a restaking network (stake stays visible and slashable until the epoch after next)",
  )
    .argument("<networkId>", "network id")
    .action(async (networkText: string, flags: KeyFlags) => {
      const networkId = parseId(networkText, "network id");
      const owner = loadKeyFile(flags.ownerKeyFile);
      const c = await connect(flags, owner);
      const wallet = c.wallet as NonNullable<typeof c.wallet>;
      const result = await setNetworkMembership(wallet, { contracts: c.contracts, networkId, membership });
      print(
        io,
        flags,
        { operator: owner.address, networkId, membership, ...result },
        `opted ${membership} ${membership === "in" ? "to" : "of"} network ${networkId} (tx ${result.hash})`,
      );
    });
}

/** `stinger operator commission <bp>`: registers the restaking operator with it, or schedules a change. */
export function commissionCommand(io: CliIo = processIo): Command {
  return restakingCommand(
    "commission",
    "Set the restaking commission in basis points (registers the restaking operator the first time)",
  )
    .argument("<bp>", "commission in basis points (0–10000)")
    .action(async (bpText: string, flags: KeyFlags) => {
      const commissionBps = /^\d+$/.test(bpText) ? BigInt(bpText) : -1n;
      const owner = loadKeyFile(flags.ownerKeyFile);
      const c = await connect(flags, owner);
      const wallet = c.wallet as NonNullable<typeof c.wallet>;
      const { registered } = await getOperatorNetworks(c.publicClient, {
        contracts: c.contracts,
        operator: owner.address,
      });
      if (!registered) {
        const result = await registerRestakingOperator(wallet, { contracts: c.contracts, commissionBps });
        print(
          io,
          flags,
          { operator: owner.address, registered: true, commissionBps, ...result },
          `registered restaking operator ${owner.address} with ${commissionBps} bp commission (tx ${result.hash})`,
        );
        return;
      }
      const result = await setRestakingCommission(wallet, { contracts: c.contracts, commissionBps });
      print(
        io,
        flags,
        { operator: owner.address, commissionBps, ...result },
        `commission ${commissionBps} bp from ${result.effectiveAt} (tx ${result.hash})`,
      );
    });
}
