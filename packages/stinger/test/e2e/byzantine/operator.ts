/**
 * TEST-ONLY child entry: the real `stinger` CLI (same arguments as bin/stinger.js) with one misbehaviour wired in
 * from outside production code, chosen by `STINGER_BYZANTINE`:
 *
 * - `equivocate`: as the leader of an attester instance, publishes two different leader-signed proposals — its own
 *   value and one voting for the head block's parent (a block every honest node knows, so both are valid) — in an
 *   order alternating by slot, so operators that see a different one first decide differently.
 * - `bad-partials`: every partial signature batch it sends carries signatures by a key that is not its share
 *   (valid G2 points; only a pairing check against its share public key tells).
 * - `replay`: behaves honestly and also re-sends its own authentic messages once they are older than
 *   `STINGER_REPLAY_AFTER_MS` (default 125 s: gossip drops exact duplicates it saw in the last 2 minutes).
 * - `forge-leader`: for every attester and proposer instance, as the leader of its first round r ≤ maxRounds, proposes
 *   a forged value — attestation data voting for a head root no beacon node knows, or the block paying its own fee
 *   recipient — and sends that round-r proposal as soon as the instance starts here, racing the honest round-1 leader
 *   (r > 1: a future-round leader; r = 1: a leader proposing an unknown root / a foreign fee recipient). Its own
 *   genuine proposals are replaced by the forged ones.
 * - `crash-after-sign`: SIGKILLs itself right after the slashing-protection DB durably recorded an attestation whose
 *   target epoch is ≥ `STINGER_CRASH_TARGET_EPOCH`, i.e. between signing and broadcasting the partial signature.
 *
 * The transport is wrapped by replacing `DutyNetwork.prototype.broadcast` in this process only (and the DB method for
 * the crash); nothing in src/ knows about it. Each act is logged to stderr with a `BYZANTINE` prefix.
 */
import { createHash } from "node:crypto";
import { SecretKey } from "@chainsafe/blst";
import { ssz } from "@lodestar/types";
import {
  type AgreementMessage,
  decodeEnvelope,
  encodeBody,
  encodeEnvelope,
  MessageKind,
} from "../../../src/core/agreement/codec.ts";
import { leaderOf, leaderOffset } from "../../../src/core/agreement/leader.ts";
import { AgreementRunner, type AgreementRunnerOptions, agreementDuty } from "../../../src/core/agreement/runner.ts";
import { decodePartialBatch, encodePartialBatch } from "../../../src/core/parsigex/codec.ts";
import { DutyMessageKind } from "../../../src/core/transport.ts";
import { DutyNetwork, type DutyNetworkOptions } from "../../../src/node/dutyNetwork.ts";
import { SlashingProtectionDB } from "../../../src/slashing/db.ts";

const behaviour = process.env.STINGER_BYZANTINE;
const say = (line: string) => process.stderr.write(`BYZANTINE ${behaviour}: ${line}\n`);
const original = DutyNetwork.prototype.broadcast;
const optsOf = (n: DutyNetwork) => (n as unknown as { opts: DutyNetworkOptions }).opts;

function argValue(flag: string): string | undefined {
  const i = process.argv.indexOf(flag);
  return i < 0 ? undefined : process.argv[i + 1];
}

/** Parent of `blockRoot` through the standard Beacon API, or undefined. */
async function parentRoot(beaconNode: string, blockRoot: Uint8Array): Promise<Uint8Array | undefined> {
  try {
    const res = await fetch(`${beaconNode}/eth/v1/beacon/headers/0x${Buffer.from(blockRoot).toString("hex")}`);
    if (!res.ok) return undefined;
    const body = (await res.json()) as { data: { header: { message: { parent_root: string } } } };
    return Uint8Array.from(Buffer.from(body.data.header.message.parent_root.slice(2), "hex"));
  } catch {
    return undefined;
  }
}

