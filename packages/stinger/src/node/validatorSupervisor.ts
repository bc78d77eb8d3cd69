import type { Ed25519PrivateKey } from "@libp2p/interface";
import { peerIdFromString } from "@libp2p/peer-id";
import { Counter, Gauge, type Registry } from "prom-client";
import type { AgreementProtocol } from "../core/agreement/types.ts";
import type { DutyDefinition } from "../core/interfaces.ts";
import { ValidatorKeys } from "../core/signer/validatorKeys.ts";
import type { DutyRecord } from "../core/tracker/tracker.ts";
import { createDutyMetrics, type DutyMetrics } from "../core/tracker/tracker.ts";
import { type IdentitySigner, identitySigner, identityVerifier, peerIdPublicKey } from "../identity/ed25519.ts";
import type { Logger } from "../logger/logger.ts";
import type { PeerAllowlist } from "../p2p/gater.ts";
import type { OperatorNode } from "../p2p/node.ts";
import type { OracleFrames } from "../performance/counters.ts";
import { createPerformanceMetrics, type PerformanceMetrics } from "../performance/metrics.ts";
import { type ValidatorPerformance, validatorPerformance } from "../performance/report.ts";
import { type ReshareStatus, reshareStatuses } from "../reshare/status.ts";
import { applyShareEpochs, planShareEpochs } from "../reshare/switch.ts";
import { SlashingProtectionDB } from "../slashing/db.ts";
import type { BeaconConnection } from "./beaconConnection.ts";
import {
  type ClusterMembership,
  type LoadedLock,
  loadValidatorLock,
  resolveValidatorIndices,
  type ValidatorShare,
  validatorDirs,
} from "./clusterKeys.ts";
import { DutyNetwork } from "./dutyNetwork.ts";
import { type DutyNode, startDutyNode } from "./dutyNode.ts";
import { SupervisorError } from "./errors.ts";

export type ValidatorSupervisorOptions = {
  beacon: BeaconConnection;
  node: OperatorNode;
  allowlist: PeerAllowlist;
  /** This operator's libp2p identity: signs duty and agreement messages. */
  identity: { peerId: string; privateKey: Ed25519PrivateKey };
  dataDir: string;
  /** Decrypts the share keystores. */
  password: string;
  /**
   * The agreement protocol this node was told to run (`--agreement`); a lock binding another is refused. Without it
   * each cluster runs what its locks bind.
   */
  protocol?: AgreementProtocol;
  registry: Registry;
  logger: Logger;
  /**
   * Agreement round timeout (`--agreement-timeout-ms`): used for locks that leave it to the node (0 = a sixth of a
   * slot); a lock binding another non-zero value is refused.
   */
  roundTimeoutMs?: number;
  /** `builder_boost_factor` of block requests (`--builder`, `--builder-boost-factor`; default 0 = local only). */
  builderBoostFactor?: bigint;
};

/** Per-share performance statements of every cluster (`src/performance/`): the oracle's frames and what they bind. */
export type SupervisorPerformance = {
  frameSlots: number;
  /** The oracle's genesis and frame length (its frames need not start at the beacon genesis). */
  frames: OracleFrames;
  chainId: bigint;
  oracle: `0x${string}`;
};

/** One operator set this node serves: its duty network, its validators and the duty pipeline running them. */
type ClusterRuntime = {
  membership: ClusterMembership;
  network: DutyNetwork;
  withdrawAdmission: () => void;
  validators: Map<string, ValidatorShare>;
  /** Beacon indices of the validators the beacon node knows, by pubkey hex. */
  indices: Map<string, number>;
  duties: DutyNode | undefined;
  /** The indices the running duty pipeline was started with (sorted, comma-joined). */
  dutiesFor: string;
  /** Serialises restarts of this cluster's pipeline. */
  queue: Promise<void>;
};

export type ClusterStatus = {
  clusterId: string;
  operators: number;
  threshold: number;
  /** This node's share index (1..n) in the cluster; the field keeps its name in the status JSON. */
  operator: number;
  connectedOperators: number;
  validators: number;
  /** Validators the beacon node knows (their duties are performed). */
  known: number;
};

export type SupervisorStatus = {
  validators: number;
  known: number;
  clusters: ClusterStatus[];
  /** Resharings whose outputs this node holds, with whether the new shares sign yet. */
  reshares: ReshareStatus[];
};

