import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { generateKeyPair } from "@libp2p/crypto/keys";
import type { Ed25519PrivateKey } from "@libp2p/interface";
import type { CeremonyContext } from "../../../src/dkg/ceremonyContext.ts";
import { CeremonyInbox } from "../../../src/dkg/inbox.ts";
import { identitySigner, identityVerifier } from "../../../src/identity/ed25519.ts";
import { MessageKind, type SignedEnvelope } from "../../../src/p2p/envelope.ts";
import { ReshareError } from "../../../src/reshare/errors.ts";
import { ReshareRound } from "../../../src/reshare/rounds.ts";
import { encodeSignedStatement, slashingStatement } from "../../../src/reshare/slashingHandoff.ts";
import { exchangeSlashingState } from "../../../src/reshare/slashingRound.ts";
import { SlashingProtectionDB } from "../../../src/slashing/db.ts";

const N = 16;
const T = 11;
const LEAVING = 4;
const ROUND_MS = 4000;
const GVR = `0x${"5e".repeat(32)}`;
const validator = new Uint8Array(48).fill(0xa1);
const sessionId = new Uint8Array(32).fill(9);

describe("the newcomer's side of the slashing-state round", () => {
  const root = mkdtempSync(join(tmpdir(), "stinger-slashing-round-"));
  let keys: Ed25519PrivateKey[] = [];
  before(async () => {
    keys = await Promise.all(Array.from({ length: N }, () => generateKeyPair("Ed25519")));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  /** The newcomer's context with the statements of `from` (seats) already received. */
  function newcomer(from: number[]): CeremonyContext {
    const inbox = new CeremonyInbox();
    for (const seat of from) {
      const statement = slashingStatement(
        { sessionId, validator, genesisValidatorsRoot: Buffer.from(GVR.slice(2), "hex") },
        { block: { slot: 800n + BigInt(seat), signingRoot: null }, attestation: null },
      );
      const payload = encodeSignedStatement(statement, identitySigner(keys[seat - 1] as Ed25519PrivateKey));
      inbox.push({
        message: { kind: MessageKind.slashingStatement, round: ReshareRound.slashingState, sender: seat - 1, payload },
      } as unknown as SignedEnvelope);
    }
    return {
      definition: { threshold: T, operators: Array.from({ length: N }, () => ({})) },
      sessionId,
      selfIndex: LEAVING - 1,
      inbox,
      timeouts: { joinTimeoutMs: ROUND_MS, roundTimeoutMs: ROUND_MS },
    } as unknown as CeremonyContext;
  }
  const exchange = async (ctx: CeremonyContext, db: SlashingProtectionDB) =>
    exchangeSlashingState(ctx, {
      leavingIndex: LEAVING,
      validator,
      db,
      signer: identitySigner(keys[LEAVING - 1] as Ed25519PrivateKey),
      verifiers: keys.map((k) => identityVerifier(k.publicKey.raw)),
      now: () => ({ slot: 1000n, epoch: 125n }),
      awaitSeats: Array.from({ length: 13 }, (_, i) => i + 1).filter((s) => s !== LEAVING),
      floor: { slot: -1n, epoch: -1n },
    });
  const pubkey = `0x${Buffer.from(validator).toString("hex")}`;

  it("a qualified member withholding its statement delays the newcomer by a quarter round, not the whole round", async () => {
    const db = await SlashingProtectionDB.open({ dir: join(root, "a"), genesisValidatorsRoot: GVR });
    // 12 qualified dealers (seats 1..13 but the leaving 4); seat 13 withholds.
    const started = performance.now();
    const state = await exchange(newcomer([1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12]), db);
    const ms = performance.now() - started;
    assert.ok(ms >= ROUND_MS / 4 - 50 && ms < ROUND_MS * 0.9, `${ms} ms`);
    assert.equal(state?.attesters.length, 11);
    assert.equal(db.watermarks(pubkey)?.block?.slot, 812n);
    await db.close();
  });

  it("with all qualified statements in, it imports at once; with fewer than the threshold it imports nothing", async () => {
    const db = await SlashingProtectionDB.open({ dir: join(root, "b"), genesisValidatorsRoot: GVR });
    const started = performance.now();
    await exchange(newcomer([1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13]), db);
    assert.ok(performance.now() - started < ROUND_MS / 4, "no grace wait when every qualified dealer stated");
    assert.equal(db.watermarks(pubkey)?.block?.slot, 813n);
    const empty = await SlashingProtectionDB.open({ dir: join(root, "c"), genesisValidatorsRoot: GVR });
    await assert.rejects(
      exchange(newcomer([1, 2, 3, 5, 6, 7, 8, 9, 10, 11]), empty),
      (e: unknown) =>
        e instanceof ReshareError && e.type.code === "ERR_RESHARE_SLASHING_STATE" && e.type.required === T,
    );
    assert.equal(empty.watermarks(pubkey), undefined);
    await Promise.all([db.close(), empty.close()]);
  });
});
