import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sha256 } from "@noble/hashes/sha2.js";
import {
  combinePartialSignatures,
  computeDepositDataRoot,
  computeDepositMessageRoot,
  computeDepositMessageSigningRoot,
  DepositError,
  type DkgResult,
  signPartial,
  verifyDepositSignature,
} from "../../src/index.ts";
import { runDkg } from "./harness.ts";

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, "hex"));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

// Output of ethereum/staking-deposit-cli 2.7.0 for a custom network (fork version 0x20000089).
const CLI = {
  pubkey: "98db81971df910a5d46314d21320f897060d76fdf137d22f0eb91a8693a4767d2a22730a3aaa955f07d13ad604f968e9",
  withdrawal_credentials: "010000000000000000000000468c15d616b52fcef0b932bf89d42157984be2a5",
  amount: 32000000000,
  signature:
    "a20d736d6807720cb2a2f48526eb3df83162b387b806bdf7d0d08bb31d3d4e4daaf4a11120dc194b188035e9e5c9bdbf00c3be3ca68adec9c4fb2fb59d936337b750ae08a9e7add56fb82526792876066456010a64c5629b7f1f564f9923ff8e",
  deposit_message_root: "2304faca7c177b307c224757df6e8a955026c613c86045ea569ba5547f8d104c",
  deposit_data_root: "e6260302845906138ebe075e9977e6086f02fc1c5142590bebdf54579c806bd3",
  fork_version: "20000089",
};

const cli = {
  pubkey: hex(CLI.pubkey),
  withdrawalCredentials: hex(CLI.withdrawal_credentials),
  amountGwei: CLI.amount,
  signature: hex(CLI.signature),
  forkVersion: hex(CLI.fork_version),
};

/** Independent SSZ merkleisation of DepositMessage / signing root (spec formulas, plain SHA-256). */
function h(a: Uint8Array, b: Uint8Array): Uint8Array {
  return sha256(new Uint8Array([...a, ...b]));
}
function pad32(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  out.set(b);
  return out;
}
function independentSigningRoot(pubkey: Uint8Array, wc: Uint8Array, amountGwei: number, fork: Uint8Array): Uint8Array {
  const pkRoot = h(pubkey.slice(0, 32), pad32(pubkey.slice(32)));
  const amountLe = new Uint8Array(32);
  new DataView(amountLe.buffer).setBigUint64(0, BigInt(amountGwei), true);
  const messageRoot = h(h(pkRoot, wc), h(amountLe, new Uint8Array(32)));
  const forkDataRoot = h(pad32(fork), new Uint8Array(32));
  const domain = new Uint8Array([3, 0, 0, 0, ...forkDataRoot.slice(0, 28)]);
  return h(messageRoot, domain);
}

describe("deposit glue", () => {
  it("matches staking-deposit-cli's roots and verifies its signature", () => {
    assert.equal(toHex(computeDepositMessageRoot(cli)), CLI.deposit_message_root);
    assert.equal(toHex(computeDepositDataRoot(cli)), CLI.deposit_data_root);
    assert.ok(verifyDepositSignature(cli));
    assert.ok(!verifyDepositSignature({ ...cli, forkVersion: hex("00000000") }));
  });

  it("signing root agrees with an independent merkleisation", () => {
    assert.deepEqual(
      computeDepositMessageSigningRoot(cli),
      independentSigningRoot(cli.pubkey, cli.withdrawalCredentials, cli.amountGwei, cli.forkVersion),
    );
  });

  it("a DKG finishes with a threshold-signed, valid deposit", () => {
    const { participants } = runDkg({ seed: "deposit" });
    const results = [...participants.values()].map((p) => p.result() as DkgResult);
    const first = results[0] as DkgResult;
    const params = {
      pubkey: first.groupPublicKey,
      withdrawalCredentials: cli.withdrawalCredentials,
      amountGwei: 32_000_000_000n,
      forkVersion: hex("00000000"),
    };
    const root = computeDepositMessageSigningRoot(params);
    const partials = results.slice(5).map((r) => signPartial(r.keyShare, root));
    const { signature } = combinePartialSignatures({
      partials,
      threshold: 11,
      groupPublicKey: first.groupPublicKey,
      signingRoot: root,
      sharePublicKeys: first.sharePublicKeys,
    });
    assert.ok(verifyDepositSignature({ ...params, signature }));
    assert.equal(computeDepositDataRoot({ ...params, signature }).length, 32);
  });

  it("rejects malformed fields with typed errors", () => {
    for (const bad of [
      { ...cli, pubkey: new Uint8Array(47) },
      { ...cli, withdrawalCredentials: new Uint8Array(31) },
      { ...cli, amountGwei: 0 },
      { ...cli, amountGwei: 2n ** 64n },
      { ...cli, forkVersion: new Uint8Array(5) },
    ]) {
      assert.throws(() => computeDepositMessageSigningRoot(bad), DepositError);
    }
    assert.throws(() => computeDepositDataRoot({ ...cli, signature: new Uint8Array(95) }), DepositError);
  });
});
