import { createHash } from "node:crypto";
import { BooleanType, ByteVectorType, ContainerType, UintBigintType, type ValueOf } from "@chainsafe/ssz";
import { bytesToHex, type Hex, hexToBytes } from "viem";
import type { IdentitySigner, IdentityVerifier } from "../identity/ed25519.ts";
import { INTERCHANGE_FORMAT_VERSION, type Interchange } from "../slashing/interchange.ts";
import type { ValidatorWatermarks } from "../slashing/rules.ts";
import { ReshareError } from "./errors.ts";

/**
 * A member's statement of what it has signed for the validator, for the newcomer to import before it signs anything:
 * its highest block slot and its highest attestation source and target epochs (the EIP-3076 watermarks), bound to the
 * reshare session, the validator and the chain (genesis validators root), signed with the member's identity key.
 */
export const SlashingStatementSsz = new ContainerType({
  sessionId: new ByteVectorType(32),
  validator: new ByteVectorType(48),
  genesisValidatorsRoot: new ByteVectorType(32),
  hasBlock: new BooleanType(),
  blockSlot: new UintBigintType(8),
  hasAttestation: new BooleanType(),
  sourceEpoch: new UintBigintType(8),
  targetEpoch: new UintBigintType(8),
});
export type SlashingStatement = ValueOf<typeof SlashingStatementSsz>;

const DOMAIN = Buffer.from("nektar/stinger/reshare-slashing-state/v1", "utf8");
const SIGNATURE_BYTES = 64;
const STATEMENT_BYTES = SlashingStatementSsz.minSize;

function signingRoot(statement: SlashingStatement): Uint8Array {
  return createHash("sha256").update(DOMAIN).update(SlashingStatementSsz.hashTreeRoot(statement)).digest();
}

/** This member's statement from its own slashing-protection watermarks for the validator (none: nothing signed yet). */
export function slashingStatement(
  base: { sessionId: Uint8Array; validator: Uint8Array; genesisValidatorsRoot: Uint8Array },
  w: ValidatorWatermarks | undefined,
): SlashingStatement {
  return {
    ...base,
    hasBlock: w?.block != null,
    blockSlot: w?.block?.slot ?? 0n,
    hasAttestation: w?.attestation != null,
    sourceEpoch: w?.attestation?.source ?? 0n,
    targetEpoch: w?.attestation?.target ?? 0n,
  };
}

/** The wire form: the SSZ statement followed by the author's Ed25519 signature. */
export function encodeSignedStatement(statement: SlashingStatement, signer: IdentitySigner): Uint8Array {
  return Buffer.concat([SlashingStatementSsz.serialize(statement), signer.sign(signingRoot(statement))]);
}

/** The statement if `bytes` is one signed by `verifier`'s key, else null. */
export function decodeSignedStatement(bytes: Uint8Array, verifier: IdentityVerifier): SlashingStatement | null {
  if (bytes.length !== STATEMENT_BYTES + SIGNATURE_BYTES) return null;
  let statement: SlashingStatement;
  try {
    statement = SlashingStatementSsz.deserialize(bytes.subarray(0, STATEMENT_BYTES));
  } catch {
    return null;
  }
  return verifier.verify(signingRoot(statement), bytes.subarray(STATEMENT_BYTES)) ? statement : null;
}

export type AttestedSlashingState = {
  /** Seats (1-based) whose statements were counted. */
  attesters: number[];
  /** The EIP-3076 interchange the newcomer imports: the highest attested block slot and source/target epochs. */
  interchange: Interchange;
};

/**
 * The watermarks the newcomer imported (decimal strings; null: nothing attested), kept on its reshare record so the
 * duty node can check, every time it loads the new share, that its slashing-protection DB still covers them.
 */
export type AttestedWatermarks = { blockSlot: string | null; sourceEpoch: string | null; targetEpoch: string | null };

/** The imported watermarks of an attested state, as the reshare record keeps them. */
export function attestedWatermarks(state: AttestedSlashingState): AttestedWatermarks {
  const entry = state.interchange.data[0];
  const block = entry?.signed_blocks[0];
  const att = entry?.signed_attestations[0];
  return {
    blockSlot: block?.slot ?? null,
    sourceEpoch: att?.source_epoch ?? null,
    targetEpoch: att?.target_epoch ?? null,
  };
}

/**
 * Whether the DB's watermarks for the validator are at least the attested ones, field by field: only then may the
 * newcomer sign with its new share (a DB that lost the import, or another node's DB, would let it sign below them).
 */