/**
 * Runs every distributed validator this operator holds a share of, whichever operator set it belongs to. Locks are
 * grouped by cluster (operator set): each cluster gets one `DutyNetwork` (its own gossip topic on the shared libp2p
 * node) and one duty pipeline; all pipelines share one slashing-protection DB (one instance per data dir) and one set
 * of duty metrics. New locks are added while running (`addValidator`, e.g. when a ceremony completes), and each epoch
 * the validators the beacon node does not know yet are looked up again: a cluster's pipeline is restarted with the
 * new key set when one becomes known (its deposit processed), well before it is active and has duties.
 */
export class ValidatorSupervisor {
  private readonly opts: ValidatorSupervisorOptions;
  private readonly clusters = new Map<string, ClusterRuntime>();
  private readonly slashingDb: SlashingProtectionDB;
  private readonly metrics: DutyMetrics;
  private readonly dropped: Counter<"reason">;
  private readonly gauge: Gauge<"state">;
  private readonly signer: IdentitySigner;
  private readonly logger: Logger;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private performance: SupervisorPerformance | undefined;
  private performanceMetrics: PerformanceMetrics | undefined;

  private constructor(opts: ValidatorSupervisorOptions, slashingDb: SlashingProtectionDB) {
    this.opts = opts;
    this.slashingDb = slashingDb;
    this.logger = opts.logger.child({ module: "supervisor" });
    this.signer = identitySigner(opts.identity.privateKey);
    this.metrics = createDutyMetrics(opts.registry);
    this.dropped = new Counter({
      name: "stinger_duty_messages_dropped_total",
      help: "Duty messages rejected before the pipeline, by reason",
      labelNames: ["reason"],
      registers: [opts.registry],
    });
    this.gauge = new Gauge({
      name: "stinger_validators_count",
      help: "Distributed validators this node holds a share of: known to the beacon node (duties run) or pending",
      labelNames: ["state"],
      registers: [opts.registry],
    });
  }

  /**
   * Opens the slashing-protection DB, loads every lock in the data dir (a lock that does not load fails the start: an
   * operator must not silently miss a validator's duties), joins each cluster's network and starts the pipelines.
   */
  static async start(opts: ValidatorSupervisorOptions): Promise<ValidatorSupervisor> {
    const locks: LoadedLock[] = [];
    for (const dir of validatorDirs(opts.dataDir)) {
      locks.push(await loadValidatorLock(dir, opts.identity.peerId, opts.password));
    }
    const slashingDb = await SlashingProtectionDB.open({
      dir: `${opts.dataDir}/slashing-protection`,
      genesisValidatorsRoot: `0x${Buffer.from(opts.beacon.genesisValidatorsRoot).toString("hex")}`,
    });
    const supervisor = new ValidatorSupervisor(opts, slashingDb);
    try {
      // Resharing outputs: each share signs only its epochs (and a newcomer's only with its slashing state imported).
      const epochs = planShareEpochs(validatorDirs(opts.dataDir), slashingDb);
      for (const lock of locks) {
        const e = epochs.get(lock.validator.dir);
        if (e !== undefined) lock.validator.epochs = e;
      }
      for (const lock of locks) await supervisor.add(lock);
      await supervisor.refresh();
    } catch (e) {
      await supervisor.stop();
      throw e;
    }
    supervisor.scheduleRefresh();
    return supervisor;
  }

  /** Adds the validator of a ceremony output directory (e.g. right after the ceremony wrote it) and starts its duties once the beacon node knows it. */
  async addValidator(dir: string): Promise<void> {
    const lock = await loadValidatorLock(dir, this.opts.identity.peerId, this.opts.password);
    if (this.stopped) return;
    const epochs = planShareEpochs(validatorDirs(this.opts.dataDir), this.slashingDb);
    const own = epochs.get(dir);
    if (own !== undefined) lock.validator.epochs = own;
    this.handOver(epochs);
    await this.add(lock);
    // Not known to the beacon node yet (or it is unreachable): the epoch look-up picks it up.
    await this.refresh().catch((e) => this.logger.warn("Validator look-up failed; retrying next epoch", {}, e));
  }

