import type { Registry } from "prom-client";
import type { Address } from "viem";
import type { Logger } from "../logger/logger.ts";
import { NetworkModuleError } from "./errors.ts";
import type {
  NetworkEvent,
  NetworkEventKind,
  NetworkModule,
  NetworkModuleContext,
  NetworkModuleDefinition,
  NetworkPubSub,
  NetworkRef,
  NetworkTopic,
} from "./interfaces.ts";
import { type ModuleFaultKind, type ModuleScope, moduleScopes } from "./isolation.ts";
import { createNetworkHostMetrics, type NetworkHostMetrics } from "./metrics.ts";

export type NetworkHostOptions = {
  logger: Logger;
  metrics: Registry;
  pubsub: NetworkPubSub;
  /** A handler running longer is abandoned (its signal aborted) and the module's next event runs. */
  handlerTimeoutMs?: number;
  /** Events waiting per module; more are dropped (counted as skipped). */
  queueLimit?: number;
  /** After this many failures in a row a module is suspended for `suspendMs`. */
  maxConsecutiveFailures?: number;
  suspendMs?: number;
};

/** What `add` needs besides what the host supplies (topic, logger, metrics, signal). */
export type ModuleSetup = Omit<NetworkModuleContext, "topic" | "logger" | "metrics" | "signal" | "name"> & {
  name?: string | undefined;
};

/** `disabled`: stopped for good after an error escaped the module in the background (see `isolation.ts`). */
export type ModuleState = "running" | "suspended" | "stopped" | "disabled";

export type ModuleStatus = {
  name: string;
  state: ModuleState;
  topic: string;
  handled: number;
  errors: number;
  timeouts: number;
  skipped: number;
  /** Errors that escaped the module's own timers and promises (each one disables it). */
  failures: number;
  lastError?: string | undefined;
};

type Entry = {
  name: string;
  module: NetworkModule;
  scope: ModuleScope;
  topic: string;
  abort: AbortController;
  queue: NetworkEvent[];
  running: boolean;
  failuresInRow: number;
  suspendedUntil: number;
  members: Set<string> | undefined;
  status: ModuleStatus;
};

const DEFAULTS = { handlerTimeoutMs: 10_000, queueLimit: 256, maxConsecutiveFailures: 5, suspendMs: 60_000 };

/** The gossip topic of a module's Network: scoped by chain, registry, Network id and module name. */
export function networkTopicName(network: NetworkRef, name: string): string {
  return `/nektar/network/${network.chainId}/${network.registry.toLowerCase()}/${network.networkId}/${name}/1`;
}

/**
 * Hosts the operator's Network modules beside its validator duties, isolated from them and from each other: events
 * are queued per module and run one at a time off the caller's path (`dispatch` never waits and never throws); a
 * handler that throws is counted and logged, one that hangs is abandoned after `handlerTimeoutMs`; a module failing
 * again and again is suspended for a while. Each module gets its own topic whose messages are delivered only from
 * peers admitted for its Network, and logs/metrics under its name.
 *
 * Each module's `create`, handlers, `members`, `stop` and the abort of its signals run in its own async context
 * (`isolation.ts`): an error escaping a timer or promise the module started is attributed to it by the process's fault
 * handlers, and the module is disabled (no more events, its topic left, its `stop` called) while the rest carries on.
 *
 * Isolation is at the event-loop level: a module that blocks the thread with synchronous work would still delay
 * everything else in the process (run such work in a worker of its own).
 */
export class NetworkModuleHost {
  readonly #opts: Required<Omit<NetworkHostOptions, "logger" | "metrics" | "pubsub">>;
  readonly #logger: Logger;
  readonly #registry: Registry;
  readonly #pubsub: NetworkPubSub;
  readonly #metrics: NetworkHostMetrics;
  readonly #entries = new Map<string, Entry>();
  readonly #byTopic = new Map<string, Entry>();
  readonly #unsubscribe: () => void;
  /** Modules that failed in the background before their `create` returned. */
  readonly #failedWhileCreating = new Set<string>();

