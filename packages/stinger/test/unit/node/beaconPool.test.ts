// The beacon devnet sets the minimal preset: keep this import first.
import "@nektar/beacon-devnet";
import assert from "node:assert/strict";
import { createServer, type Server, type Socket, connect as tcpConnect } from "node:net";
import { after, before, describe, it } from "node:test";
import { type Devnet, startDevnet } from "@nektar/beacon-devnet";
import { connectBeaconNode } from "../../../src/node/beaconConnection.ts";

/**
 * A beacon node endpoint in front of the devnet that the test can kill (its port then refuses connections, as a
 * killed beacon node's does) or hang (accepts connections, never answers). Stopped by the test.
 */
class Endpoint {
  readonly server: Server;
  readonly sockets = new Set<Socket>();
  requests = 0;
  port = 0;
  private constructor(server: Server) {
    this.server = server;
  }

  static async start(target: URL | "hang", port = 0): Promise<Endpoint> {
    let self: Endpoint | undefined;
    const server = createServer((client) => {
      const e = self as Endpoint;
      e.requests++;
      e.sockets.add(client);
      client.on("close", () => e.sockets.delete(client));
      if (target === "hang") return;
      const upstream = tcpConnect(Number(target.port), target.hostname);
      e.sockets.add(upstream);
      client.pipe(upstream).pipe(client);
      upstream.on("error", () => client.destroy());
      client.on("error", () => upstream.destroy());
    });
    self = new Endpoint(server);
    await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
    self.port = (server.address() as { port: number }).port;
    return self;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** kill -9 of the node: the port refuses connections, open ones are reset. */
  async kill(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((r) => this.server.close(r));
  }
}

describe("several beacon nodes with health-checked fallback", () => {
  let devnet: Devnet;
  const endpoints: Endpoint[] = [];
  before(async () => {
    devnet = await startDevnet({ validators: 8, secondsPerSlot: 1 });
  });
  after(async () => {
    for (const e of endpoints) await e.kill().catch(() => {});
    await devnet.stop();
  });

  const timed = async <T>(f: () => Promise<T>): Promise<{ ms: number; value: T }> => {
    const t = performance.now();
    const value = await f();
    return { ms: performance.now() - t, value };
  };

  it("a beacon node killed mid-epoch: every later call is answered by the other at once", async () => {
    const primary = await Endpoint.start(new URL(devnet.url));
    const backup = await Endpoint.start(new URL(devnet.url));
    endpoints.push(primary, backup);
    const beacon = await connectBeaconNode([primary.url, backup.url]);
    await beacon.pool.probe();
    const api = beacon.api;
    const spe = beacon.clock.slotsPerEpoch;
    assert.equal(beacon.pool.activeUrl, primary.url);
    const before = backup.requests;
    assert.ok((await api.beacon.getBlockHeader({ blockId: "head" })).ok);
    assert.equal(backup.requests, before, "a healthy primary answers alone");
    // Mid-epoch: wait for the middle slot of an epoch, then kill the primary.
    while (beacon.clock.currentSlot() % spe !== Math.floor(spe / 2)) await new Promise((r) => setTimeout(r, 50));
    await primary.kill();
    const slot = beacon.clock.currentSlot();
    const worst: number[] = [];
    for (let k = 0; k < 10; k++) {
      const a = await timed(() => api.validator.produceAttestationData({ slot, committeeIndex: 0 }));
      assert.ok(a.value.ok, `attestation data ${a.value.status}`);
      const h = await timed(() => api.beacon.getBlockHeader({ blockId: "head" }));
      assert.ok(h.value.ok);
      worst.push(a.ms, h.ms);
    }
    assert.ok(Math.max(...worst) < 500, `a call waited ${Math.max(...worst).toFixed(0)} ms on the dead node`);
    assert.equal(beacon.pool.status()[0]?.state, "down");
    assert.equal(beacon.pool.activeUrl, backup.url);
    // A 404 is an answer, not a failure: it is not retried on another node nor marks the node down.
    const unknown = await api.beacon.getBlockHeader({ blockId: `0x${"ab".repeat(32)}` });
    assert.equal(unknown.status, 404);
    assert.equal(beacon.pool.status()[1]?.state, "synced");
    // The primary restarts on its port: the next probe puts it first again.
    const restarted = await Endpoint.start(new URL(devnet.url), primary.port);
    endpoints.push(restarted);
    await beacon.pool.probe();
    assert.equal(beacon.pool.activeUrl, primary.url);
    const seen = restarted.requests;
    assert.ok((await api.beacon.getBlockHeader({ blockId: "head" })).ok);
    assert.ok(restarted.requests > seen);
  });

  it("a hung beacon node (accepts, never answers) is skipped once a probe found it down", async () => {
    const hung = await Endpoint.start("hang");
    const backup = await Endpoint.start(new URL(devnet.url));
    endpoints.push(hung, backup);
    const beacon = await connectBeaconNode([hung.url, backup.url]);
    assert.equal(beacon.url, `${hung.url},${backup.url}`, "genesis read from the first node that answers");
    beacon.pool.start();
    try {
      while (beacon.pool.status()[0]?.checkedAt === 0) await new Promise((r) => setTimeout(r, 20));
      assert.equal(beacon.pool.status()[0]?.state, "down");
      const h = await timed(() => beacon.api.beacon.getBlockHeader({ blockId: "head" }));
      assert.ok(h.value.ok);
      assert.ok(h.ms < 300, `waited ${h.ms.toFixed(0)} ms on the hung node`);
    } finally {
      beacon.pool.stop();
    }
  });
});