  /**
   * A resharing output was added: the share it replaces stops signing at the switch epoch, in the running pipeline
   * too (its keys take the switch without a restart, so the duties before the switch run as they were).
   */
  private handOver(epochs: ReturnType<typeof planShareEpochs>): void {
    for (const c of this.clusters.values()) {
      for (const v of c.validators.values()) {
        const untilEpoch = epochs.get(v.dir)?.untilEpoch;
        if (untilEpoch === undefined || v.epochs?.untilEpoch === untilEpoch) continue;
        v.epochs = { ...v.epochs, untilEpoch };
        const index = c.indices.get(v.pubkeyHex);
        if (index !== undefined && c.duties !== undefined) {
          applyShareEpochs(c.duties.keys, index, { untilEpoch }, this.opts.beacon.clock.slotsPerEpoch);
        }
        this.logger.info("Share replaced by a resharing", { pubkey: v.pubkeyHex, untilEpoch });
      }
    }
  }

  status(): SupervisorStatus {
    const clusters = [...this.clusters.values()].map((c) => ({
      clusterId: `0x${c.membership.clusterIdHex}`,
      operators: c.membership.operators.length,
      threshold: c.membership.threshold,
      operator: c.membership.selfIndex + 1,
      connectedOperators: c.network.connectedMembers(),
      validators: c.validators.size,
      known: c.indices.size,
    }));
    const clock = this.opts.beacon.clock;
    const dirs = [...this.clusters.values()].flatMap((c) => [...c.validators.values()].map((v) => v.dir));
    return {
      validators: clusters.reduce((n, c) => n + c.validators, 0),
      known: clusters.reduce((n, c) => n + c.known, 0),
      clusters,
      reshares: reshareStatuses(dirs, clock.epochOf(clock.currentSlot())),
    };
  }

  /**
   * Turns on per-share performance recording and the end-of-frame statements for every cluster (the oracle's frame
   * is known once the node follows the registry): each running pipeline is restarted with it.
   */
  async enablePerformance(p: SupervisorPerformance): Promise<void> {
    if (this.stopped || this.performance !== undefined) return;
    this.performance = p;
    this.performanceMetrics = createPerformanceMetrics(this.opts.registry);
    for (const c of this.clusters.values()) {
      c.queue = c.queue.then(() => this.restartDuties(c));
    }
    await Promise.all([...this.clusters.values()].map((c) => c.queue));
  }

  /** The oracle frame length in slots, when performance statements are on. */
  performanceFrameSlots(): number | undefined {
    return this.performance?.frameSlots;
  }

  /** Per validator of every running cluster, its latest `frames` frames of per-share performance (`GET /performance`). */
  performanceReport(frames: number): (ValidatorPerformance & { clusterId: string })[] {
    return [...this.clusters.values()].flatMap((c) => {
      const p = c.duties?.performance;
      if (p === undefined || c.duties === undefined) return [];
      return validatorPerformance(
        { store: p.store, keys: c.duties.keys, openFrame: p.recorder.openFrame() },
        frames,
      ).map((v) => ({ ...v, clusterId: `0x${c.membership.clusterIdHex}` }));
    });
  }

  /** Recent duties of every cluster, newest first: steps, contributing shares, outcome (`GET /duties`). */
  recentDuties(limit = 256): (DutyRecord & { clusterId: string })[] {
    return [...this.clusters.values()]
      .flatMap((c) =>
        (c.duties?.tracker.recentDuties(limit) ?? []).map((d) => ({
          ...d,
          clusterId: `0x${c.membership.clusterIdHex}`,
        })),
      )
      .sort((a, b) => b.slot - a.slot)
      .slice(0, limit);
  }

  /**
   * The validators the beacon node knows (their deposit processed), with this node's position in each one's cluster:
   * what the deposit completer proves and in which turn.
   */
  knownValidators(): { pubkey: `0x${string}`; position: number; index: number }[] {
    // A share a resharing replaced is listed through the new operator set's cluster only.
    return [...this.clusters.values()].flatMap((c) =>
      [...c.indices]
        .filter(([pubkey]) => c.validators.get(pubkey)?.epochs?.untilEpoch === undefined)
        .map(([pubkey, index]) => ({
          pubkey: pubkey as `0x${string}`,
          position: c.membership.selfIndex,
          index,
        })),
    );
  }

  /**
   * Adds a duty the beacon node does not assign (a voluntary exit the exit manager asked for) to the pipeline of the
   * cluster running its validator; false when no running cluster holds it.
   */
  addDuty(definition: DutyDefinition): boolean {
    for (const c of this.clusters.values()) {
      if (c.duties === undefined || !c.duties.keys.has(definition.duty.validator, definition.duty.slot)) continue;
      c.duties.addDuty(definition);
      return true;
    }
    return false;
  }

