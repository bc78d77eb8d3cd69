import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { SecretKey } from "@chainsafe/blst";
import { Registry } from "prom-client";
import type { Address, Log, PublicClient } from "viem";
import { createLogger } from "../../../src/logger/logger.ts";
import { NetworkModuleHost, networkTopicName } from "../../../src/networks/host.ts";
import type { NetworkModule, NetworkModuleDefinition, NetworkRef } from "../../../src/networks/interfaces.ts";
import { currentModuleScope } from "../../../src/networks/isolation.ts";
import { NetworkKey } from "../../../src/networks/networkKey.ts";
import type { StatementProtection } from "../../../src/networks/protection.ts";
import { MemoryBus } from "./memoryBus.ts";

const logger = createLogger({ level: "fatal" });
const network: NetworkRef = {
  contract: "0x00000000000000000000000000000000000000c0",
  registry: "0x00000000000000000000000000000000000000aa",
  networkId: 1n,
  chainId: 31337,
};

function setup(host: NetworkModuleHost, name: string) {
  return {
    name,
    network,
    operator: "0x0000000000000000000000000000000000000001" as const,
    key: new NetworkKey(SecretKey.fromKeygen(new Uint8Array(32).fill(7))),
    protection: {} as StatementProtection,
    chain: { publicClient: {} as PublicClient },
    options: {},
    host,
  };
}

function definition(name: string, module: NetworkModule): NetworkModuleDefinition {
  return { name, description: name, create: async () => module };
}

/** A module recording the epochs it saw. */
function recorder() {
  const epochs: bigint[] = [];
  return { epochs, module: { onEpoch: async (e: bigint) => void epochs.push(e) } satisfies NetworkModule };
}

async function until(check: () => boolean, ms = 2_000) {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await sleep(5);
  }
}

