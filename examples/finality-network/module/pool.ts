import type { Hex } from "viem";
import { conflicts, type Statement } from "./statement.ts";

/** Two signatures of one operator over conflicting statements for one epoch: slashing evidence. */
export type Equivocation = {
  signer: number;
  first: { statement: Statement; signature: Uint8Array };
  second: { statement: Statement; signature: Uint8Array };
};

/**
 * Verified signatures per epoch and statement (pure bookkeeping; signatures are checked before `add`). It answers
 * whether a statement's signers reach two thirds of the stake, and spots equivocations.
 */
export class SignaturePool {
  readonly #byEpoch = new Map<bigint, Map<number, { statement: Statement; digest: Hex; signature: Uint8Array }>>();
  readonly #retain: bigint;

  constructor(retainEpochs = 8n) {
    this.#retain = retainEpochs;
  }

  /** Adds a verified signature; returns the equivocation it proves, if the signer signed another statement. */
  add(statement: Statement, digest: Hex, signer: number, signature: Uint8Array): Equivocation | undefined {
    let epoch = this.#byEpoch.get(statement.epoch);
    if (!epoch) {
      epoch = new Map();
      this.#byEpoch.set(statement.epoch, epoch);
      for (const e of this.#byEpoch.keys()) if (e + this.#retain < statement.epoch) this.#byEpoch.delete(e);
    }
    const seen = epoch.get(signer);
    if (seen === undefined) {
      epoch.set(signer, { statement, digest, signature });
      return undefined;
    }
    if (!conflicts(seen.statement, statement)) return undefined;
    return {
      signer,
      first: { statement: seen.statement, signature: seen.signature },
      second: { statement, signature },
    };
  }

  /** Signers of `digest` in `epoch` (ascending) with their signatures. */
  signersOf(epoch: bigint, digest: Hex): { signer: number; signature: Uint8Array }[] {
    const out: { signer: number; signature: Uint8Array }[] = [];
    for (const [signer, s] of this.#byEpoch.get(epoch) ?? [])
      if (s.digest === digest) out.push({ signer, signature: s.signature });
    return out.sort((a, b) => a.signer - b.signer);
  }
}

/** Whether `signed` reaches two thirds of `total` (the contract's rule: `signed · 3 ≥ total · 2`, total > 0). */
export function reachesQuorum(signed: bigint, total: bigint): boolean {
  return total > 0n && signed * 3n >= total * 2n;
}

/** The epoch's aggregator: operators take turns by index. */
export function aggregatorOf(epoch: bigint, operatorCount: number): number {
  return operatorCount === 0 ? -1 : Number(epoch % BigInt(operatorCount));
}