  constructor(opts: NetworkHostOptions) {
    this.#opts = {
      handlerTimeoutMs: opts.handlerTimeoutMs ?? DEFAULTS.handlerTimeoutMs,
      queueLimit: opts.queueLimit ?? DEFAULTS.queueLimit,
      maxConsecutiveFailures: opts.maxConsecutiveFailures ?? DEFAULTS.maxConsecutiveFailures,
      suspendMs: opts.suspendMs ?? DEFAULTS.suspendMs,
    };
    this.#logger = opts.logger;
    this.#registry = opts.metrics;
    this.#pubsub = opts.pubsub;
    this.#metrics = createNetworkHostMetrics(opts.metrics);
    this.#unsubscribe = this.#pubsub.onMessage((topic, from, data) => this.#onTopicMessage(topic, from, data));
  }

  /**
   * Creates and starts a module. A module whose `create` throws is logged and left out (returns false); the other
   * modules and the validator duties carry on.
   */
  async add(definition: NetworkModuleDefinition, setup: ModuleSetup): Promise<boolean> {
    const name = setup.name ?? definition.name;
    if (this.#entries.has(name)) throw new NetworkModuleError({ code: "ERR_NETWORK_MODULE_DUPLICATE", module: name });
    const topicName = networkTopicName(setup.network, name);
    const logger = this.#logger.child({ module: name });
    const abort = new AbortController();
    const pubsub = this.#pubsub;
    const scope: ModuleScope = { module: name, fail: (kind, error) => this.#onFault(name, kind, error) };
    const topic: NetworkTopic = {
      name: topicName,
      // The node's gossipsub runs outside the module's context (its own timers and streams are not the module's);
      // the promise the module gets is created in the module's context, so a rejection it leaves unhandled is its own.
      publish: async (data) => {
        await moduleScopes.exit(() => pubsub.publish(topicName, data));
      },
    };
    let module: NetworkModule;
    try {
      module = await moduleScopes.run(scope, () =>
        definition.create({
          ...setup,
          name,
          topic,
          logger,
          metrics: this.#registry,
          signal: abort.signal,
        }),
      );
    } catch (e) {
      logger.error("Network module failed to start; validator duties continue without it", {}, e);
      this.#metrics.errors.inc({ module: name, event: "create" });
      moduleScopes.run(scope, () => abort.abort());
      return false;
    }
    if (this.#failedWhileCreating.delete(name)) {
      logger.error("Network module failed in the background while starting; validator duties continue without it");
      moduleScopes.run(scope, () => abort.abort());
      await this.#stopModule(name, module, scope);
      return false;
    }
    const entry: Entry = {
      name,
      module,
      scope,
      topic: topicName,
      abort,
      queue: [],
      running: false,
      failuresInRow: 0,
      suspendedUntil: 0,
      members: undefined,
      status: {
        name,
        state: "running",
        topic: topicName,
        handled: 0,
        errors: 0,
        timeouts: 0,
        skipped: 0,
        failures: 0,
      },
    };
    this.#entries.set(name, entry);
    this.#byTopic.set(topicName, entry);
    this.#pubsub.subscribe(topicName);
    logger.info("Network module started", { topic: topicName, networkId: setup.network.networkId.toString() });
    return true;
  }

  /**
   * Peers (libp2p ids) admitted on `name`'s topic: the operators opted in to its Network. Until set, the topic
   * delivers nothing.
   */
  setMembers(name: string, peerIds: Iterable<string>): void {
    const entry = this.#entries.get(name);
    if (entry) entry.members = new Set(peerIds);
  }

  /**
   * Re-reads each module's Network members and admits their nodes on its topic; `resolvePeer` maps an operator to
   * its node's libp2p id. A module whose `members` fails keeps its previous set.
   */
  async refreshMembers(resolvePeer: (operator: Address) => Promise<string | undefined>): Promise<void> {
    for (const entry of this.#entries.values()) {
      if (entry.module.members === undefined || entry.status.state !== "running") continue;
      try {
        const peers: string[] = [];
        const members = entry.module.members.bind(entry.module);
        for (const operator of await moduleScopes.run(entry.scope, members)) {
          const peer = await resolvePeer(operator);
          if (peer !== undefined) peers.push(peer);
        }
        entry.members = new Set(peers);
      } catch (e) {
        this.#logger.warn("Could not refresh the Network's members", { module: entry.name }, e);
      }
    }
  }

  /** Every module's admitted peers (for the node's connection allowlist); a disabled module's are no longer admitted. */
  memberPeers(): string[] {
    const all = new Set<string>();
    for (const e of this.#entries.values()) {
      if (e.status.state === "disabled") continue;
      for (const p of e.members ?? []) all.add(p);
    }
    return [...all];
  }

  /**
   * Offers `event` to every module that handles its kind; returns at once. Contract logs go only to the modules that
   * watch their address, each module receiving just its own contract's logs.
   */
  dispatch(event: NetworkEvent): void {
    for (const entry of this.#entries.values()) {
      if (event.kind !== "logs") {
        this.#enqueue(entry, event);
        continue;
      }
      const address = entry.module.watch?.address.toLowerCase();
      if (address === undefined) continue;
      const logs = event.logs.filter((l) => l.address.toLowerCase() === address);
      if (logs.length > 0) this.#enqueue(entry, { kind: "logs", logs });
    }
  }

  /** The contracts whose logs the running modules watch (for the node's log feed). */
  watchedAddresses(): Address[] {
    const all = new Map<string, Address>();
    for (const e of this.#entries.values()) {
      const address = e.module.watch?.address;
      if (address !== undefined && e.status.state === "running") all.set(address.toLowerCase(), address);
    }
    return [...all.values()];
  }

  /** Per-module state for status screens and the node's status endpoint. */
  status(): ModuleStatus[] {
    const now = Date.now();
    return [...this.#entries.values()].map((e) => ({
      ...e.status,
      state: e.status.state !== "running" ? e.status.state : e.suspendedUntil > now ? "suspended" : "running",
    }));
  }

  /** Stops every module (aborting running handlers) and leaves their topics. */
  async stop(): Promise<void> {
    this.#unsubscribe();
    for (const entry of this.#entries.values()) {
      if (entry.status.state === "disabled") continue;
      entry.status.state = "stopped";
      await this.#halt(entry);
    }
  }

  /**
   * An error escaped `name`'s own timers or promises (reported by the process's fault handlers): counted, logged
   * under the module's name and the module disabled for good. Never throws (it runs inside the process's handlers).
   */
  #onFault(name: string, kind: ModuleFaultKind, error: unknown): void {
    try {
      this.#metrics.failures.inc({ module: name, kind });
      const logger = this.#logger.child({ module: name });
      const entry = this.#entries.get(name);
      if (entry === undefined) {
        this.#failedWhileCreating.add(name);
        logger.error("Network module failed in the background", { kind }, error);
        return;
      }
      entry.status.failures++;
      entry.status.lastError = (error as Error)?.message ?? String(error);
      if (entry.status.state === "disabled" || entry.status.state === "stopped") {
        logger.warn("Stopped Network module failed again in the background", { kind }, error);
        return;
      }
      entry.status.state = "disabled";
      logger.error(
        "Network module failed in the background and is disabled; validator duties continue",
        { kind },
        error,
      );
      void this.#halt(entry);
    } catch {
      // Reporting must not turn a module's fault into a process crash.
    }
  }

  /** No more events for `entry`: aborts its signals, leaves its topic and calls its `stop`. */
  async #halt(entry: Entry): Promise<void> {
    entry.queue.length = 0;
    moduleScopes.run(entry.scope, () => entry.abort.abort());
    this.#pubsub.unsubscribe(entry.topic);
    this.#byTopic.delete(entry.topic);
    await this.#stopModule(entry.name, entry.module, entry.scope);
  }

  async #stopModule(name: string, module: NetworkModule, scope: ModuleScope): Promise<void> {
    if (module.stop === undefined) return;
    const stop = module.stop.bind(module);
    try {
      await withTimeout(
        moduleScopes.run(scope, async () => stop()),
        this.#opts.handlerTimeoutMs,
      );
    } catch (e) {
      this.#logger.warn("Network module did not stop cleanly", { module: name }, e);
    }
  }

  #onTopicMessage(topic: string, from: string, data: Uint8Array): void {
    const entry = this.#byTopic.get(topic);
    if (!entry) return;
    if (!entry.members?.has(from)) {
      this.#metrics.messagesDropped.inc({ module: entry.name });
      return;
    }
    this.#enqueue(entry, { kind: "message", message: { from, data } });
  }

  #enqueue(entry: Entry, event: NetworkEvent): void {
    if (entry.status.state !== "running" || handlerOf(entry.module, event.kind) === undefined) return;
    if (entry.suspendedUntil > Date.now() || entry.queue.length >= this.#opts.queueLimit) {
      entry.status.skipped++;
      this.#metrics.skipped.inc({ module: entry.name, event: event.kind });
      return;
    }
    entry.queue.push(event);
    // The drain (and so every handler call) runs in the module's context, whoever delivered the event.
    if (!entry.running) moduleScopes.run(entry.scope, () => void this.#drain(entry));
  }

  async #drain(entry: Entry): Promise<void> {
    entry.running = true;
    try {
      for (let event = entry.queue.shift(); event !== undefined; event = entry.queue.shift()) {
        if (entry.status.state !== "running") return;
        await this.#run(entry, event);
      }
    } finally {
      entry.running = false;
    }
  }

  async #run(entry: Entry, event: NetworkEvent): Promise<void> {
    const labels = { module: entry.name, event: event.kind };
    const handlerAbort = new AbortController();
    const onStop = () => handlerAbort.abort();
    entry.abort.signal.addEventListener("abort", onStop, { once: true });
    const start = performance.now();
    const cpu = process.cpuUsage();
    try {
      const handled = moduleScopes.run(entry.scope, () => call(entry.module, event, handlerAbort.signal));
      await withTimeout(handled, this.#opts.handlerTimeoutMs);
      entry.failuresInRow = 0;
      entry.status.handled++;
    } catch (e) {
      handlerAbort.abort();
      entry.failuresInRow++;
      if (e instanceof HandlerTimeout) {
        entry.status.timeouts++;
        this.#metrics.timeouts.inc(labels);
        this.#logger.warn("Network module handler timed out and was abandoned", { ...labels, ms: e.ms });
      } else {
        entry.status.errors++;
        entry.status.lastError = (e as Error)?.message ?? String(e);
        this.#metrics.errors.inc(labels);
        this.#logger.warn("Network module handler failed", labels, e);
      }
      if (entry.failuresInRow >= this.#opts.maxConsecutiveFailures) {
        entry.suspendedUntil = Date.now() + this.#opts.suspendMs;
        entry.failuresInRow = 0;
        entry.queue.length = 0;
        this.#logger.error("Network module suspended after repeated failures", {
          module: entry.name,
          seconds: this.#opts.suspendMs / 1000,
        });
      }
    } finally {
      entry.abort.signal.removeEventListener("abort", onStop);
      const used = process.cpuUsage(cpu);
      this.#metrics.handlerCpuSeconds.inc(labels, (used.user + used.system) / 1e6);
      this.#metrics.handlerSeconds.observe(labels, (performance.now() - start) / 1000);
    }
  }
}

function handlerOf(module: NetworkModule, kind: NetworkEventKind): unknown {
  switch (kind) {
    case "epoch":
      return module.onEpoch;
    case "finalized":
      return module.onFinalizedCheckpoint;
    case "message":
      return module.onMessage;
    case "logs":
      return module.onLogs;
  }
}

/** Calls the handler; a synchronous throw becomes a rejection. */
async function call(module: NetworkModule, event: NetworkEvent, signal: AbortSignal): Promise<void> {
  switch (event.kind) {
    case "epoch":
      return module.onEpoch?.(event.epoch, signal);
    case "finalized":
      return module.onFinalizedCheckpoint?.(event.checkpoint, signal);
    case "message":
      return module.onMessage?.(event.message, signal);
    case "logs":
      return module.onLogs?.(event.logs, signal);
  }
}

class HandlerTimeout extends Error {
  readonly ms: number;
  constructor(ms: number) {
    super(`handler timed out after ${ms} ms`);
    this.ms = ms;
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HandlerTimeout(ms)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