describe("NetworkModuleHost: module isolation", () => {
  it("a crashing module is counted and suspended; the other module and the caller carry on", async () => {
    const metrics = new Registry();
    const host = new NetworkModuleHost({
      logger,
      metrics,
      pubsub: new MemoryBus().join("a"),
      maxConsecutiveFailures: 3,
      suspendMs: 60_000,
    });
    const healthy = recorder();
    let calls = 0;
    await host.add(
      definition("crashing", {
        onEpoch: async () => {
          calls++;
          throw new Error("boom");
        },
      }),
      setup(host, "crashing"),
    );
    await host.add(definition("healthy", healthy.module), setup(host, "healthy"));
    for (let e = 1n; e <= 5n; e++) {
      assert.doesNotThrow(() => host.dispatch({ kind: "epoch", epoch: e }));
      await sleep(5);
    }
    await until(() => healthy.epochs.length === 5);
    assert.deepEqual(healthy.epochs, [1n, 2n, 3n, 4n, 5n]);
    assert.equal(calls, 3, "suspended after three failures in a row");
    const crashed = host.status().find((s) => s.name === "crashing");
    assert.equal(crashed?.state, "suspended");
    assert.equal(crashed?.errors, 3);
    assert.equal(crashed?.skipped, 2);
    assert.equal(crashed?.lastError, "boom");
    const text = await metrics.metrics();
    assert.match(text, /stinger_network_module_errors_total\{module="crashing",event="epoch"\} 3/);
    await host.stop();
  });

  it("a module whose creation throws is left out without affecting the others", async () => {
    const host = new NetworkModuleHost({ logger, metrics: new Registry(), pubsub: new MemoryBus().join("a") });
    const healthy = recorder();
    const bad: NetworkModuleDefinition = {
      name: "bad",
      description: "",
      create: async () => {
        throw new Error("no config");
      },
    };
    assert.equal(await host.add(bad, setup(host, "bad")), false);
    assert.equal(await host.add(definition("healthy", healthy.module), setup(host, "healthy")), true);
    host.dispatch({ kind: "epoch", epoch: 9n });
    await until(() => healthy.epochs.length === 1);
    assert.deepEqual(
      host.status().map((s) => s.name),
      ["healthy"],
    );
    await host.stop();
  });

  it("a slow module is abandoned after the timeout (its signal aborted) and does not delay the other", async () => {
    const host = new NetworkModuleHost({
      logger,
      metrics: new Registry(),
      pubsub: new MemoryBus().join("a"),
      handlerTimeoutMs: 300,
    });
    const healthy = recorder();
    const aborted: bigint[] = [];
    await host.add(
      definition("slow", {
        onEpoch: (epoch, signal) =>
          new Promise<void>((resolve) => {
            signal.addEventListener("abort", () => {
              aborted.push(epoch);
              resolve();
            });
          }),
      }),
      setup(host, "slow"),
    );
    await host.add(definition("healthy", healthy.module), setup(host, "healthy"));
    host.dispatch({ kind: "epoch", epoch: 1n });
    host.dispatch({ kind: "epoch", epoch: 2n });
    await until(() => healthy.epochs.length === 2);
    assert.deepEqual(aborted, [], "the healthy module ran while the slow one still hung");
    await until(() => aborted.length === 2);
    assert.deepEqual(aborted, [1n, 2n], "each hung handler was abandoned in turn, the next event still ran");
    assert.equal(host.status().find((s) => s.name === "slow")?.timeouts, 2);
    await host.stop();
  });

  it("delivers topic messages only from admitted peers, on the module's own topic", async () => {
    const bus = new MemoryBus();
    const hostA = new NetworkModuleHost({ logger, metrics: new Registry(), pubsub: bus.join("peerA") });
    const hostB = new NetworkModuleHost({ logger, metrics: new Registry(), pubsub: bus.join("peerB") });
    const received: string[] = [];
    let topicA = "";
    await hostA.add(
      definition("relay", {
        onMessage: async (m) => void received.push(`${m.from}:${new TextDecoder().decode(m.data)}`),
      }),
      setup(hostA, "relay"),
    );
    await hostB.add(
      {
        name: "relay",
        description: "",
        create: async (ctx) => {
          topicA = ctx.topic.name;
          return { onEpoch: async () => ctx.topic.publish(new TextEncoder().encode("hello")) };
        },
      },
      setup(hostB, "relay"),
    );
    hostB.dispatch({ kind: "epoch", epoch: 1n });
    await sleep(20);
    assert.deepEqual(received, [], "nothing before the Network's members are known");
    hostA.setMembers("relay", ["peerB"]);
    hostB.dispatch({ kind: "epoch", epoch: 2n });
    bus.inject("peerA", topicA, "intruder", new TextEncoder().encode("spam"));
    await until(() => received.length === 1);
    await sleep(10);
    assert.deepEqual(received, ["peerB:hello"]);
    assert.match(topicA, /^\/nektar\/network\/31337\/0x0+aa\/1\/relay\/1$/);
    await hostA.stop();
    await hostB.stop();
  });
});

describe("NetworkModuleHost: contract logs", () => {
  const relay: Address = "0x00000000000000000000000000000000000000c0";
  const other: Address = "0x00000000000000000000000000000000000000c1";
  const log = (address: Address, n: number) => ({ address, blockNumber: BigInt(n), logIndex: 0 }) as unknown as Log;

  it("delivers each watching module only the logs of its own contract, and nothing to the others", async () => {
    const host = new NetworkModuleHost({ logger, metrics: new Registry(), pubsub: new MemoryBus().join("a") });
    const seen: Record<string, number[]> = { relay: [], other: [], blind: [] };
    const watching = (name: string, address: Address | undefined): NetworkModule => ({
      ...(address === undefined ? {} : { watch: { address } }),
      onLogs: async (logs) => void seen[name]?.push(...logs.map((l) => Number(l.blockNumber))),
    });
    await host.add(definition("relay", watching("relay", relay)), setup(host, "relay"));
    await host.add(definition("other", watching("other", other)), setup(host, "other"));
    await host.add(definition("blind", watching("blind", undefined)), setup(host, "blind"));
    assert.deepEqual(host.watchedAddresses(), [relay, other]);
    host.dispatch({ kind: "logs", logs: [log(relay, 1), log(other, 2), log(relay.toUpperCase() as Address, 3)] });
    host.dispatch({ kind: "logs", logs: [log(other, 4)] });
    await until(() => seen.relay?.length === 2 && seen.other?.length === 2);
    await sleep(10);
    assert.deepEqual(seen, { relay: [1, 3], other: [2, 4], blind: [] });
    await host.stop();
    assert.deepEqual(host.watchedAddresses(), [], "stopped modules watch nothing");
  });
});