switch (behaviour) {
  case "equivocate": {
    const beaconNode = argValue("--beacon-node") ?? "";
    DutyNetwork.prototype.broadcast = async function (kind, payload) {
      if (kind !== DutyMessageKind.agreement) return original.call(this, kind, payload);
      const env = decodeEnvelope(payload);
      const m = env.message;
      if (m.kind !== MessageKind.proposal || m.duty.type !== "attester" || m.from !== optsOf(this).selfIndex) {
        return original.call(this, kind, payload);
      }
      const data = ssz.phase0.AttestationData.deserialize(m.value);
      const parent = await parentRoot(beaconNode, data.beaconBlockRoot);
      const other = ssz.phase0.AttestationData.serialize({
        ...data,
        beaconBlockRoot: parent ?? new Uint8Array(32).fill(0x42),
      });
      const body = encodeBody({ ...m, value: other });
      const second = encodeEnvelope(body, optsOf(this).signer.sign(body));
      say(
        `slot ${m.duty.slot} round ${m.round}: two proposals (head and ${parent ? "its parent" : "an unknown root"})`,
      );
      const [a, b] = m.duty.slot % 2 === 0 ? [payload, second] : [second, payload];
      await original.call(this, kind, a);
      await original.call(this, kind, b);
    };
    break;
  }
  case "bad-partials": {
    const wrongKey = SecretKey.fromBytes(new Uint8Array(32).fill(9));
    DutyNetwork.prototype.broadcast = async function (kind, payload) {
      if (kind !== DutyMessageKind.partials) return original.call(this, kind, payload);
      const d = decodePartialBatch(payload, optsOf(this).selfIndex + 1);
      if (!d.ok) return original.call(this, kind, payload);
      const bad = d.partials.map((p) => ({ ...p, signature: wrongKey.sign(p.signingRoot).toBytes() }));
      say(`slot ${d.slot}: ${bad.length} partials signed with the wrong key`);
      return original.call(this, kind, encodePartialBatch(d.slot, bad));
    };
    break;
  }
  case "replay": {
    const afterMs = Number(process.env.STINGER_REPLAY_AFTER_MS ?? 125_000);
    const sent: { at: number; kind: DutyMessageKind; payload: Uint8Array }[] = [];
    let network: DutyNetwork | undefined;
    DutyNetwork.prototype.broadcast = async function (kind, payload) {
      network = this;
      if (sent.length < 2000) sent.push({ at: Date.now(), kind, payload });
      return original.call(this, kind, payload);
    };
    setInterval(() => {
      const now = Date.now();
      const due = sent.filter((s) => now - s.at >= afterMs).slice(0, 8);
      if (network === undefined || due.length === 0) return;
      for (const s of due) sent.splice(sent.indexOf(s), 1);
      const n = network;
      void Promise.all(due.map((s) => original.call(n, s.kind, s.payload)))
        .then(() =>
          say(
            `re-sent ${due.length} messages (${due.filter((s) => s.kind === DutyMessageKind.partials).length} partial batches)`,
          ),
        )
        .catch((e: Error) => say(`replay failed: ${e.message}`));
    }, 2000).unref();
    break;
  }
  case "forge-leader": {
    const FOREIGN_FEE_RECIPIENT = new Uint8Array(20).fill(0x66);
    /** The forged value of an instance, a function of the genuine one (deterministic: no self-equivocation). */
    const forge = (type: string, slot: number, value: Uint8Array): Uint8Array | undefined => {
      if (type === "attester") {
        const data = ssz.phase0.AttestationData.deserialize(value);
        const unknown = createHash("sha256").update(`forged head ${slot}`).digest();
        return ssz.phase0.AttestationData.serialize({ ...data, beaconBlockRoot: unknown });
      }
      if (type === "proposer") {
        const block = ssz.electra.BeaconBlock.deserialize(value);
        block.body.executionPayload.feeRecipient = FOREIGN_FEE_RECIPIENT;
        return ssz.electra.BeaconBlock.serialize(block);
      }
      return undefined;
    };
    const forgedProposal = (
      network: DutyNetwork,
      m: Extract<AgreementMessage, { kind: typeof MessageKind.proposal }>,
    ) => {
      const value = forge(m.duty.type, m.duty.slot, m.value);
      if (value === undefined) return undefined;
      const body = encodeBody({ ...m, value });
      return encodeEnvelope(body, optsOf(network).signer.sign(body));
    };
    let network: DutyNetwork | undefined;
    DutyNetwork.prototype.broadcast = async function (kind, payload) {
      network = this;
      if (kind !== DutyMessageKind.agreement) return original.call(this, kind, payload);
      const m = decodeEnvelope(payload).message;
      if (m.kind !== MessageKind.proposal || m.from !== optsOf(this).selfIndex)
        return original.call(this, kind, payload);
      const forged = forgedProposal(this, m);
      if (forged === undefined) return original.call(this, kind, payload);
      say(`slot ${m.duty.slot} ${m.duty.type} round ${m.round}: forged proposal on time`);
      return original.call(this, kind, forged);
    };
    const decide = AgreementRunner.prototype.decide;
    AgreementRunner.prototype.decide = function (slot, type, localValue, isAcceptable, signal) {
      const o = (this as unknown as { opts: AgreementRunnerOptions }).opts;
      const self = o.shareIndex - 1;
      const offset = leaderOffset(o.config.clusterId, agreementDuty(slot, type), o.config.operators);
      const rounds = Array.from({ length: o.config.maxRounds }, (_, k) => k + 1);
      const round = rounds.find((r) => leaderOf(offset, r, o.config.operators) === self);
      const n = network;
      if (round !== undefined && n !== undefined && (type === "attester" || type === "proposer")) {
        const m = {
          kind: MessageKind.proposal,
          clusterId: o.config.clusterId,
          duty: agreementDuty(slot, type),
          round,
          from: self,
          value: localValue,
        } as const;
        const forged = forgedProposal(n, m);
        if (forged !== undefined) {
          say(
            `slot ${slot} ${type} round ${round}: forged ${type === "attester" ? "unknown head root" : "fee recipient"} ` +
              `proposal sent at the instance start${round > 1 ? " (racing round 1)" : ""}`,
          );
          void original.call(n, DutyMessageKind.agreement, forged).catch(() => {});
        }
      }
      return decide.call(this, slot, type, localValue, isAcceptable, signal);
    };
    break;
  }
  case "crash-after-sign": {
    const target = BigInt(process.env.STINGER_CRASH_TARGET_EPOCH ?? "0");
    const insert = SlashingProtectionDB.prototype.checkAndInsertAttestations;
    SlashingProtectionDB.prototype.checkAndInsertAttestations = async function (reqs) {
      const verdicts = await insert.call(this, reqs);
      const hit = reqs.findIndex((r, i) => r.target >= target && verdicts[i]?.ok === true);
      const req = reqs[hit];
      if (req !== undefined) {
        // stderr to a pipe is synchronous on Linux: the line is out before the signal.
        say(`recorded ${req.pubkey.slice(0, 12)} source ${req.source} target ${req.target} root ${req.signingRoot}`);
        process.kill(process.pid, "SIGKILL");
      }
      return verdicts;
    };
    break;
  }
  default:
    throw new Error(
      `STINGER_BYZANTINE must be equivocate, bad-partials, replay, forge-leader or crash-after-sign, got ${behaviour}`,
    );
}

const { runStinger } = await import("../../../src/cli/main.ts");
process.exitCode = await runStinger(process.argv.slice(2));
