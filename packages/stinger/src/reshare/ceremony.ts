import { PublicKey, Signature, verify } from "@chainsafe/blst";
import {
  computeReshareResultRoot,
  computeReshareSessionId,
  computeReshareSigningRoot,
  type KeyShare,
  type ReshareMessageParameters,
} from "@nektar/crypto";
import { bytesToHex, hexToBytes, type LocalAccount } from "viem";
import type { CeremonyDeps } from "../dkg/ceremony.ts";
import { openCeremonySession } from "../dkg/ceremonySession.ts";
import { definitionHash, serializeClusterDefinition } from "../dkg/definition.ts";
import { LOCK_VERSION, lockAgreement } from "../dkg/lock.ts";
import { approveLock } from "../dkg/lockRound.ts";
import {
  assertOutputAbsent,
  type CeremonyOutputPaths,
  ceremonyOutputDir,
  writeCeremonyOutputs,
} from "../dkg/outputs.ts";
import { thresholdSignRound } from "../dkg/thresholdRound.ts";
import type { SlashingProtectionDB } from "../slashing/db.ts";
import { signReshareApproval } from "./approval.ts";
import { ReshareError } from "./errors.ts";
import { RESHARE_RECORD_FILE, type ReshareRecord, serializeReshareRecord } from "./record.ts";
import { planReshare, type ReshareRequest } from "./request.ts";
import { ReshareRound, runReshareRounds } from "./rounds.ts";
import { attestedWatermarks } from "./slashingHandoff.ts";
import { exchangeSlashingState } from "./slashingRound.ts";

export type ReshareDeps = CeremonyDeps & {
  /** This member's current share of the validator; null for the newcomer. */
  oldShare: KeyShare | null;
  /** The slashing-protection DB the duty node signs through: members read it, the newcomer imports into it. */
  slashing: Pick<SlashingProtectionDB, "watermarks" | "importInterchange" | "genesisValidatorsRoot">;
  /** The newcomer's registered signer, for its approval of the result (absent on other members). */
  approver?: LocalAccount;
  /** Current slot and epoch (statements claiming later ones are refused); defaults to the wall clock and timing. */
  now?: () => { slot: bigint; epoch: bigint };
};

export type ReshareOutcome = CeremonyOutputPaths & { record: ReshareRecord; seconds: number };

/** Session id of a resharing: the crypto package's, over chain, registry, nonce, validator and both memberships. */
export function reshareSessionId(request: ReshareRequest, next: ReshareRequest["current"]["definition"]): Uint8Array {
  const { definition, lock } = request.current;
  return computeReshareSessionId({
    chainId: definition.chainId,
    contractAddress: definition.registryAddress,
    requestId: request.event.nonce,
    groupPublicKey: hexToBytes(lock.groupPublicKey),
    oldParticipants: definition.operators.map((o) => ({ address: o.elAddress })),
    participants: next.operators.map((o) => ({ address: o.elAddress })),
  });
}

/**
 * Run this member's side of one resharing, to completion or abort. The remaining members deal their current shares,
 * the newcomer receives the leaving seat; then the old shares threshold-sign the result (the validator's own key
 * approves the new share keys and membership), the members hand the newcomer their slashing-protection state (it
 * imports it before it holds a key), every qualified dealer signs the new lock, and the new share keystore, lock and
 * reshare record are written all-or-nothing into a new validator directory. The new shares sign from the record's
 * `switchEpoch` on; until then the duty node keeps signing with the current ones.
 */
