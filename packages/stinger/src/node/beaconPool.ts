import { type ApiClient, getClient } from "@lodestar/api";
import type { ChainForkConfig } from "@lodestar/config";
import type { Logger } from "../logger/logger.ts";

/** What the pool knows of one beacon node. */
export type BeaconNodeHealth = {
  readonly url: string;
  /** `synced`: health 200; `syncing`: 206; `down`: unreachable, timed out or 5xx. */
  readonly state: "synced" | "syncing" | "down";
  /** When the last probe answered or gave up (ms, the pool's clock); 0 before the first probe. */
  readonly checkedAt: number;
  readonly reason?: string;
};

export type BeaconPoolOptions = {
  urls: readonly string[];
  config: ChainForkConfig;
  /** Longest wait for one request on one node (default 4 s); a dead node's connection fails long before. */
  timeoutMs?: number;
  /** Between health probes of every node (default 2 s). */
  probeIntervalMs?: number;
  /** A probe slower than this marks the node down (default 1 s). */
  probeTimeoutMs?: number;
  logger?: Logger;
  now?: () => number;
};

const RANK = { synced: 0, syncing: 1, down: 2 } as const;

/** A request that failed on one node in a way another node may not: no answer at all, or a server error. */
function failedOnNode(result: unknown): boolean {
  const status = (result as { status?: unknown } | null)?.status;
  return typeof status === "number" && (status >= 500 || status === 0);
}

/**
 * Several beacon nodes behind one {@link ApiClient}: each call goes to the best node by the last health probe (synced
 * before syncing, in the configured order) and, if that node gives no answer or a server error, at once to the next
 * one. Nodes the probe found down are tried only after every other (a duty never waits on a dead node: a killed node
 * refuses connections at once, a hung one is skipped from the next probe on, within `probeIntervalMs`). Answers such as
 * 404 are answers, not failures, and are returned as they are.
 */
export class BeaconNodePool {
  readonly api: ApiClient;
  private readonly o: Required<Omit<BeaconPoolOptions, "logger">> & { logger?: Logger };
  private readonly clients: ApiClient[];
  private readonly health: BeaconNodeHealth[];
  private timer: NodeJS.Timeout | undefined;
  private preferred = 0;

  constructor(opts: BeaconPoolOptions) {
    if (opts.urls.length === 0) throw new Error("BeaconNodePool needs at least one URL");
    this.o = { timeoutMs: 4000, probeIntervalMs: 2000, probeTimeoutMs: 1000, now: Date.now, ...opts };
    this.clients = opts.urls.map((baseUrl) =>
      getClient({ baseUrl, globalInit: { timeoutMs: this.o.timeoutMs } }, { config: opts.config }),
    );
    this.health = opts.urls.map((url) => ({ url, state: "synced", checkedAt: 0 }));
    this.api = this.proxy();
  }

  /** The nodes and what the last probe found. */
  status(): BeaconNodeHealth[] {
    return [...this.health];
  }

  /** The URL calls go to first now. */
  get activeUrl(): string {
    return this.order()[0]?.url ?? (this.o.urls[0] as string);
  }

  /** Probes every node now and then every `probeIntervalMs` until {@link stop}. */
  start(): void {
    if (this.timer !== undefined) return;
    const loop = () => {
      void this.probe().finally(() => {
        if (this.timer !== undefined) this.timer = setTimeout(loop, this.o.probeIntervalMs).unref();
      });
    };
    this.timer = setTimeout(loop, 0).unref();
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** One health probe of every node (`/eth/v1/node/health`), in parallel. */
  async probe(): Promise<void> {
    await Promise.all(
      this.clients.map(async (client, i) => {
        const url = this.o.urls[i] as string;
        let state: BeaconNodeHealth["state"] = "down";
        let reason: string | undefined;
        try {
          const res = await client.node.getHealth({}, { timeoutMs: this.o.probeTimeoutMs });
          if (res.status === 200) state = "synced";
          else if (res.status === 206) state = "syncing";
          else reason = `health ${res.status}`;
        } catch (e) {
          reason = (e as Error).message;
        }
        const before = this.health[i]?.state;
        this.health[i] = { url, state, checkedAt: this.o.now(), ...(reason !== undefined ? { reason } : {}) };
        if (before !== state)
          this.o.logger?.warn("Beacon node health changed", { url, from: before, to: state, reason });
      }),
    );
  }

  /** Node indices in the order calls try them. */
  private order(): (BeaconNodeHealth & { index: number })[] {
    return this.health
      .map((h, index) => ({ ...h, index }))
      .sort((a, b) => RANK[a.state] - RANK[b.state] || a.index - b.index);
  }

  private async call(namespace: string, method: string, args: unknown[]): Promise<unknown> {
    let last: unknown;
    let lastError: unknown;
    for (const { index } of this.order()) {
      const fn = (this.clients[index] as unknown as Record<string, Record<string, (...a: unknown[]) => unknown>>)[
        namespace
      ]?.[method];
      if (fn === undefined) throw new TypeError(`no beacon API method ${namespace}.${method}`);
      try {
        const res = await fn(...args);
        if (!failedOnNode(res)) {
          this.noteAnswer(index);
          return res;
        }
        last = res;
      } catch (e) {
        lastError = e;
      }
      this.noteFailure(index, lastError);
    }
    if (last !== undefined) return last;
    throw lastError;
  }

  /** A node that answered is up (a probe may still be pending after a restart). */
  private noteAnswer(index: number): void {
    const h = this.health[index];
    if (h !== undefined && h.state === "down")
      this.health[index] = { url: h.url, state: "synced", checkedAt: this.o.now() };
    if (this.preferred !== index) {
      this.o.logger?.info("Beacon calls now answered by", { url: this.o.urls[index] });
      this.preferred = index;
    }
  }

  /** A node that gave no answer is down until a probe finds it up again: later calls try the others first. */
  private noteFailure(index: number, error: unknown): void {
    const h = this.health[index];
    if (h === undefined || h.state === "down") return;
    const reason = error instanceof Error ? error.message : "server error";
    this.health[index] = { url: h.url, state: "down", checkedAt: this.o.now(), reason };
    this.o.logger?.warn("Beacon node failed a call; falling back", { url: h.url, reason });
  }

  private proxy(): ApiClient {
    const namespaces = new Map<string, unknown>();
    return new Proxy({} as ApiClient, {
      get: (_, namespace) => {
        if (typeof namespace !== "string") return undefined;
        let ns = namespaces.get(namespace);
        if (ns === undefined) {
          ns = new Proxy(
            {},
            {
              get: (__, method) =>
                typeof method === "string" ? (...args: unknown[]) => this.call(namespace, method, args) : undefined,
            },
          );
          namespaces.set(namespace, ns);
        }
        return ns;
      },
    });
  }
}
