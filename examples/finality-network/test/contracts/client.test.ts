import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { SecretKey } from "@chainsafe/blst";
import { NetworkKey } from "@nektar/stinger";
import { network } from "hardhat";
import { bytesToHex, getAddress, type Hex, hexToBytes, parseEther, toFunctionSignature } from "viem";
import {
  FinalityCertificateError,
  FinalityEvidenceError,
  FinalityRelayRevertedError,
  finalityRelayAbi,
  getFinalityRelayState,
  NotAFinalityRelayError,
  payFinalityRewards,
  RELAY_REVERT_HINTS,
  registerNetworkKey,
  slashFinalityOperator,
  submitFinalityCertificate,
} from "../../client/index.ts";
import { deployFinality, type Member, networkKey } from "./fixture.ts";

const E = parseEther;
const ARTIFACT = new URL("../../artifacts/contracts/FinalityRelay.sol/FinalityRelay.json", import.meta.url);

async function rejects(p: Promise<unknown>, check: (e: unknown) => boolean) {
  await assert.rejects(p, (e) => {
    assert.ok(check(e), `unexpected error: ${(e as Error).message}`);
    return true;
  });
}

const reverted = (name: string) => (e: unknown) => e instanceof FinalityRelayRevertedError && e.errorName === name;

describe("finality-network client: actions against the real contracts", async () => {
  const { viem } = await network.create();

  it("has every error, event and function of the compiled relay, and a hint for every error", () => {
    const compiled = JSON.parse(readFileSync(ARTIFACT, "utf8")).abi as typeof finalityRelayAbi;
    const sig = (x: (typeof finalityRelayAbi)[number]) =>
      x.type === "function" || x.type === "error" || x.type === "event"
        ? `${x.type} ${toFunctionSignature(x as never)}`
        : "";
    const ours = new Set(finalityRelayAbi.map(sig));
    for (const item of compiled) {
      if (item.type !== "error" && item.type !== "event") continue;
      assert.ok(ours.has(sig(item)), `client ABI lacks ${sig(item)}`);
      if (item.type === "error") assert.ok(RELAY_REVERT_HINTS[item.name], `no hint for ${item.name}`);
    }
    const compiledSigs = new Set(compiled.map(sig));
    for (const s of ours) assert.ok(s === "" || compiledSigs.has(s), `client ABI has ${s}, the relay does not`);
  });

  it("reads operators, the latest certificate with its signers, rewards earned and offences", async () => {
    const f = await deployFinality(viem, [E("10"), E("10"), E("10")]);
    const before = await getFinalityRelayState(f.publicClient, { relay: f.relay.address });
    assert.equal(before.latest, undefined);
    assert.deepEqual(
      before.operators.map((o) => o.operator),
      f.members.map((m) => getAddress(m.address)),
    );
    const s = await f.statement();
    await f.relay.write.submitCertificate(await f.certificate(s, [0, 2]));
    const after = await getFinalityRelayState(f.publicClient, { relay: f.relay.address });
    assert.equal(after.latest?.epoch, s.epoch);
    assert.equal(after.latest?.checkpointRoot, s.checkpointRoot);
    assert.deepEqual(after.latest?.signers, [
      getAddress(f.members[0]?.address as Hex),
      getAddress(f.members[2]?.address as Hex),
    ]);
    assert.equal(after.certificates, 1);
    assert.equal(after.rewardsEarned, E("1"));
    assert.deepEqual(after.offences, []);
    await rejects(
      getFinalityRelayState(f.publicClient, { relay: f.registry.address }),
      (e) => e instanceof NotAFinalityRelayError,
    );
    await rejects(
      getFinalityRelayState(f.publicClient, { relay: "0x000000000000000000000000000000000000dEaD" }),
      (e) => e instanceof NotAFinalityRelayError,
    );
  });

  it("registers a Network key with its proof of possession; refuses before sending when not opted in or keyed", async () => {
    const f = await deployFinality(viem, [E("10")]);
    const { outsider } = f.accounts;
    const key = new NetworkKey(SecretKey.fromKeygen(new Uint8Array(32).fill(7)));
    const p = { relay: f.relay.address, registry: f.registry.address, key };
    const nonce = await f.publicClient.getTransactionCount({ address: outsider.account.address });
    await rejects(registerNetworkKey(outsider, p), reverted("NotOptedIn"));
    assert.equal(await f.publicClient.getTransactionCount({ address: outsider.account.address }), nonce);
    await f.vault.write.registerOperator([0n], { account: outsider.account });
    await f.registry.write.optIn([f.networkId], { account: outsider.account });
    const r = await registerNetworkKey(outsider, p);
    assert.equal(r.index, 1n);
    const [operator, pubkey] = await f.relay.read.operatorAt([1n]);
    assert.equal(operator, getAddress(outsider.account.address));
    assert.equal(pubkey, bytesToHex(key.publicKey));
    await rejects(registerNetworkKey(outsider, p), reverted("KeyAlreadyRegistered"));
  });

  it("submits a certificate from individual signatures; refuses bad ones before sending, decodes the relay's refusals", async () => {
    const f = await deployFinality(viem, [E("10"), E("10"), E("10")]);
    const [a, b, c] = f.members as [Member, Member, Member];
    const submitter = f.accounts.outsider;
    const s = await f.statement();
    const digest = hexToBytes(await f.relay.read.statementDigest([s]));
    const sig = (sk: typeof a.sk) => bytesToHex(sk.sign(digest).toBytes());
    const submit = (signatures: { operator: Hex; signature: Hex }[]) =>
      submitFinalityCertificate(submitter, { relay: f.relay.address, statement: s, signatures });
    const certificateError = (text: RegExp) => (e: unknown) =>
      e instanceof FinalityCertificateError && text.test(e.shortMessage);
    const before = await f.publicClient.getTransactionCount({ address: submitter.account.address });
    await rejects(submit([]), certificateError(/no signatures/));
    await rejects(
      submit([{ operator: submitter.account.address, signature: sig(a.sk) }]),
      certificateError(/has no Network key/),
    );
    await rejects(
      submit([
        { operator: a.address, signature: sig(a.sk) },
        { operator: a.address, signature: sig(a.sk) },
      ]),
      certificateError(/signs twice/),
    );
    await rejects(
      submit([{ operator: a.address, signature: sig(networkKey(77).sk) }]),
      certificateError(/not over this statement/),
    );
    await rejects(submit([{ operator: a.address, signature: "0x1234" }]), certificateError(/not a compressed/));
    await rejects(submit([{ operator: a.address, signature: sig(a.sk) }]), reverted("InsufficientStake"));
    assert.equal(
      await f.publicClient.getTransactionCount({ address: submitter.account.address }),
      before,
      "nothing was sent",
    );
    // Any order: the action sorts by the relay's index.
    const r = await submit([
      { operator: c.address, signature: sig(c.sk) },
      { operator: a.address, signature: sig(a.sk) },
    ]);
    assert.equal(r.epoch, s.epoch);
    assert.equal(r.signers, 0b101n);
    assert.equal(r.signedStake, E("20"));
    assert.equal(r.totalStake, E("30"));
    assert.equal(r.reward, E("1"));
    assert.equal((await f.relay.read.certificateOf([s.epoch])).checkpointRoot, s.checkpointRoot);
    await rejects(submit([{ operator: b.address, signature: sig(b.sk) }]), reverted("EpochAlreadyCertified"));
  });

  it("pays a finished vault epoch's rewards; nothing owed is a decoded revert before sending", async () => {
    const f = await deployFinality(viem, [E("10"), E("10"), E("10")]);
    const payer = f.accounts.outsider;
    const epoch = await f.vault.read.currentEpoch();
    await rejects(payFinalityRewards(payer, { relay: f.relay.address, vaultEpoch: epoch }), reverted("NothingToPay"));
    await f.relay.write.submitCertificate(await f.certificate(await f.statement(), [0, 1, 2]));
    await f.nextVaultEpoch();
    const r = await payFinalityRewards(payer, { relay: f.relay.address, vaultEpoch: epoch });
    assert.equal(r.total, E("1"));
    assert.equal(r.operators, 3n);
    const state = await getFinalityRelayState(f.publicClient, { relay: f.relay.address });
    assert.equal(state.rewardsPaid, E("1"));
  });

  it("slashes by equivocation (compressed signatures) and by a contradicted certificate; checks evidence first", async () => {
    const f = await deployFinality(viem, [E("10"), E("10"), E("10")]);
    const [m, other] = f.members as [Member, Member];
    const slasher = f.accounts.outsider;
    const a = await f.statement();
    const b = { ...a, checkpointRoot: `0x${"cd".repeat(32)}` as Hex };
    const sign = async (s: typeof a) =>
      bytesToHex(m.sk.sign(hexToBytes(await f.relay.read.statementDigest([s]))).toBytes());
    const base = { relay: f.relay.address, registry: f.registry.address };
    await rejects(
      slashFinalityOperator(slasher, {
        ...base,
        operator: m.address,
        evidence: {
          kind: "double-sign",
          first: { statement: a, signature: await sign(a) },
          second: { statement: { ...b, epoch: a.epoch - 1n }, signature: await sign(b) },
        },
      }),
      (e) => e instanceof FinalityEvidenceError,
    );
    await rejects(
      slashFinalityOperator(slasher, {
        ...base,
        operator: slasher.account.address,
        evidence: { kind: "signed-root", signed: { statement: a, signature: await sign(a) } },
      }),
      (e) => e instanceof FinalityEvidenceError,
    );
    await rejects(
      slashFinalityOperator(slasher, {
        ...base,
        operator: m.address,
        evidence: { kind: "signed-root", signed: { statement: a, signature: "0x1234" } },
      }),
      (e) => e instanceof FinalityEvidenceError,
    );
    const evidence = {
      kind: "double-sign" as const,
      first: { statement: a, signature: await sign(a) },
      second: { statement: b, signature: await sign(b) },
    };
    const r = await slashFinalityOperator(slasher, { ...base, operator: m.address, evidence });
    assert.ok(r.slashed > 0n);
    assert.equal(await f.vault.read.operatorStake([m.address]), 0n);
    await rejects(
      slashFinalityOperator(slasher, { ...base, operator: m.address, evidence }),
      reverted("AlreadySlashed"),
    );
    // A certificate signed by `other` whose root the EIP-4788 contract contradicts.
    const next = await f.statement(a.epoch - 1n);
    await f.relay.write.submitCertificate(await f.certificate(next, [1, 2]));
    await f.setBeaconRoot(next.epoch, next.checkpointRoot);
    const certified = {
      ...base,
      operator: other.address,
      evidence: { kind: "certified-root" as const, epoch: next.epoch },
    };
    await rejects(slashFinalityOperator(slasher, certified), reverted("InvalidEvidence"));
    await f.setBeaconRoot(next.epoch, `0x${"77".repeat(32)}`);
    await slashFinalityOperator(slasher, certified);
    const state = await getFinalityRelayState(f.publicClient, { relay: f.relay.address });
    assert.deepEqual(
      state.offences.map((o) => [o.operator, o.epoch, o.offence]),
      [
        [getAddress(m.address), a.epoch, "DoubleSign"],
        [getAddress(other.address), next.epoch, "CertifiedRootMismatch"],
      ],
    );
  });
});
