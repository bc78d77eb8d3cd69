import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { type Hex, keccak256, type LocalAccount, parseEther, parseEventLogs, toHex } from "viem";
import { prng } from "../helpers/prng.ts";
import {
  BOND_UNIT_SHARES,
  DKG_TIMEOUT,
  deployOperatorRegistry,
  nodeIdentity,
  Status,
  signDkgResult,
  signerAccount,
} from "../unit/operators/fixture.ts";

const { viem } = await network.create();

type Open = { id: bigint; operators: number[]; lock: bigint; status: number; pubkey?: Hex };

/** Credentials of someone else's address: a front-running deposit got there first. */
const FOREIGN_CREDENTIALS = `0x01${"00".repeat(11)}${"ab".repeat(20)}` as Hex;

describe("OperatorRegistry invariants (handler-driven random sequence, fixed seed)", () => {
  it("keeps locked ≤ bond, reservations ≤ buffer, exact per-validator locks and tree total = Σ drawable free units", async () => {
    const s = await deployOperatorRegistry(viem);
    const { admin, carol } = s.accounts;
    const wallets = (await viem.getWalletClients()).slice(8, 14);
    // Six operators owned by externally owned accounts (they bond, unbond and pause), twenty owned by the fleet.
    const signers = new Map<number, LocalAccount>();
    for (const [i, w] of wallets.entries()) {
      const signer = signerAccount(1000 + i);
      await s.registry.write.registerOperator([signer.address, nodeIdentity(1000 + i), ""], { account: w.account });
      await s.registry.write.bondEther([BigInt(i + 1)], { account: w.account, value: parseEther("2") });
      signers.set(i + 1, signer);
    }
    const fleet = await s.addFleet(Array.from({ length: 20 }, (_, i) => parseEther(String(1 + (i % 4)))));
    fleet.ids.forEach((id, i) => {
      const signer = fleet.signers[i];
      if (signer) signers.set(Number(id), signer);
    });
    const nOps = 26;
    const requests: Open[] = [];
    const rand = prng(6);
    const pick = <T>(xs: readonly T[]): T | undefined => xs[Math.floor(rand() * xs.length)];

    async function checkInvariants(step: number, action: string) {
      const where = `after step ${step} (${action})`;
      let drawable = 0n;
      let bonded = 0n;
      for (let id = 1; id <= nOps; id++) {
        const op = await s.registry.read.getOperator([BigInt(id)]);
        assert.ok(op.freeUnits <= op.bondUnits, `${where}: operator ${id} free ${op.freeUnits} > bond ${op.bondUnits}`);
        const expectedLocked = requests
          .filter(
            (r) =>
              r.status !== Status.Expired &&
              r.status !== Status.Withdrawn &&
              r.status !== Status.Unusable &&
              r.operators.includes(id),
          )
          .reduce((a, r) => a + r.lock, 0n);
        assert.equal(op.bondUnits - op.freeUnits, expectedLocked, `${where}: operator ${id} locked units`);
        if (!op.paused && !op.ejected) drawable += op.freeUnits;
        bonded += op.bondUnits;
      }
      assert.equal(await s.registry.read.totalDrawableUnits(), drawable, `${where}: tree total`);
      assert.equal(await s.registry.read.totalBondUnits(), bonded, `${where}: total bond`);
      assert.equal(
        await s.pool.read.sharesOf([s.registry.address]),
        bonded * BOND_UNIT_SHARES,
        `${where}: shares held`,
      );
      const open = BigInt(requests.filter((r) => r.status === Status.Requested).length);
      const predeposited = BigInt(requests.filter((r) => r.status === Status.Predeposited).length);
      const reserved = await s.pool.read.reservedEther();
      assert.equal(reserved, open * parseEther("32") + predeposited * parseEther("31"), `${where}: reservations`);
      assert.equal(await s.pool.read.pendingTopUps(), predeposited, `${where}: pending top-ups`);
      assert.ok(reserved <= (await s.pool.read.bufferedEther()), `${where}: reservations exceed the buffer`);
      for (const r of requests) {
        assert.equal((await s.registry.read.getRequest([r.id])).status, r.status, `${where}: request ${r.id} status`);
      }
    }

    const steps = 150;
    const tally = new Map<string, number>();
    for (let step = 0; step < steps; step++) {
      const roll = rand();
      let action = "none";
      if (roll < 0.15) {
        const i = Math.floor(rand() * wallets.length);
        const w = wallets[i];
        if (w) {
          action = `bondEther op ${i + 1}`;
          await s.registry.write.bondEther([BigInt(i + 1)], {
            account: w.account,
            value: parseEther(String(0.5 + Math.floor(rand() * 6) / 2)),
          });
        }
      } else if (roll < 0.27) {
        const i = Math.floor(rand() * wallets.length);
        const w = wallets[i];
        const op = await s.registry.read.getOperator([BigInt(i + 1)]);
        if (w && op.freeUnits > 0n) {
          const units = 1n + BigInt(Math.floor(rand() * Number(op.freeUnits)));
          action = `unbond ${units} op ${i + 1}`;
          await s.registry.write.unbond([BigInt(i + 1), units, w.account.address], { account: w.account });
        }
      } else if (roll < 0.34) {
        const i = Math.floor(rand() * wallets.length);
        const w = wallets[i];
        const op = await s.registry.read.getOperator([BigInt(i + 1)]);
        if (w) {
          action = `pause=${!op.paused} op ${i + 1}`;
          await s.registry.write.setOperatorPaused([BigInt(i + 1), !op.paused], { account: w.account });
        }
      } else if (roll < 0.4) {
        // Permissionless ejection of an operator over the strike limit (strikes come from missed DKGs below).
        const id = 1 + Math.floor(rand() * nOps);
        const op = await s.registry.read.getOperator([BigInt(id)]);
        const [inWindow] = await s.registry.read.operatorStrikes([BigInt(id)]);
        if (!op.ejected && inWindow >= 3n && (await s.registry.read.pendingDraw())[0] === 0n) {
          action = `eject op ${id}`;
          await s.registry.write.ejectOperator([BigInt(id)], { account: carol.account });
        }
      } else if (roll < 0.65) {
        await s.testClient.mine({ blocks: 1 });
        if ((await s.pool.read.unreservedBufferedEther()) < parseEther("32")) await s.fundBuffer(parseEther("32"));
        // Both steps; a draw that finds too few eligible operators would leave the request waiting for its re-arm
        // (and the weights frozen), so the handler rolls it back instead.
        const snapshot = await s.testClient.snapshot();
        let req: Awaited<ReturnType<typeof s.requestValidator>>;
        try {
          req = await s.requestValidator();
        } catch {
          await s.testClient.revert({ id: snapshot });
          action = "request refused (too few eligible operators)";
          await checkInvariants(step, action);
          continue;
        }
        action = `request ${req.requestId}`;
        requests.push({ id: req.requestId, operators: req.operatorIds, lock: req.lockUnits, status: Status.Requested });
      } else if (roll < 0.78) {
        const r = pick(requests.filter((x) => x.status === Status.Requested));
        if (r) {
          action = `complete ${r.id}`;
          const result = s.makeResult();
          const chainId = await s.publicClient.getChainId();
          const accounts = r.operators.map((id) => {
            const a = signers.get(id);
            if (!a) throw new Error(`no signer for ${id}`);
            return a;
          });
          const sigs = await signDkgResult(accounts, chainId, s.registry.address, r.id, result);
          await s.registry.write.submitDkgResult([
            r.id,
            result.groupPubkey,
            result.sharePubkeys,
            result.depositSignature,
            result.depositDataRoot,
            result.points,
            sigs,
          ]);
          r.status = Status.Predeposited;
          r.pubkey = result.groupPubkey;
        }
      } else if (roll < 0.86) {
        const r = pick(requests.filter((x) => x.status === Status.Predeposited));
        if (r?.pubkey) {
          // One in four completions finds the key front-run with foreign credentials.
          const frontRun = rand() < 0.25;
          action = `${frontRun ? "frontrun" : "prove"} ${r.id}`;
          await s.completeDeposit(r.pubkey, frontRun ? FOREIGN_CREDENTIALS : s.credentials);
          r.status = frontRun ? Status.Unusable : Status.Deposited;
        }
      } else if (roll < 0.92) {
        const r = pick(requests.filter((x) => x.status === Status.Requested));
        if (r) {
          // 12 to 16 of the 16 operators show up (attest; all 16 two times in five); the others are struck,
          // penalized and their seats redrawn, or, with every operator present or no redraw left, the request expires.
          const snapshot = await s.testClient.snapshot();
          const present = rand() < 0.4 ? 16 : 12 + Math.floor(rand() * 4);
          for (const id of r.operators.slice(0, present)) {
            const signer = signers.get(id);
            if (!signer) throw new Error(`no signer for ${id}`);
            await s.testClient.setBalance({ address: signer.address, value: parseEther("1") });
            await s.registry.write.attestDkgResult([r.id, keccak256(toHex(`present-${r.id}`))], { account: signer });
          }
          await s.testClient.increaseTime({ seconds: Number(DKG_TIMEOUT) });
          await s.testClient.mine({ blocks: 1 });
          const hash = await s.registry.write.expireRequest([r.id]);
          const logs = (await s.publicClient.waitForTransactionReceipt({ hash })).logs;
          const [missed] = parseEventLogs({ abi: s.registry.abi, logs, eventName: "DkgSeatsMissed" });
          if (missed?.args.redraw) {
            try {
              const redrawn = await s.drawCluster();
              action = `redraw ${r.id} (${16 - present} seats)`;
              r.operators = redrawn.operatorIds;
            } catch {
              await s.testClient.revert({ id: snapshot });
              action = "redraw refused (too few eligible operators)";
            }
          } else {
            action = `expire ${r.id}`;
            r.status = Status.Expired;
          }
        }
      } else {
        const r = pick(requests.filter((x) => x.status >= Status.Deposited && x.status < Status.Withdrawn));
        if (r) {
          const next = r.status + 1 + Math.floor(rand() * (Status.Withdrawn - r.status));
          action = `lifecycle ${r.id} -> ${next}`;
          await s.oracle.write.recordValidatorStatus([s.registry.address, r.id, next], { account: admin.account });
          r.status = next;
        }
      }
      await checkInvariants(step, action);
      const kind = action.split(" ")[0] ?? action;
      tally.set(kind, (tally.get(kind) ?? 0) + 1);
    }
    console.log(`invariant run: ${[...tally].map(([k, v]) => `${k} ${v}`).join(", ")}`);
    for (const kind of [
      "bondEther",
      "unbond",
      "request",
      "complete",
      "prove",
      "frontrun",
      "expire",
      "redraw",
      "lifecycle",
    ]) {
      assert.ok((tally.get(kind) ?? 0) > 0, `the sequence never ran ${kind}`);
    }
    // The sequence exercised every path at least once.
    const statuses = new Set(requests.map((r) => r.status));
    assert.ok(requests.length >= 5, `only ${requests.length} requests were made`);
    assert.ok(statuses.size >= 3, `request statuses reached: ${[...statuses].join(",")}`);
  });
});
