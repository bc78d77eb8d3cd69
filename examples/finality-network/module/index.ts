import { aggregateSignatures, PublicKey, Signature, verify } from "@chainsafe/blst";
import { g1PointFromPublicKey, g2PointFromSignature } from "@nektar/crypto";
import type {
  FinalizedCheckpoint,
  NetworkKey,
  NetworkMessage,
  NetworkModule,
  NetworkModuleContext,
  NetworkModuleDefinition,
} from "@nektar/stinger";
import {
  type Address,
  BaseError,
  bytesToHex,
  decodeErrorResult,
  encodeFunctionData,
  type Hex,
  hexToBytes,
  keccak256,
  type Log,
  parseEventLogs,
} from "viem";
import { benignErrorsAbi, finalityRelayAbi, networkRegistryAbi, restakingVaultAbi } from "./abi.ts";
import { doubleSignEvidence } from "./evidence.ts";
import { decodeSignedStatement, encodeSignedStatement } from "./messages.ts";
import { createFinalityModuleMetrics, type FinalityModuleMetrics } from "./metrics.ts";
import { aggregatorOf, type Equivocation, reachesQuorum, SignaturePool } from "./pool.ts";
import { popMessage, type Statement, statementDigest } from "./statement.ts";

/** Settings of the module's config entry (`options`). */
export type FinalityModuleOptions = {
  /** Register the Network key on start when the operator is opted in but has none (default true). */
  registerKey?: boolean;
  /** Submit equivocation evidence seen on the topic (default true). */
  slashEquivocators?: boolean;
  /**
   * Devnet demonstration only (`npm start -- --demo-slash`): at this epoch, bypass the slashing protection and also
   * sign a conflicting statement, so the Network slashes this operator.
   */
  unsafeEquivocateAtEpoch?: string;
  /**
   * Devnet demonstration only (`npm start -- --demo-slash`): once a certificate this operator signed has landed while
   * it holds stake for the Network, bypass the slashing protection and also sign a conflicting statement for the next
   * finalized checkpoint (once per process), so the Network slashes this operator.
   */
  unsafeEquivocateOnceCertified?: boolean;
};

type Member = { operator: Address; pubkey: Uint8Array; point: Hex; publicKey: PublicKey };

/** `registerKey` arguments for `key`: compressed key, uncompressed key and the proof of possession. */
export function registerKeyArgs(
  key: Pick<NetworkKey, "publicKey" | "sign">,
  chainId: number,
  relay: Address,
  operator: Address,
) {
  const pubkey = bytesToHex(key.publicKey);
  const pop = key.sign(hexToBytes(popMessage(chainId, relay, operator, pubkey)));
  return [pubkey, bytesToHex(g1PointFromPublicKey(key.publicKey)), bytesToHex(g2PointFromSignature(pop))] as const;
}

/** The finality-relay module: sign each finalized checkpoint, aggregate in turn, certify, pay rewards, slash. */
export class FinalityModule implements NetworkModule {
  readonly #ctx: NetworkModuleContext;
  readonly #opts: FinalityModuleOptions;
  readonly #pool = new SignaturePool();
  readonly #members: Member[] = [];
  readonly #own = new Map<bigint, { statement: Statement; digest: Hex }>();
  readonly #submitted = new Set<bigint>();
  readonly #slashed = new Set<string>();
  readonly #paid = new Set<bigint>();
  #latestOwn: bigint | undefined;
  #stakes = new Map<number, bigint>();
  #stakesAt = -1n;
  readonly #metrics: FinalityModuleMetrics;
  #selfIndex = -1;
  #equivocated = false;
  /** The relay's events come to `onLogs`: certificates landed (by anyone) and offences proven. */
  readonly watch: { address: Address };

  constructor(ctx: NetworkModuleContext) {
    this.#ctx = ctx;
    this.#opts = ctx.options as FinalityModuleOptions;
    this.#metrics = createFinalityModuleMetrics(ctx.metrics, ctx.name);
    this.watch = { address: ctx.network.contract };
  }

  get relay(): Address {
    return this.#ctx.network.contract;
  }

  /** Loads the operator set and registers this operator's key when needed (or, if not opted in yet, at an epoch). */
  async start(): Promise<void> {
    await this.#refreshMembers();
    await this.#registerKeyIfOptedIn();
  }