  /** Every cluster with validators on duty reaches its threshold with the operators connected (and this node). */
  quorate(): boolean {
    return this.status().clusters.every((c) => c.known === 0 || c.connectedOperators + 1 >= c.threshold);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    for (const c of this.clusters.values()) {
      await c.queue;
      await c.duties?.stop();
      await c.network.stop();
      c.withdrawAdmission();
    }
    this.clusters.clear();
    await this.slashingDb.close();
  }

  private async add(lock: LoadedLock): Promise<void> {
    const { cluster: membership, validator } = lock;
    const bound = membership.agreement;
    const conflict = (reason: string) =>
      new SupervisorError({ code: "ERR_SUPERVISOR_LOCK_CONFLICT", lock: validator.dir, reason });
    if (this.opts.protocol !== undefined && bound.protocol !== this.opts.protocol) {
      throw conflict(`the lock binds ${bound.protocol} agreement, this node runs --agreement ${this.opts.protocol}`);
    }
    if (
      this.opts.roundTimeoutMs !== undefined &&
      bound.roundTimeoutMs > 0 &&
      bound.roundTimeoutMs !== this.opts.roundTimeoutMs
    ) {
      throw conflict(
        `the lock binds a ${bound.roundTimeoutMs} ms agreement round, this node runs --agreement-timeout-ms ${this.opts.roundTimeoutMs}`,
      );
    }
    let cluster = this.clusters.get(membership.clusterIdHex);
    const same = (a: typeof bound, b: typeof bound) =>
      a.protocol === b.protocol && a.maxRounds === b.maxRounds && a.roundTimeoutMs === b.roundTimeoutMs;
    if (cluster !== undefined && !same(cluster.membership.agreement, bound)) {
      throw conflict(`its agreement settings ${JSON.stringify(bound)} differ from the operator set's other locks`);
    }
    if (cluster === undefined) {
      cluster = await this.join(membership);
    } else if (cluster.membership.threshold !== membership.threshold) {
      throw new SupervisorError({
        code: "ERR_SUPERVISOR_LOCK_CONFLICT",
        lock: validator.dir,
        reason: `threshold ${membership.threshold} differs from ${cluster.membership.threshold} of the same operator set`,
      });
    }
    if (cluster.validators.has(validator.pubkeyHex)) return;
    cluster.validators.set(validator.pubkeyHex, validator);
    this.logger.info("Distributed validator loaded", {
      pubkey: validator.pubkeyHex,
      cluster: membership.clusterIdHex.slice(0, 16),
      shareIndex: membership.selfIndex + 1,
    });
  }

  /** Admits the cluster's operators and joins its gossip topic (before any duty, so the mesh is ready). */
  private async join(membership: ClusterMembership): Promise<ClusterRuntime> {
    const withdrawAdmission = this.opts.allowlist.admit(membership.operators.map((o) => o.peerId));
    const members = membership.operators.map((o) => ({
      peerId: o.peerId,
      multiaddrs: o.multiaddrs,
      verifier: identityVerifier(peerIdPublicKey(peerIdFromString(o.peerId))),
    }));
    const network = new DutyNetwork({
      node: this.opts.node,
      clusterId: membership.clusterId,
      members,
      selfIndex: membership.selfIndex,
      signer: this.signer,
      logger: this.logger.child({ cluster: membership.clusterIdHex.slice(0, 16) }),
      dropped: this.dropped,
    });
    await network.start();
    const cluster: ClusterRuntime = {
      membership,
      network,
      withdrawAdmission,
      validators: new Map(),
      indices: new Map(),
      duties: undefined,
      dutiesFor: "",
      queue: Promise.resolve(),
    };
    this.clusters.set(membership.clusterIdHex, cluster);
    return cluster;
  }

