import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { generateKeyPair } from "@libp2p/crypto/keys";
import { peerIdFromPrivateKey } from "@libp2p/peer-id";
import { definitionHash, parseClusterDefinition, serializeClusterDefinition } from "../../../src/dkg/definition.ts";
import { DefinitionError } from "../../../src/dkg/errors.ts";
import { makeDefinition } from "../../support/ceremonyHarness.ts";

const peers = await Promise.all(
  Array.from({ length: 16 }, async (_, i) => ({
    peerId: peerIdFromPrivateKey(await generateKeyPair("Ed25519")).toString(),
    multiaddrs: [`/ip4/127.0.0.1/tcp/${9000 + i}`],
  })),
);

describe("cluster definition", () => {
  it("round-trips through JSON and hashes independently of transport hints", () => {
    const def = makeDefinition(peers, 11);
    const back = parseClusterDefinition(JSON.parse(serializeClusterDefinition(def)));
    assert.deepEqual(back, def);
    const moved = { ...def, operators: def.operators.map((o) => ({ ...o, multiaddrs: ["/ip4/10.0.0.1/tcp/1"] })) };
    assert.deepEqual(definitionHash(moved), definitionHash(def));
    assert.notDeepEqual(definitionHash({ ...def, threshold: 12 }), definitionHash(def));
  });

  it("accepts an operator without known addresses (a registry definition naming a peer this node cannot dial)", () => {
    const def = makeDefinition(peers, 11);
    const unknown = { ...def, operators: def.operators.map((o, i) => (i === 5 ? { ...o, multiaddrs: [] } : o)) };
    const back = parseClusterDefinition(JSON.parse(serializeClusterDefinition(unknown)));
    assert.deepEqual(back.operators[5]?.multiaddrs, []);
    assert.deepEqual(definitionHash(back), definitionHash(def));
  });

  it("rejects invalid definitions with the reason", () => {
    const json = JSON.parse(serializeClusterDefinition(makeDefinition(peers, 11)));
    const bad = (patch: Record<string, unknown>, re: RegExp) =>
      assert.throws(
        () => parseClusterDefinition({ ...json, ...patch }),
        (e) => e instanceof DefinitionError && re.test(e.type.reason),
      );
    bad({ version: "v0" }, /version/);
    bad({ threshold: 10 }, /threshold/);
    bad({ threshold: 17 }, /threshold/);
    bad({ withdrawalCredentials: `0x05${"00".repeat(31)}` }, /prefix/);
    bad({ depositAmountGwei: "1" }, /depositAmountGwei/);
    bad({ depositAmountGwei: 32 }, /decimal/);
    bad({ operators: json.operators.slice(0, 2) }, /operators/);
    bad({ operators: [...json.operators.slice(0, 15), json.operators[0]] }, /distinct/);
    bad(
      { operators: json.operators.map((o: object, i: number) => (i === 3 ? { ...o, peerId: "nope" } : o)) },
      /peer id/,
    );
    bad({ registryAddress: "0x12" }, /registryAddress/);
    const nineAddresses = Array.from({ length: 9 }, (_, i) => `/ip4/127.0.0.1/tcp/${7000 + i}`);
    bad(
      { operators: json.operators.map((o: object, i: number) => (i === 2 ? { ...o, multiaddrs: nineAddresses } : o)) },
      /0\.\.8/,
    );
    bad(
      { operators: json.operators.map((o: object, i: number) => (i === 2 ? { ...o, multiaddrs: ["nope"] } : o)) },
      /invalid address/,
    );
  });
});