describe("NetworkModuleHost: module contexts (what the process's fault handlers read)", () => {
  it("callbacks a module schedules from create and from handlers run in its own context, not another module's", async () => {
    const bus = new MemoryBus();
    const host = new NetworkModuleHost({ logger, metrics: new Registry(), pubsub: bus.join("a") });
    const seen: string[] = [];
    const record = (tag: string): void => {
      setImmediate(() => seen.push(`${tag}:${currentModuleScope()?.module}`));
    };
    const module = (name: string): NetworkModule => ({
      onEpoch: async () => record(`${name}-epoch`),
      onMessage: async () => record(`${name}-message`),
    });
    await host.add(
      {
        name: "one",
        description: "",
        create: async () => {
          record("one-create");
          return module("one");
        },
      },
      setup(host, "one"),
    );
    await host.add(definition("two", module("two")), setup(host, "two"));
    host.setMembers("two", ["peer"]);
    host.dispatch({ kind: "epoch", epoch: 1n });
    bus.inject("a", networkTopicName(network, "two"), "peer", new Uint8Array([1]));
    await until(() => seen.length === 4);
    assert.deepEqual(seen.sort(), ["one-create:one", "one-epoch:one", "two-epoch:two", "two-message:two"]);
    assert.equal(currentModuleScope(), undefined, "the caller's context is untouched");
    await host.stop();
  });

  it("a module failing in the background while it starts is left out and stopped", async () => {
    const metrics = new Registry();
    const host = new NetworkModuleHost({ logger, metrics, pubsub: new MemoryBus().join("a") });
    let stopped = false;
    const ok = await host.add(
      {
        name: "early",
        description: "",
        create: async () => {
          await new Promise<void>((resolve) =>
            setImmediate(() => {
              currentModuleScope()?.fail("uncaught_exception", new Error("boom while starting"));
              resolve();
            }),
          );
          return {
            onEpoch: async () => {},
            stop: async () => {
              stopped = true;
            },
          };
        },
      },
      setup(host, "early"),
    );
    assert.equal(ok, false);
    assert.equal(stopped, true);
    assert.deepEqual(host.status(), []);
    assert.match(
      await metrics.metrics(),
      /stinger_network_module_failures_total\{module="early",kind="uncaught_exception"\} 1/,
    );
  });

  it("a disabled module gets no more events, leaves its topic, and a host stop does not stop it twice", async () => {
    const bus = new MemoryBus();
    const pubsub = bus.join("a");
    const topics: string[] = [];
    const host = new NetworkModuleHost({
      logger,
      metrics: new Registry(),
      pubsub: {
        ...pubsub,
        unsubscribe: (t) => {
          topics.push(t);
          pubsub.unsubscribe(t);
        },
      },
    });
    let stops = 0;
    const epochs: bigint[] = [];
    let scope: ReturnType<typeof currentModuleScope>;
    await host.add(
      definition("bad", {
        onEpoch: async (e) => {
          epochs.push(e);
          scope = currentModuleScope();
        },
        stop: async () => void stops++,
      }),
      setup(host, "bad"),
    );
    host.setMembers("bad", ["peer"]);
    assert.deepEqual(host.memberPeers(), ["peer"]);
    host.dispatch({ kind: "epoch", epoch: 1n });
    await until(() => epochs.length === 1);
    scope?.fail("unhandled_rejection", new Error("late rejection"));
    await until(() => stops === 1);
    host.dispatch({ kind: "epoch", epoch: 2n });
    await sleep(20);
    assert.deepEqual(epochs, [1n]);
    assert.deepEqual(topics, [networkTopicName(network, "bad")]);
    assert.equal(host.status()[0]?.state, "disabled");
    assert.deepEqual(host.memberPeers(), [], "its Network's peers are no longer admitted");
    assert.equal(host.status()[0]?.lastError, "late rejection");
    await host.stop();
    assert.equal(stops, 1);
  });
});