  /** Looks up the validators the beacon node did not know, and (re)starts the pipelines whose key set changed. */
  private async refresh(): Promise<void> {
    const pending = [...this.clusters.values()].flatMap((c) =>
      [...c.validators.keys()].filter((k) => !c.indices.has(k)),
    );
    const found = await resolveValidatorIndices(this.opts.beacon.api, pending);
    for (const c of this.clusters.values()) {
      for (const [pubkey, index] of found) if (c.validators.has(pubkey)) c.indices.set(pubkey, index);
      const wanted = [...c.indices.values()].sort((a, b) => a - b).join(",");
      if (wanted !== c.dutiesFor) {
        c.dutiesFor = wanted;
        c.queue = c.queue
          .then(() => this.restartDuties(c))
          .catch((e) => {
            // Retried at the next look-up (e.g. the beacon node was briefly unreachable).
            c.dutiesFor = "";
            this.logger.error("Could not start the cluster's duties", { cluster: c.membership.clusterIdHex }, e);
          });
      }
    }
    await Promise.all([...this.clusters.values()].map((c) => c.queue));
    const known = [...this.clusters.values()].reduce((n, c) => n + c.indices.size, 0);
    const total = [...this.clusters.values()].reduce((n, c) => n + c.validators.size, 0);
    this.gauge.set({ state: "known" }, known);
    this.gauge.set({ state: "pending" }, total - known);
  }

  private async restartDuties(c: ClusterRuntime): Promise<void> {
    if (this.stopped) return;
    const previous = c.duties;
    c.duties = undefined;
    await previous?.stop();
    const inputs = [...c.indices].map(([pubkey, index]) => {
      const v = c.validators.get(pubkey) as ValidatorShare;
      return {
        index,
        pubkey: v.pubkey,
        sharePublicKeys: v.sharePublicKeys,
        secretShare: v.secretShare,
        ...(v.feeRecipient !== undefined ? { feeRecipient: v.feeRecipient } : {}),
      };
    });
    if (inputs.length === 0) return;
    const members = c.membership.operators.map((o) => identityVerifier(peerIdPublicKey(peerIdFromString(o.peerId))));
    const bound = c.membership.agreement.roundTimeoutMs;
    const roundTimeoutMs = bound > 0 ? bound : this.opts.roundTimeoutMs;
    const keys = new ValidatorKeys(c.membership.selfIndex + 1, inputs);
    for (const [pubkey, index] of c.indices) {
      applyShareEpochs(keys, index, c.validators.get(pubkey)?.epochs, this.opts.beacon.clock.slotsPerEpoch);
    }
    c.duties = await startDutyNode({
      beacon: this.opts.beacon,
      transport: c.network,
      keys,
      clusterId: c.membership.clusterId,
      operators: c.membership.operators.length,
      threshold: c.membership.threshold,
      protocol: c.membership.agreement.protocol,
      maxRounds: c.membership.agreement.maxRounds,
      sign: (body) => this.signer.sign(body),
      verify: (from, body, sig) => members[from]?.verify(body, sig) ?? false,
      slashingDbDir: `${this.opts.dataDir}/slashing-protection`,
      slashingDb: this.slashingDb,
      registry: this.opts.registry,
      metrics: this.metrics,
      logger: this.logger.child({ cluster: c.membership.clusterIdHex.slice(0, 16) }),
      ...(roundTimeoutMs !== undefined ? { roundTimeoutMs } : {}),
      ...(this.performance === undefined
        ? {}
        : {
            performance: {
              dataDir: this.opts.dataDir,
              frameSlots: this.performance.frameSlots,
              frames: this.performance.frames,
              cluster: c.membership.clusterIdHex.slice(0, 16),
              statements: {
                chainId: this.performance.chainId,
                oracle: this.performance.oracle,
                ...(this.performanceMetrics !== undefined ? { metrics: this.performanceMetrics } : {}),
              },
            },
          }),
      ...(this.opts.builderBoostFactor !== undefined ? { builderBoostFactor: this.opts.builderBoostFactor } : {}),
      registrationsFile: `${this.opts.dataDir}/builder-registrations-${c.membership.clusterIdHex.slice(0, 16)}.json`,
    });
    this.logger.info("Duties running", {
      cluster: c.membership.clusterIdHex.slice(0, 16),
      validators: inputs.map((v) => v.index).join(","),
    });
  }

  /** Next look-up half a slot into the next epoch (pending deposits are processed at the epoch transition). */
  private scheduleRefresh(): void {
    if (this.stopped) return;
    const clock = this.opts.beacon.clock;
    const nextEpoch = clock.epochOf(clock.currentSlot()) + 1;
    const at = clock.slotStartMs(nextEpoch * clock.slotsPerEpoch) + (clock.secondsPerSlot * 1000) / 2;
    this.timer = setTimeout(
      () => {
        this.refresh()
          .catch((e) => this.logger.warn("Validator look-up failed; retrying next epoch", {}, e))
          .finally(() => this.scheduleRefresh());
      },
      Math.max(0, at - clock.now()),
    );
  }
}