export async function runReshareCeremony(request: ReshareRequest, deps: ReshareDeps): Promise<ReshareOutcome> {
  const started = performance.now();
  const plan = planReshare(request);
  const { next } = plan;
  const { event } = request;
  const { lock, definition } = request.current;
  const self = deps.identity.peerId.toString();
  const selfIndex = next.operators.findIndex((o) => o.peerId === self);
  if (selfIndex < 0) throw new ReshareError({ code: "ERR_RESHARE_NOT_MEMBER", peerId: self });
  const isNewcomer = selfIndex + 1 === event.leavingIndex;
  if (isNewcomer !== (deps.oldShare === null)) {
    throw new ReshareError({
      code: "ERR_RESHARE_REQUEST_INVALID",
      reason: isNewcomer ? "the newcomer holds no share to deal" : "a remaining member needs its current share",
    });
  }
  const sessionId = reshareSessionId(request, next);
  const outputDir = ceremonyOutputDir(deps.dataDir, sessionId);
  assertOutputAbsent(outputDir);
  const session = await openCeremonySession(next, sessionId, selfIndex, deps, {
    reshare: event.nonce.toString(),
    seat: selfIndex + 1,
  });
  const { ctx, signer, verifiers } = session;
  try {
    const groupPublicKey = hexToBytes(lock.groupPublicKey);
    const oldSharePublicKeys = lock.sharePublicKeys.map((k) => hexToBytes(k));
    const result = await runReshareRounds(ctx, {
      leavingIndex: event.leavingIndex,
      groupPublicKey,
      oldParticipants: definition.operators.map((o) => ({ address: o.elAddress })),
      oldSharePublicKeys,
      oldShare: deps.oldShare,
    });
    const keyShare = result.keyShare as KeyShare;
    const message: ReshareMessageParameters = {
      chainId: BigInt(definition.chainId),
      registry: definition.registryAddress,
      validatorPubkey: groupPublicKey,
      nonce: event.nonce,
      leavingIndex: event.leavingIndex,
      newcomer: event.newcomer,
      members: next.operators.map((o) => o.elAddress),
      sharePublicKeys: result.sharePublicKeys,
      genesisForkVersion: hexToBytes(request.genesisForkVersion),
    };
    const signingRoot = computeReshareSigningRoot(message);
    const validatorSignature = await thresholdSignRound(ctx, {
      round: ReshareRound.validatorSignature,
      name: "validator-signature",
      signingRoot,
      share: deps.oldShare,
      threshold: definition.threshold,
      groupPublicKey,
      sharePublicKeys: oldSharePublicKeys,
    });
    if (
      validatorSignature === null ||
      !verify(signingRoot, PublicKey.fromBytes(groupPublicKey, true), Signature.fromBytes(validatorSignature, true))
    ) {
      throw new ReshareError({
        code: "ERR_RESHARE_VALIDATOR_SIGNATURE",
        reason: `no valid ${definition.threshold}-of-${definition.operators.length} signature of the old shares within ${ctx.timeouts.roundTimeoutMs} ms`,
      });
    }
    const slashing = await exchangeSlashingState(ctx, {
      leavingIndex: event.leavingIndex,
      validator: groupPublicKey,
      db: deps.slashing,
      signer,
      verifiers,
      awaitSeats: result.qualified,
      now: deps.now ?? (() => wallClock(request)),
      floor: {
        slot: BigInt(plan.switchEpoch * request.timing.slotsPerEpoch) - 1n,
        epoch: BigInt(plan.switchEpoch) - 1n,
      },
    });
    const resultRoot = bytesToHex(computeReshareResultRoot(message));
    const newcomerApproval =
      isNewcomer && deps.approver !== undefined
        ? await signReshareApproval(deps.approver, definition.chainId, definition.registryAddress, resultRoot)
        : null;
    const newLock = await approveLock(
      ctx,
      {
        version: LOCK_VERSION,
        definition: JSON.parse(serializeClusterDefinition(next)),
        definitionHash: bytesToHex(definitionHash(next)),
        sessionId: bytesToHex(sessionId),
        threshold: next.threshold,
        groupPublicKey: lock.groupPublicKey,
        sharePublicKeys: result.sharePublicKeys.map((k) => bytesToHex(k)),
        qualifiedDealers: [...result.qualified].sort((a, b) => a - b),
        depositData: lock.depositData,
        agreement: lockAgreement(lock),
      },
      signer,
      verifiers,
      // The newcomer signs the lock only once it imported the slashing-protection state: nobody writes without it.
      [event.leavingIndex - 1],
    );
    const record: ReshareRecord = {
      version: "nektar-reshare-record/v1",
      validator: lock.groupPublicKey,
      nonce: event.nonce.toString(),
      deadline: event.deadline.toString(),
      leavingIndex: event.leavingIndex,
      newcomer: event.newcomer,
      previousLockHash: lock.lockHash,
      lockHash: newLock.lockHash,
      switchEpoch: plan.switchEpoch,
      resultRoot,
      validatorSignature: bytesToHex(validatorSignature),
      newcomerApproval,
      slashingAttesters: slashing?.attesters ?? null,
      slashingState: slashing === null ? null : attestedWatermarks(slashing),
    };
    const paths = await writeCeremonyOutputs(
      outputDir,
      newLock,
      lock.depositData,
      {
        secretKey: keyShare.secretKey,
        publicKey: result.sharePublicKeys[selfIndex] as Uint8Array,
        shareIndex: keyShare.shareIndex,
      },
      deps.keystorePassword,
      deps.kdf,
      { [RESHARE_RECORD_FILE]: serializeReshareRecord(record) },
    );
    const seconds = (performance.now() - started) / 1000;
    ctx.progress({ type: "completed", lockHash: newLock.lockHash, seconds });
    await session.close();
    return { ...paths, record, seconds };
  } catch (e) {
    ctx.progress({ type: "aborted", reason: (e as Error).message });
    await session.close(e);
    throw e;
  }
}

/** Slot and epoch now, by the chain timing of the request. */
function wallClock(request: ReshareRequest): { slot: bigint; epoch: bigint } {
  const { genesisTime, secondsPerSlot, slotsPerEpoch } = request.timing;
  const slot = BigInt(Math.max(0, Math.floor((Date.now() / 1000 - genesisTime) / secondsPerSlot)));
  return { slot, epoch: slot / BigInt(slotsPerEpoch) };
}
