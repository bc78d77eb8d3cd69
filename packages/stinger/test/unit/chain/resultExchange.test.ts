import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { keccak256, toHex } from "viem";
import { type PrivateKeyAccount, privateKeyToAccount } from "viem/accounts";
import { isSignatureBy } from "../../../src/chain/dkgResult.ts";
import { ChainError } from "../../../src/chain/errors.ts";
import { ResultExchange } from "../../../src/chain/resultExchange.ts";
import type { ClusterDefinition } from "../../../src/dkg/definition.ts";
import { identitySigner, identityVerifier, peerIdPublicKey } from "../../../src/identity/ed25519.ts";
import { ClusterNetwork } from "../../../src/p2p/clusterNetwork.ts";
import { definitionFor, type InProcessOperator, inProcessOperators } from "../../support/ceremonyHarness.ts";
import { silentLogger } from "../../support/p2pHarness.ts";

const N = 4;
let ops: InProcessOperator[];
let signers: PrivateKeyAccount[];
before(async () => {
  ops = await inProcessOperators(N);
  signers = ops.map((_, i) => privateKeyToAccount(keccak256(toHex(`exchange-signer-${i}`))));
});
after(async () => {
  for (const o of ops) await o.node.stop();
});

function definition(requestId: bigint): ClusterDefinition {
  const d = definitionFor(ops, 3, requestId);
  return {
    ...d,
    operators: d.operators.map((o, i) => ({ ...o, elAddress: (signers[i] as PrivateKeyAccount).address })),
  };
}

function open(def: ClusterDefinition, i: number, session: Uint8Array): Promise<ResultExchange> {
  const o = ops[i] as InProcessOperator;
  return ResultExchange.open({
    definition: def,
    ceremonySessionId: session,
    identity: o.identity,
    node: o.node,
    allowlist: o.deps.allowlist,
    p2pMetrics: o.deps.p2pMetrics,
    logger: silentLogger,
  });
}

const digestOf = (s: string) => keccak256(toHex(s));
const sessionOf = (s: string) => Uint8Array.from(Buffer.from(keccak256(toHex(s)).slice(2), "hex"));

describe("DKG result signature exchange over P2P", () => {
  it("every operator ends with all signatures, each by its registered signer", async () => {
    const def = definition(1n);
    const digest = digestOf("result-1");
    const session = sessionOf("s1");
    const exchanges = await Promise.all(ops.map((_, i) => open(def, i, session)));
    try {
      const results = await Promise.all(
        exchanges.map(async (x, i) =>
          x.collect(digest, await (signers[i] as PrivateKeyAccount).sign({ hash: digest }), 20_000),
        ),
      );
      for (const sigs of results) {
        assert.deepEqual(sigs, results[0]);
        for (const [i, s] of sigs.entries())
          assert.ok(await isSignatureBy(digest, s, (signers[i] as PrivateKeyAccount).address));
      }
    } finally {
      await Promise.all(exchanges.map((x) => x.close()));
    }
  });

  it("a member silent over P2P that attested on-chain gets an empty entry; one that did not, none", async () => {
    const def = definition(3n);
    const digest = digestOf("result-3");
    const session = sessionOf("s3");
    // Operator 4 never opens its exchange (offline for P2P); operators 1-3 collect.
    const exchanges = await Promise.all([0, 1, 2].map((i) => open(def, i, session)));
    try {
      const sign = (i: number) => (signers[i] as PrivateKeyAccount).sign({ hash: digest });
      const attestedByFourth = async () => 0b1000n;
      const results = await Promise.all(
        exchanges.map(async (x, i) => x.collect(digest, await sign(i), 20_000, attestedByFourth)),
      );
      for (const sigs of results) {
        assert.equal(sigs[3], "0x");
        for (const i of [0, 1, 2]) {
          assert.ok(await isSignatureBy(digest, sigs[i] as `0x${string}`, (signers[i] as PrivateKeyAccount).address));
        }
      }
      // Without its attestation the exchange still fails on the missing signature.
      await assert.rejects(
        (exchanges[0] as ResultExchange).collect(digest, await sign(0), 6_000, async () => 0b0110n),
        /ERR_CHAIN_SIGNATURES_MISSING/,
      );
    } finally {
      await Promise.all(exchanges.map((x) => x.close()));
    }
  });

  it("an approval of another digest fails the exchange; a signature by an unregistered key is never counted", async () => {
    const def = definition(2n);
    const digest = digestOf("result-2");
    const session = sessionOf("s2");
    const stranger = privateKeyToAccount(keccak256(toHex("not registered")));
    const exchanges = await Promise.all(ops.map((_, i) => open(def, i, session)));
    try {
      const outcomes = await Promise.allSettled(
        exchanges.map(async (x, i) => {
          if (i === 1) return x.collect(digest, await stranger.sign({ hash: digest }), 3_000);
          if (i === 2) {
            const other = digestOf("diverging result");
            return x.collect(other, await (signers[i] as PrivateKeyAccount).sign({ hash: other }), 3_000);
          }
          return x.collect(digest, await (signers[i] as PrivateKeyAccount).sign({ hash: digest }), 3_000);
        }),
      );
      for (const [i, o] of outcomes.entries()) {
        assert.equal(o.status, "rejected", `operator ${i + 1} must not complete`);
        const e = (o as PromiseRejectedResult).reason;
        assert.ok(e instanceof ChainError, String(e));
        assert.ok(["ERR_CHAIN_RESULT_MISMATCH", "ERR_CHAIN_SIGNATURES_MISSING"].includes(e.type.code));
      }
      assert.equal(
        ((outcomes[0] as PromiseRejectedResult).reason as ChainError).type.code,
        "ERR_CHAIN_RESULT_MISMATCH",
      );
    } finally {
      await Promise.all(exchanges.map((x) => x.close()));
    }
  });

  it("completes when a member still served an earlier session while the others opened theirs", async () => {
    const def = definition(3n);
    const digest = digestOf("result-3");
    const session = sessionOf("s3");
    // Operator 1 is still in a previous session (like a ceremony lingering) when the others start the exchange.
    const o0 = ops[0] as InProcessOperator;
    const previous = new ClusterNetwork({
      node: o0.node,
      sessionId: sessionOf("previous"),
      members: def.operators.map((m) => ({
        peerId: m.peerId,
        multiaddrs: m.multiaddrs,
        verifier: identityVerifier(
          peerIdPublicKey(ops.find((o) => o.node.peerId.toString() === m.peerId)?.node.peerId as never),
        ),
      })),
      selfIndex: 0,
      signer: identitySigner(o0.identity.privateKey),
      metrics: o0.deps.p2pMetrics,
      logger: silentLogger,
    });
    await previous.start();
    const others = await Promise.all([1, 2, 3].map((i) => open(def, i, session)));
    const pending = others.map(async (x, k) =>
      x.collect(digest, await (signers[k + 1] as PrivateKeyAccount).sign({ hash: digest }), 40_000),
    );
    await new Promise((r) => setTimeout(r, 1_000));
    await previous.stop();
    const late = await open(def, 0, session);
    try {
      const all = await Promise.all([
        late.collect(digest, await (signers[0] as PrivateKeyAccount).sign({ hash: digest }), 40_000),
        ...pending,
      ]);
      for (const sigs of all) assert.equal(sigs.length, N);
    } finally {
      await Promise.all([late, ...others].map((x) => x.close()));
    }
  });
});
