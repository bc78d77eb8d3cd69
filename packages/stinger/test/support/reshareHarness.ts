import { readFileSync } from "node:fs";
import { join } from "node:path";
import { decrypt } from "@chainsafe/bls-keystore";
import type { KeyShare } from "@nektar/crypto";
import type { Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { verifyClusterLock } from "../../src/dkg/verifyLock.ts";
import { type ReshareDeps, runReshareCeremony } from "../../src/reshare/ceremony.ts";
import type { ReshareRequest } from "../../src/reshare/request.ts";
import { SlashingProtectionDB } from "../../src/slashing/db.ts";
import { definitionFor, type InProcessOperator, inProcessOperators, runDkgCeremony } from "./ceremonyHarness.ts";

export const GVR = `0x${"5e".repeat(32)}`;
/** The newcomer's registered signer (its address is the newcomer's execution-layer address). */
export const NEWCOMER_SIGNER = privateKeyToAccount(`0x${"7a".repeat(32)}`);

export type ReshareCluster = {
  ops: InProcessOperator[];
  /** The first n operators' DKG outputs, by seat. */
  lockPath: string;
  lockPaths: string[];
  shares: KeyShare[];
  dbs: SlashingProtectionDB[];
  stop(): Promise<void>;
};

/** n operators run a DKG in-process, plus one more (the newcomer, last) that is not in the cluster yet. */
export async function reshareCluster(
  n: number,
  t: number,
  dbRoot: string,
  timeouts?: { joinTimeoutMs: number; roundTimeoutMs: number },
): Promise<ReshareCluster> {
  const ops = await inProcessOperators(n + 1);
  if (timeouts !== undefined) for (const o of ops) o.deps.timeouts = timeouts;
  const newcomer = ops[n] as InProcessOperator;
  newcomer.identity.record.elAccount = { address: NEWCOMER_SIGNER.address };
  const members = ops.slice(0, n);
  const outcomes = await Promise.all(members.map((o) => runDkgCeremony(definitionFor(members, t), o.deps)));
  const shares = await Promise.all(
    outcomes.map(async (o, i) => ({
      shareIndex: i + 1,
      secretKey: await decrypt(JSON.parse(readFileSync(o.keystore, "utf8")), "share password"),
    })),
  );
  const dbs = await Promise.all(
    ops.map((_, i) => SlashingProtectionDB.open({ dir: join(dbRoot, `db-${i}`), genesisValidatorsRoot: GVR })),
  );
  return {
    ops,
    lockPath: (outcomes[0] as { lock: string }).lock,
    lockPaths: outcomes.map((o) => o.lock),
    shares,
    dbs,
    async stop() {
      await Promise.all(dbs.map((d) => d.close()));
      await Promise.all(ops.map((o) => o.node.stop()));
    },
  };
}

/** A request replacing seat `leavingIndex` by the newcomer, with a deadline `switchInEpochs` epochs ahead of `now`. */
export function replaceRequest(c: ReshareCluster, leavingIndex: number, nonce = 5n): ReshareRequest {
  const current = verifyClusterLock(JSON.parse(readFileSync(c.lockPath, "utf8")));
  const newcomer = c.ops[c.ops.length - 1] as InProcessOperator;
  const genesisTime = Math.floor(Date.now() / 1000) - 800;
  return {
    event: {
      validator: current.lock.groupPublicKey,
      leavingIndex,
      newcomer: NEWCOMER_SIGNER.address,
      members: current.definition.operators.map((o) => o.elAddress),
      // 8 one-second slots per epoch: 800 s after genesis is epoch 100; the switch is at epoch 102.
      deadline: BigInt(genesisTime + 808 + 8),
      nonce,
    },
    current,
    newcomer: {
      peerId: newcomer.node.peerId.toString(),
      multiaddrs: newcomer.node.getMultiaddrs().map((a) => a.toString()),
      elAddress: NEWCOMER_SIGNER.address,
    },
    genesisForkVersion: "0x00000000" as Hex,
    timing: { genesisTime, secondsPerSlot: 1, slotsPerEpoch: 8 },
  };
}

/**
 * Run the resharing on every operator but the leaving one; results by seat (the newcomer in the leaving seat).
 * `slashing` replaces a seat's slashing-protection DB (e.g. one of another chain, whose statements do not count).
 */
export function runReplacement(
  c: ReshareCluster,
  request: ReshareRequest,
  skip: number[] = [],
  timeouts?: { joinTimeoutMs: number; roundTimeoutMs: number },
  slashing: (seat: number) => SlashingProtectionDB | undefined = () => undefined,
) {
  const n = c.shares.length;
  const seats = Array.from({ length: n }, (_, i) => i + 1).filter((s) => !skip.includes(s));
  return Promise.all(
    seats.map((seat) => {
      const isNewcomer = seat === request.event.leavingIndex;
      const op = (isNewcomer ? c.ops[n] : c.ops[seat - 1]) as InProcessOperator;
      const deps: ReshareDeps = {
        ...op.deps,
        ...(timeouts !== undefined ? { timeouts } : {}),
        oldShare: isNewcomer ? null : (c.shares[seat - 1] as KeyShare),
        slashing: slashing(seat) ?? ((isNewcomer ? c.dbs[n] : c.dbs[seat - 1]) as SlashingProtectionDB),
        ...(isNewcomer ? { approver: NEWCOMER_SIGNER } : {}),
      };
      return runReshareCeremony(request, deps).then((outcome) => ({ seat, outcome }));
    }),
  );
}