export function coversAttested(w: ValidatorWatermarks | undefined, attested: AttestedWatermarks): boolean {
  const atLeast = (have: bigint | undefined, need: string | null) =>
    need === null || (have !== undefined && have >= BigInt(need));
  return (
    atLeast(w?.block?.slot, attested.blockSlot) &&
    atLeast(w?.attestation?.source, attested.sourceEpoch) &&
    atLeast(w?.attestation?.target, attested.targetEpoch)
  );
}

/**
 * Combine members' verified statements into the state the newcomer must respect. The rule, per field (highest block
 * slot, highest attestation source epoch, highest attestation target epoch):
 *
 * 1. Count only statements signed by a distinct remaining member for this session, validator and chain that claim
 *    nothing after `now` (+1 slot/epoch of clock skew) and no source above its target.
 * 2. Fewer than `threshold` counted statements: refuse (`ERR_RESHARE_SLASHING_STATE`), nothing is imported.
 * 3. Otherwise take the **maximum** counted value of each field, then raise it to `floor` (the last slot and epoch
 *    before the switch: the old shares sign up to there, the newcomer's share only after).
 *
 * Why the maximum and not a value a quorum agrees on: any group signature the validator ever produced needed
 * `threshold` old shares, so at least `threshold − 1` of the remaining members signed it; `threshold` counted
 * attesters out of `n − 1` remaining leave at least `2·threshold − n` of those signers among the attesters (6 with
 * 11-of-16), so unless that many attesters lie, one honest attester reports at least the true value and the maximum
 * covers it. The value "at least `threshold` attesters report ≥ v" would be the `threshold`-th highest report, which
 * 5 low reports out of 15 pull down to a lie. A member reporting high only delays the newcomer (bounded by `now`),
 * and its signed statement is evidence against it.
 */
export function combineSlashingStatements(
  expected: { sessionId: Uint8Array; validator: Uint8Array; genesisValidatorsRoot: Uint8Array },
  statements: ReadonlyMap<number, SlashingStatement>,
  threshold: number,
  now: { slot: bigint; epoch: bigint },
  floor: { slot: bigint; epoch: bigint } = { slot: -1n, epoch: -1n },
): AttestedSlashingState {
  const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));
  const counted = [...statements].filter(
    ([, s]) =>
      same(s.sessionId, expected.sessionId) &&
      same(s.validator, expected.validator) &&
      same(s.genesisValidatorsRoot, expected.genesisValidatorsRoot) &&
      (!s.hasBlock || s.blockSlot <= now.slot + 1n) &&
      (!s.hasAttestation || (s.targetEpoch <= now.epoch + 1n && s.sourceEpoch <= s.targetEpoch)),
  );
  const attesters = counted.map(([seat]) => seat).sort((a, b) => a - b);
  if (attesters.length < threshold) {
    throw new ReshareError({
      code: "ERR_RESHARE_SLASHING_STATE",
      reason: `${attesters.length} valid slashing-protection statements, ${threshold} required`,
      attesters,
      required: threshold,
    });
  }
  const blocks = counted.filter(([, s]) => s.hasBlock).map(([, s]) => s.blockSlot);
  if (floor.slot >= 0n) blocks.push(floor.slot);
  const attestations: { sourceEpoch: bigint; targetEpoch: bigint }[] = counted
    .filter(([, s]) => s.hasAttestation)
    .map(([, s]) => s);
  if (floor.epoch >= 0n) attestations.push({ sourceEpoch: 0n, targetEpoch: floor.epoch });
  const max = (xs: bigint[]) => xs.reduce((a, b) => (b > a ? b : a));
  const pubkey = bytesToHex(expected.validator);
  return {
    attesters,
    interchange: {
      metadata: {
        interchange_format_version: INTERCHANGE_FORMAT_VERSION,
        genesis_validators_root: bytesToHex(expected.genesisValidatorsRoot),
      },
      data: [
        {
          pubkey,
          signed_blocks: blocks.length > 0 ? [{ slot: max(blocks).toString() }] : [],
          signed_attestations:
            attestations.length > 0
              ? [
                  {
                    source_epoch: max(attestations.map((a) => a.sourceEpoch)).toString(),
                    target_epoch: max(attestations.map((a) => a.targetEpoch)).toString(),
                  },
                ]
              : [],
        },
      ],
    },
  };
}

/** The genesis validators root as bytes (the slashing DB keeps it as hex). */
export function rootBytes(root: string): Uint8Array {
  return hexToBytes(root as Hex);
}
