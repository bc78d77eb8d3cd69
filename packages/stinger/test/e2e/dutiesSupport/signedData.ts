/**
 * TEST SUPPORT: what each operator signed, read from its slashing-protection DB after its process stopped, as EIP-3076
 * interchange documents — the DB's own export (minimal form: the watermarks) and the complete history rebuilt from the
 * journal (every record since the last compaction, which a short test never reaches) — and the cross-operator check
 * that no slashable pair of group signatures could have been formed.
 */
import { SlashingProtectionDB } from "../../../src/slashing/db.ts";
import { INTERCHANGE_FORMAT_VERSION, type Interchange, parseInterchange } from "../../../src/slashing/interchange.ts";
import { loadState } from "../../../src/slashing/journal.ts";

export type OperatorSignedData = {
  /** 1-based operator index. */
  operator: number;
  /** `SlashingProtectionDB.exportInterchange()` of the operator's DB. */
  exported: Interchange;
  /** Every record of the journal, as a complete interchange document. */
  history: Interchange;
};

/** Opens the DB (the operator's process must have stopped), exports it, and rebuilds the complete history. */
export async function readSignedData(
  operator: number,
  dir: string,
  genesisValidatorsRoot: string,
): Promise<OperatorSignedData> {
  const state = await loadState(dir, genesisValidatorsRoot);
  const byKey = new Map<string, Interchange["data"][number]>();
  for (const r of state.journalRecords) {
    const v = byKey.get(r.pubkey) ?? { pubkey: r.pubkey, signed_blocks: [], signed_attestations: [] };
    byKey.set(r.pubkey, v);
    const root = r.signingRoot === null ? {} : { signing_root: r.signingRoot };
    if (r.kind === "block") v.signed_blocks.push({ slot: r.slot.toString(), ...root });
    else v.signed_attestations.push({ source_epoch: r.source.toString(), target_epoch: r.target.toString(), ...root });
  }
  const history: Interchange = {
    metadata: {
      interchange_format_version: INTERCHANGE_FORMAT_VERSION,
      genesis_validators_root: genesisValidatorsRoot,
    },
    data: [...byKey.values()],
  };
  // Both documents must be valid interchange input (strict parser of the DB's import).
  parseInterchange(history, genesisValidatorsRoot);
  const db = await SlashingProtectionDB.open({ dir, genesisValidatorsRoot });
  try {
    const exported = await db.exportInterchange();
    parseInterchange(exported, genesisValidatorsRoot);
    return { operator, exported, history };
  } finally {
    await db.close();
  }
}

type Vote = { source: bigint; target: bigint; root: string; operators: Set<number> };
type Proposal = { slot: bigint; root: string; operators: Set<number> };

export type SlashabilityReport = {
  /** An operator that signed a slashable pair itself (its own DB must make this impossible). */
  perOperator: string[];
  /**
   * Slashable pairs among messages signed by ≥ `threshold` operators — the only ones of which a group signature can
   * exist. Two honest operators may sign different data for one duty (a split vote under an equivocating or slow
   * leader); that is not slashable unless both sides reach the threshold.
   */
  groupSignable: string[];
  /** (validator, target epoch or slot) with more than one signing root across operators: split votes, not slashable. */
  splitDuties: number;
  /** Attestation and block records read. */
  records: number;
};

const slashableVotes = (a: { source: bigint; target: bigint; root: string }, b: typeof a) =>
  (a.target === b.target && a.root !== b.root) ||
  (a.source < b.source && b.target < a.target) ||
  (b.source < a.source && a.target < b.target);

/** Union of every operator's signed data (exports and histories): double and surround votes, double proposals. */
export function slashability(ops: OperatorSignedData[], threshold: number): SlashabilityReport {
  const votes = new Map<string, Map<string, Vote>>();
  const proposals = new Map<string, Map<string, Proposal>>();
  const perOperator: string[] = [];
  let records = 0;
  for (const op of ops) {
    for (const doc of [op.history, op.exported]) {
      for (const v of doc.data) {
        const own: { source: bigint; target: bigint; root: string }[] = [];
        for (const a of v.signed_attestations) {
          records++;
          const vote = {
            source: BigInt(a.source_epoch),
            target: BigInt(a.target_epoch),
            root: a.signing_root ?? "unknown",
          };
          for (const o of own)
            if (slashableVotes(o, vote))
              perOperator.push(`operator ${op.operator} ${v.pubkey}: ${fmt(o)} / ${fmt(vote)}`);
          own.push(vote);
          const m = votes.get(v.pubkey) ?? new Map<string, Vote>();
          votes.set(v.pubkey, m);
          const key = `${vote.source}/${vote.target}/${vote.root}`;
          const entry = m.get(key) ?? { ...vote, operators: new Set<number>() };
          entry.operators.add(op.operator);
          m.set(key, entry);
        }
        const ownBlocks = new Map<bigint, string>();
        for (const b of v.signed_blocks) {
          records++;
          const slot = BigInt(b.slot);
          const root = b.signing_root ?? "unknown";
          const prior = ownBlocks.get(slot);
          if (prior !== undefined && prior !== root)
            perOperator.push(`operator ${op.operator} ${v.pubkey}: slot ${slot}`);
          ownBlocks.set(slot, root);
          const m = proposals.get(v.pubkey) ?? new Map<string, Proposal>();
          proposals.set(v.pubkey, m);
          const entry = m.get(`${slot}/${root}`) ?? { slot, root, operators: new Set<number>() };
          entry.operators.add(op.operator);
          m.set(`${slot}/${root}`, entry);
        }
      }
    }
  }
  const groupSignable: string[] = [];
  let splitDuties = 0;
  for (const [pubkey, m] of votes) {
    const all = [...m.values()];
    const targets = new Map<bigint, number>();
    for (const v of all) targets.set(v.target, (targets.get(v.target) ?? 0) + 1);
    splitDuties += [...targets.values()].filter((c) => c > 1).length;
    const strong = all.filter((v) => v.operators.size >= threshold);
    for (let i = 0; i < strong.length; i++)
      for (let j = i + 1; j < strong.length; j++)
        if (slashableVotes(strong[i] as Vote, strong[j] as Vote))
          groupSignable.push(`${pubkey}: ${fmt(strong[i] as Vote)} / ${fmt(strong[j] as Vote)}`);
  }
  for (const [pubkey, m] of proposals) {
    const all = [...m.values()];
    const slots = new Map<bigint, number>();
    for (const p of all) slots.set(p.slot, (slots.get(p.slot) ?? 0) + 1);
    splitDuties += [...slots.values()].filter((c) => c > 1).length;
    const strong = all.filter((p) => p.operators.size >= threshold);
    for (let i = 0; i < strong.length; i++)
      for (let j = i + 1; j < strong.length; j++)
        if (strong[i]?.slot === strong[j]?.slot) groupSignable.push(`${pubkey}: two blocks at slot ${strong[i]?.slot}`);
  }
  return { perOperator, groupSignable, splitDuties, records };
}

function fmt(v: { source: bigint; target: bigint; root: string }): string {
  return `(${v.source}→${v.target} ${v.root.slice(0, 10)})`;
}
