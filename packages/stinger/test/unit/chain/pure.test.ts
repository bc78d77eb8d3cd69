import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { generateKeyPair } from "@libp2p/crypto/keys";
import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import { keccak256, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { RequestCursor } from "../../../src/chain/cursor.ts";
import {
  type DkgResult,
  dkgResultDigest,
  firstSubmitter,
  isSignatureBy,
  signDkgResult,
  submitterRank,
} from "../../../src/chain/dkgResult.ts";
import { ChainError } from "../../../src/chain/errors.ts";
import { addressBook, nodeIdentityPeerId } from "../../../src/chain/requestDefinition.ts";
import { MAX_OPERATOR_MULTIADDRS } from "../../../src/dkg/definition.ts";

const dir = mkdtempSync(join(tmpdir(), "stinger-chain-pure-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const isCode = (code: string) => (e: unknown) => e instanceof ChainError && e.type.code === code;

describe("request cursor", () => {
  it("persists handled events and scanned ranges across reopen", () => {
    const path = join(dir, "c1.json");
    const c = RequestCursor.open(path, "1:0xabc", 10n);
    assert.equal(c.nextBlock, 10n);
    assert.equal(c.isHandled({ blockNumber: 9n, logIndex: 0 }), true, "before the start block");
    assert.equal(c.isHandled({ blockNumber: 12n, logIndex: 3 }), false);
    c.markHandled({ blockNumber: 12n, logIndex: 3 });
    const d = RequestCursor.open(path, "1:0xabc", 0n);
    assert.equal(d.isHandled({ blockNumber: 12n, logIndex: 3 }), true);
    assert.equal(d.isHandled({ blockNumber: 12n, logIndex: 2 }), true);
    assert.equal(d.isHandled({ blockNumber: 12n, logIndex: 4 }), false);
    d.markScanned(20n);
    const e = RequestCursor.open(path, "1:0xabc", 0n);
    assert.equal(e.nextBlock, 21n);
    assert.equal(e.isHandled({ blockNumber: 21n, logIndex: 0 }), false);
    e.markScanned(5n);
    assert.equal(RequestCursor.open(path, "1:0xabc", 0n).nextBlock, 21n, "never moves backwards");
  });

  it("refuses a cursor of another chain or registry, and a corrupt file", () => {
    const path = join(dir, "c2.json");
    RequestCursor.open(path, "1:0xabc", 0n);
    assert.throws(() => RequestCursor.open(path, "2:0xabc", 0n), isCode("ERR_CHAIN_CURSOR_MISMATCH"));
    for (const text of ["{", "[]", '{"version":1,"scope":"1:0xabc","nextBlock":"-1","lastHandled":null}']) {
      writeFileSync(path, text);
      assert.throws(() => RequestCursor.open(path, "1:0xabc", 0n), isCode("ERR_CHAIN_CURSOR_INVALID"));
    }
    assert.equal(readFileSync(path, "utf8").length > 0, true);
  });
});

describe("DKG result approvals", () => {
  const registry = "0x5FbDB2315678afecb367f032d93F642f64180aa3" as const;
  const result: DkgResult = {
    requestId: 7n,
    groupPubkey: toHex(new Uint8Array(48).fill(1)),
    sharePubkeys: toHex(new Uint8Array(16 * 48).fill(2)),
    depositSignature: toHex(new Uint8Array(96).fill(3)),
    depositDataRoot: keccak256("0x01"),
  };
  const alice = privateKeyToAccount(keccak256(toHex("alice")));
  const bob = privateKeyToAccount(keccak256(toHex("bob")));

  it("a signature recovers to its signer only, for that digest only", async () => {
    const digest = dkgResultDigest(31337, registry, result);
    const sig = await signDkgResult(alice, 31337, registry, result);
    assert.equal(await isSignatureBy(digest, sig, alice.address), true);
    assert.equal(await isSignatureBy(digest, sig, bob.address), false, "wrong signer");
    const other = dkgResultDigest(31337, registry, { ...result, requestId: 8n });
    assert.equal(await isSignatureBy(other, sig, alice.address), false, "replay on another request");
    assert.equal(await isSignatureBy(dkgResultDigest(1, registry, result), sig, alice.address), false, "other chain");
    assert.equal(await isSignatureBy(digest, "0x1234", alice.address), false, "malformed");
  });

  it("the submitter line is a permutation of the 16 positions starting at hash(requestId) mod 16", () => {
    for (const id of [1n, 2n, 3n, 1000n, 2n ** 255n]) {
      const ranks = [...Array(16).keys()].map((p) => submitterRank(id, p));
      assert.deepEqual(
        [...ranks].sort((a, b) => a - b),
        [...Array(16).keys()],
      );
      assert.equal(submitterRank(id, firstSubmitter(id)), 0);
    }
    const firsts = new Set([...Array(64).keys()].map((i) => firstSubmitter(BigInt(i + 1))));
    assert.ok(firsts.size > 8, "the first submitter varies between requests");
  });
});

describe("identities and addresses", () => {
  it("a registered node identity maps back to the node's peer id", async () => {
    const key = await generateKeyPair("Ed25519");
    assert.equal(nodeIdentityPeerId(toHex(key.publicKey.raw)), peerIdFromPrivateKey(key).toString());
  });

  it("the address book groups bootnodes by peer id and drops addresses without one", async () => {
    const peer = peerIdFromPrivateKey(await generateKeyPair("Ed25519")).toString();
    const book = addressBook([
      `/ip4/127.0.0.1/tcp/9000/p2p/${peer}`,
      `/ip4/10.0.0.1/tcp/9001/p2p/${peer}`,
      "/ip4/127.0.0.1/tcp/9002",
    ]);
    assert.deepEqual(book.get(peer), ["/ip4/127.0.0.1/tcp/9000", "/ip4/10.0.0.1/tcp/9001"]);
    assert.equal(book.size, 1);
  });

  it("the address book keeps each address once and at most as many as a definition accepts", async () => {
    const peer = peerIdFromPrivateKey(await generateKeyPair("Ed25519")).toString();
    // A follower passes its bootnodes and then its own listen addresses: its own address usually comes twice.
    const own = `/ip4/127.0.0.1/tcp/9000/p2p/${peer}`;
    assert.deepEqual(addressBook([own, own]).get(peer), ["/ip4/127.0.0.1/tcp/9000"]);
    const many = [...Array(MAX_OPERATOR_MULTIADDRS + 2).keys()].map((i) => `/ip4/10.0.0.${i + 1}/tcp/9000/p2p/${peer}`);
    const kept = addressBook(many).get(peer) ?? [];
    assert.deepEqual(
      kept,
      many.slice(0, MAX_OPERATOR_MULTIADDRS).map((a) => a.replace(`/p2p/${peer}`, "")),
    );
  });
});
