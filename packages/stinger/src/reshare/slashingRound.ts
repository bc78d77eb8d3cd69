import { hexToBytes } from "viem";
import type { CeremonyContext } from "../dkg/ceremonyContext.ts";
import type { IdentitySigner, IdentityVerifier } from "../identity/ed25519.ts";
import { MessageKind } from "../p2p/envelope.ts";
import type { SlashingProtectionDB } from "../slashing/db.ts";
import { ReshareError } from "./errors.ts";
import { ReshareRound } from "./rounds.ts";
import {
  type AttestedSlashingState,
  combineSlashingStatements,
  decodeSignedStatement,
  encodeSignedStatement,
  type SlashingStatement,
  slashingStatement,
} from "./slashingHandoff.ts";

export type SlashingExchangeParameters = {
  leavingIndex: number;
  validator: Uint8Array;
  db: Pick<SlashingProtectionDB, "watermarks" | "importInterchange" | "genesisValidatorsRoot">;
  signer: IdentitySigner;
  verifiers: readonly IdentityVerifier[];
  now: () => { slot: bigint; epoch: bigint };
  /** Seats (1-based) whose statements the newcomer waits for (the qualified dealers: members known to be up). */
  awaitSeats: Iterable<number>;
  /** The last slot and epoch the old shares sign (the one before the switch epoch). */
  floor: { slot: bigint; epoch: bigint };
};

/**
 * Hand the newcomer the cluster's slashing-protection state for the validator. Every remaining member sends the
 * newcomer (privately) its signed statement of its own watermarks; the newcomer imports the highest attested values
 * into its slashing-protection DB once `threshold` members attested, and refuses to go on otherwise, so it holds no
 * usable share before its DB knows what the validator may already have signed. Returns the newcomer's attested state,
 * null on the other members.
 */
export async function exchangeSlashingState(
  ctx: CeremonyContext,
  p: SlashingExchangeParameters,
): Promise<AttestedSlashingState | null> {
  const round = ReshareRound.slashingState;
  const newcomer = p.leavingIndex - 1;
  const base = {
    sessionId: ctx.sessionId,
    validator: p.validator,
    genesisValidatorsRoot: hexToBytes(p.db.genesisValidatorsRoot as `0x${string}`),
  };
  const pubkeyHex = `0x${Buffer.from(p.validator).toString("hex")}`;
  if (ctx.selfIndex !== newcomer) {
    const statement = slashingStatement(base, p.db.watermarks(pubkeyHex));
    await ctx.network.send(MessageKind.slashingStatement, round, newcomer, encodeSignedStatement(statement, p.signer));
    return null;
  }
  const threshold = ctx.definition.threshold;
  const statements = new Map<number, SlashingStatement>();
  const awaited = [...p.awaitSeats];
  const collect = () => {
    for (const e of ctx.inbox.takeNew(round)) {
      const verifier = p.verifiers[e.message.sender];
      if (e.message.kind !== MessageKind.slashingStatement || verifier === undefined) continue;
      const s = decodeSignedStatement(e.message.payload, verifier);
      if (s !== null && !statements.has(e.message.sender + 1)) statements.set(e.message.sender + 1, s);
    }
    return awaited.every((seat) => statements.has(seat));
  };
  // Every qualified dealer's statement, for a quarter of the round; then `threshold` are enough. A member that
  // withholds its statement delays the newcomer by that quarter only, so the members, already waiting for the
  // newcomer's lock signature, do not time out on it.
  const grace = Math.floor(ctx.timeouts.roundTimeoutMs / 4);
  if (!(await ctx.inbox.until(collect, grace))) {
    await ctx.inbox.until(() => collect() || statements.size >= threshold, ctx.timeouts.roundTimeoutMs - grace);
  }
  const attested = combineSlashingStatements(base, statements, threshold, p.now(), p.floor);
  try {
    await p.db.importInterchange(attested.interchange);
  } catch (e) {
    throw new ReshareError({
      code: "ERR_RESHARE_SLASHING_STATE",
      reason: `import into the slashing-protection DB failed: ${(e as Error).message}`,
      attesters: attested.attesters,
      required: threshold,
    });
  }
  return attested;
}