  async #registerKeyIfOptedIn(): Promise<void> {
    if (this.#selfIndex >= 0 || this.#opts.registerKey === false) return;
    const wallet = this.#ctx.chain.walletClient;
    if (!wallet?.account) return;
    const { key, network, operator } = this.#ctx;
    const { publicClient } = this.#ctx.chain;
    const now = (await publicClient.getBlock()).timestamp;
    const optedIn = await publicClient.readContract({
      address: network.registry,
      abi: networkRegistryAbi,
      functionName: "isOptedIn",
      args: [network.networkId, operator, now],
    });
    if (!optedIn) {
      this.#ctx.logger.info("Not opted in to the Network yet: the key is registered at the first epoch after opt-in");
      return;
    }
    const args = registerKeyArgs(key, network.chainId, this.relay, operator);
    await this.#send(
      "registerKey",
      this.relay,
      encodeFunctionData({ abi: finalityRelayAbi, functionName: "registerKey", args }),
    );
    await this.#refreshMembers();
    this.#ctx.logger.info("Network key registered", { index: this.#selfIndex });
  }

  /** Operators with a Network key that are opted in now: the peers admitted on the topic. */
  async members(): Promise<readonly Address[]> {
    await this.#refreshMembers();
    const { publicClient } = this.#ctx.chain;
    const now = (await publicClient.getBlock()).timestamp;
    const out: Address[] = [];
    for (const m of this.#members) {
      const optedIn = await publicClient.readContract({
        address: this.#ctx.network.registry,
        abi: networkRegistryAbi,
        functionName: "isOptedIn",
        args: [this.#ctx.network.networkId, m.operator, now],
      });
      if (optedIn) out.push(m.operator);
    }
    return out;
  }

  async onFinalizedCheckpoint(cp: FinalizedCheckpoint): Promise<void> {
    await this.#refreshMembers();
    if (this.#selfIndex < 0) {
      this.#ctx.logger.warn("No Network key registered for this operator: not signing", { epoch: cp.epoch.toString() });
      return;
    }
    const statement: Statement = {
      epoch: cp.epoch,
      checkpointRoot: cp.root,
      executionBlockHash: cp.executionBlockHash,
    };
    const digest = statementDigest(this.#ctx.network.chainId, this.relay, statement);
    // Recorded durably before the signature exists: a conflicting request (also after a restart) throws here.
    this.#ctx.protection.check(statement.epoch, digest);
    this.#own.set(statement.epoch, { statement, digest });
    if (this.#latestOwn === undefined || statement.epoch > this.#latestOwn) this.#latestOwn = statement.epoch;
    const signature = this.#ctx.key.sign(hexToBytes(digest));
    this.#metrics.statementsSigned.inc();
    this.#pool.add(statement, digest, this.#selfIndex, signature);
    await this.#ctx.topic.publish(encodeSignedStatement({ statement, signer: this.#selfIndex, signature }));
    if (this.#opts.unsafeEquivocateAtEpoch !== undefined && BigInt(this.#opts.unsafeEquivocateAtEpoch) === cp.epoch) {
      await this.#equivocate(statement);
    } else if (
      this.#opts.unsafeEquivocateOnceCertified === true &&
      !this.#equivocated &&
      (await this.#signedACertificate())
    ) {
      this.#equivocated = true;
      await this.#equivocate(statement);
    }
    await this.#tryCertify(statement.epoch);
  }

  async onMessage(message: NetworkMessage): Promise<void> {
    const signed = decodeSignedStatement(message.data);
    if (!signed) return;
    if (signed.signer >= this.#members.length) await this.#refreshMembers();
    const member = this.#members[signed.signer];
    if (!member) return;
    const digest = statementDigest(this.#ctx.network.chainId, this.relay, signed.statement);
    let sig: Signature;
    try {
      sig = Signature.fromBytes(signed.signature, true);
    } catch {
      return;
    }
    if (!verify(hexToBytes(digest), member.publicKey, sig)) return;
    const equivocation = this.#pool.add(signed.statement, digest, signed.signer, signed.signature);
    if (equivocation && this.#opts.slashEquivocators !== false && signed.signer !== this.#selfIndex) {
      await this.#slash(member, equivocation);
    }
    await this.#tryCertify(signed.statement.epoch);
  }

  /** The relay's events: a landed certificate ends this epoch's aggregation; offences are reported. */
  async onLogs(logs: Log[]): Promise<void> {
    for (const log of parseEventLogs({ abi: finalityRelayAbi, logs, strict: true })) {
      if (log.eventName === "CheckpointCertified") {
        const { epoch, signers } = log.args;
        this.#submitted.add(epoch);
        const signed = this.#selfIndex >= 0 && (signers & (1n << BigInt(this.#selfIndex))) !== 0n;
        this.#metrics.certificatesSeen.inc({ signed: String(signed) });
        this.#ctx.logger.info("Checkpoint certified", { epoch: epoch.toString(), signed });
      } else {
        const { operator, epoch, offence } = log.args;
        const self = operator.toLowerCase() === this.#ctx.operator.toLowerCase();
        this.#metrics.offencesSeen.inc({ self: String(self) });
        (self ? this.#ctx.logger.error : this.#ctx.logger.warn).call(this.#ctx.logger, "Offence proven on-chain", {
          operator,
          epoch: epoch.toString(),
          offence,
        });
      }
    }
  }

  async onEpoch(): Promise<void> {
    if (this.#selfIndex < 0) await this.#registerKeyIfOptedIn();
    if (this.#selfIndex < 0) return;
    const { publicClient } = this.#ctx.chain;
    const vault = await publicClient.readContract({
      address: this.#ctx.network.registry,
      abi: networkRegistryAbi,
      functionName: "vault",
    });
    const current = await publicClient.readContract({
      address: vault,
      abi: restakingVaultAbi,
      functionName: "currentEpoch",
    });
    // A backup for an aggregator that did not deliver (offline, out of funds): one beacon epoch after this operator
    // signed its latest statement, the next operator in turn certifies it if nobody has — before the next epoch's
    // certificate makes it uncertifiable.
    const latest = this.#latestOwn;
    if (latest !== undefined && !this.#submitted.has(latest)) await this.#tryCertify(latest, true);
    if (current === 0n || this.#paid.has(current - 1n)) return;
    this.#paid.add(current - 1n);
    // One payer per vault epoch: the operator whose turn the new vault epoch's number is pays the finished one, and
    // also what is still owed for the one before (its payer, the previous in turn, did not deliver; when it did,
    // this is a simulation only).
    if (aggregatorOf(current, this.#members.length) !== this.#selfIndex) return;
    await this.#pay(current - 1n);
    if (current >= 2n) await this.#pay(current - 2n);
  }

  async #pay(vaultEpoch: bigint): Promise<void> {
    const data = encodeFunctionData({ abi: finalityRelayAbi, functionName: "payRewards", args: [vaultEpoch] });
    await this.#send("payRewards", this.relay, data, ["NothingToPay"]);
  }

  /** Certifies `epoch` when this operator is its aggregator (or, `asBackup`, the next in turn) and ⅔ signed. */
  async #tryCertify(epoch: bigint, asBackup = false): Promise<void> {
    const own = this.#own.get(epoch);
    if (!own || this.#submitted.has(epoch)) return;
    const turn = asBackup
      ? (aggregatorOf(epoch, this.#members.length) + 1) % this.#members.length
      : aggregatorOf(epoch, this.#members.length);
    if (turn !== this.#selfIndex) return;
    const signers = this.#pool.signersOf(epoch, own.digest);
    const stakes = await this.#stakesNow();
    let signed = 0n;
    let total = 0n;
    for (const s of stakes.values()) total += s;
    for (const s of signers) signed += stakes.get(s.signer) ?? 0n;
    if (!reachesQuorum(signed, total)) return;
    this.#submitted.add(epoch);
    const keys = `0x${signers.map((s) => this.#members[s.signer]?.point.slice(2)).join("")}` as Hex;
    const aggregate = aggregateSignatures(signers.map((s) => Signature.fromBytes(s.signature, true)));
    const data = encodeFunctionData({
      abi: finalityRelayAbi,
      functionName: "submitCertificate",
      args: [
        own.statement,
        signers.map((s) => BigInt(s.signer)),
        keys,
        bytesToHex(g2PointFromSignature(aggregate.toBytes())),
      ],
    });
    if (!(await this.#send("submitCertificate", this.relay, data, ["EpochAlreadyCertified"]))) return;
    this.#metrics.certificatesSubmitted.inc();
    this.#ctx.logger.info("Certificate submitted", { epoch: epoch.toString(), signers: signers.length });
  }

  /** Whether the latest certificate carries this operator's signature and the operator has stake for the Network. */
  async #signedACertificate(): Promise<boolean> {
    const { publicClient } = this.#ctx.chain;
    const [, certificate] = await publicClient.readContract({
      address: this.relay,
      abi: finalityRelayAbi,
      functionName: "latestCertificate",
    });
    if (certificate.certifiedAt === 0 || (certificate.signers & (1n << BigInt(this.#selfIndex))) === 0n) return false;
    const stakes = await this.#stakesNow();
    return (stakes.get(this.#selfIndex) ?? 0n) > 0n;
  }

  async #equivocate(statement: Statement): Promise<void> {
    const forged: Statement = { ...statement, checkpointRoot: keccak256(statement.checkpointRoot) };
    const digest = statementDigest(this.#ctx.network.chainId, this.relay, forged);
    this.#ctx.logger.warn("UNSAFE: signing a conflicting statement (devnet slashing demonstration)", {
      epoch: statement.epoch.toString(),
    });
    const signature = this.#ctx.key.sign(hexToBytes(digest));
    await this.#ctx.topic.publish(encodeSignedStatement({ statement: forged, signer: this.#selfIndex, signature }));
  }

  async #slash(member: Member, e: Equivocation): Promise<void> {
    const id = `${member.operator}/${e.first.statement.epoch}`;
    if (this.#slashed.has(id)) return;
    this.#slashed.add(id);
    const block = await this.#ctx.chain.publicClient.getBlock();
    const networkId = this.#ctx.network.networkId;
    const evidence = doubleSignEvidence(member.point, e);
    this.#ctx.logger.warn("Equivocation seen; submitting slashing evidence", {
      operator: member.operator,
      epoch: e.first.statement.epoch.toString(),
    });
    const data = encodeFunctionData({
      abi: networkRegistryAbi,
      functionName: "slashWithEvidence",
      args: [networkId, member.operator, Number(block.timestamp - 1n), evidence],
    });
    if (
      await this.#send("slashWithEvidence", this.#ctx.network.registry, data, ["AlreadySlashed", "NothingSlashable"])
    ) {
      this.#metrics.evidenceSubmitted.inc();
    }
  }

  async #refreshMembers(): Promise<void> {
    const { publicClient } = this.#ctx.chain;
    const count = Number(
      await publicClient.readContract({ address: this.relay, abi: finalityRelayAbi, functionName: "operatorCount" }),
    );
    for (let i = this.#members.length; i < count; i++) {
      const [operator, pubkey] = await publicClient.readContract({
        address: this.relay,
        abi: finalityRelayAbi,
        functionName: "operatorAt",
        args: [BigInt(i)],
      });
      const bytes = hexToBytes(pubkey);
      this.#members.push({
        operator,
        pubkey: bytes,
        point: bytesToHex(g1PointFromPublicKey(bytes)),
        publicKey: PublicKey.fromBytes(bytes, true),
      });
      if (operator.toLowerCase() === this.#ctx.operator.toLowerCase()) this.#selfIndex = i;
    }
  }

  /** Every keyed operator's stake for the Network one second before the latest block (read once per block). */
  async #stakesNow(): Promise<Map<number, bigint>> {
    const { publicClient } = this.#ctx.chain;
    const block = await publicClient.getBlock();
    if (block.number === this.#stakesAt && this.#stakes.size === this.#members.length) return this.#stakes;
    const stakes = new Map<number, bigint>();
    for (const [i, m] of this.#members.entries()) {
      stakes.set(
        i,
        await publicClient.readContract({
          address: this.#ctx.network.registry,
          abi: networkRegistryAbi,
          functionName: "stakeAt",
          args: [this.#ctx.network.networkId, m.operator, block.timestamp - 1n],
        }),
      );
    }
    this.#stakes = stakes;
    this.#stakesAt = block.number;
    return stakes;
  }

  /**
   * Sends a transaction and waits for it; reverts named in `benign` (a race another operator won) are not errors.
   * Returns whether the transaction was sent and succeeded.
   */
  async #send(action: string, to: Address, data: Hex, benign: string[] = []): Promise<boolean> {
    const wallet = this.#ctx.chain.walletClient;
    if (!wallet?.account) {
      this.#ctx.logger.warn("No transaction signer configured; skipping", { action });
      return false;
    }
    const { publicClient } = this.#ctx.chain;
    try {
      await publicClient.call({ account: wallet.account, to, data });
    } catch (e) {
      const name = revertName(e);
      if (name !== undefined && benign.includes(name)) return false;
      throw e;
    }
    const hash = await wallet.sendTransaction({ account: wallet.account, chain: wallet.chain, to, data });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`${action} transaction ${hash} reverted`);
    return true;
  }
}

function revertName(e: unknown): string | undefined {
  if (!(e instanceof BaseError)) return undefined;
  const raw = e.walk((err) => typeof (err as { data?: unknown }).data === "string") as { data?: Hex } | null;
  if (!raw?.data) return undefined;
  try {
    return decodeErrorResult({ abi: benignErrorsAbi, data: raw.data }).errorName;
  } catch {
    return undefined;
  }
}

/** The module definition Stinger loads (`networks[].module: "@nektar/finality-network/module"`). */
const finalityRelayModule: NetworkModuleDefinition = {
  name: "finality-relay",
  description: "Certifies the beacon chain's finalized checkpoints for the example finality-relay Network",
  async create(ctx) {
    const module = new FinalityModule(ctx);
    await module.start();
    return module;
  },
};

export default finalityRelayModule;
