import type { NetworkConnection } from "hardhat/types/network";
import { type Hash, parseEther, zeroAddress } from "viem";
import { deployRestaking, evidence, SlashKind, signOptIn } from "../test/helpers/restaking.ts";

/**
 * Operations measured by `measureRestakingGas` and listed in `snapshots/gas-restaking.txt`, with the issue's targets and
 * the figures reported for Symbiotic v1.0.3's test suite (approximate; gas used per transaction).
 */
export const RESTAKING_GAS_OPERATIONS = [
  { name: "deposit+delegate (new position)", target: 120_000n, symbiotic: 329_711n },
  { name: "deposit+delegate (top-up)", target: 120_000n, symbiotic: 329_711n },
  { name: "undelegate", target: undefined, symbiotic: 267_530n },
  { name: "claim withdrawal", target: undefined, symbiotic: 14_611n },
  { name: "opt-in", target: 80_000n, symbiotic: 103_511n },
  { name: "opt-in (EIP-712 signature)", target: undefined, symbiotic: undefined },
  { name: "request slash (veto)", target: 150_000n, symbiotic: 213_385n },
  { name: "execute slash (1 delegator)", target: undefined, symbiotic: 293_043n },
  { name: "execute slash (20 delegators)", target: undefined, symbiotic: undefined },
  { name: "objective slash with evidence", target: undefined, symbiotic: undefined },
  { name: "distribute rewards (1 operator, ERC-20)", target: undefined, symbiotic: undefined },
  { name: "claim rewards (ERC-20)", target: 80_000n, symbiotic: undefined },
  { name: "claim rewards (ERC-20, returning claimer)", target: 80_000n, symbiotic: undefined },
] as const;

export type RestakingGasOperationName = (typeof RESTAKING_GAS_OPERATIONS)[number]["name"];

/**
 * Runs every operation of `RESTAKING_GAS_OPERATIONS` on a fresh Diva + restaking deployment and returns the gas each
 * used (21,000 intrinsic included, refunds applied). Shared by the bench (which writes the snapshot) and the snapshot
 * test (which compares against it).
 */
export async function measureRestakingGas(
  viem: NetworkConnection["viem"],
): Promise<Map<RestakingGasOperationName, bigint>> {
  const r = await deployRestaking(viem);
  const { vault, registry, publicClient, token } = r;
  const { alice, bob, opA, opB, middleware } = r.accounts;
  const gasOf = async (hash: Promise<Hash>) =>
    (await publicClient.waitForTransactionReceipt({ hash: await hash })).gasUsed;
  const measured = new Map<RestakingGasOperationName, bigint>();
  const A = opA.account.address;
  const B = opB.account.address;

  await r.registerOperator(opA, 1_000n);
  await r.registerOperator(opB, 1_000n);
  await r.fund(alice);
  await r.fund(bob);
  await r.fund(opA);
  const objective = await r.registerNetwork();
  const veto = await r.registerNetwork({ kind: SlashKind.Veto });
  const other = await r.registerNetwork();
  measured.set("opt-in", await gasOf(registry.write.optIn([objective], { account: opA.account })));
  await registry.write.optIn([veto], { account: opA.account });
  await registry.write.optIn([objective], { account: opB.account });
  const deadline = (await r.now()) + 3_600n;
  const signature = await signOptIn(opA, {
    registry: registry.address,
    chainId: await publicClient.getChainId(),
    networkId: other,
    nonce: 0n,
    deadline,
  });
  measured.set(
    "opt-in (EIP-712 signature)",
    await gasOf(registry.write.optInWithSignature([A, other, deadline, signature], { account: bob.account })),
  );

  // The vault already holds divETH (the operator's self-stake), as it does in steady state.
  await vault.write.deposit([A, parseEther("10")], { account: opA.account });
  await vault.write.deposit([B, parseEther("1")], { account: bob.account });
  measured.set(
    "deposit+delegate (new position)",
    await gasOf(vault.write.deposit([A, parseEther("30")], { account: alice.account })),
  );
  measured.set(
    "deposit+delegate (top-up)",
    await gasOf(vault.write.deposit([A, parseEther("1")], { account: alice.account })),
  );
  // 19 more delegators for the 20-delegator slash (the slash is O(1) in delegators: pro-rata through the pool rate).
  const wallets = (await viem.getWalletClients()).slice(11, 30);
  for (const w of wallets) {
    await r.fund(w, "2");
    await vault.write.deposit([B, parseEther("1")], { account: w.account });
  }
  await r.nextEpoch();
  await r.nextEpoch();
  // Activate B's pending deposits first, so the slash below measures the slash alone.
  await vault.write.deposit([B, 1n], { account: bob.account });
  measured.set("undelegate", await gasOf(vault.write.undelegate([A, parseEther("1")], { account: alice.account })));
  const claimEpoch = (await vault.read.currentEpoch()) + 2n;

  const capture = Number((await r.now()) - 1n);
  measured.set(
    "request slash (veto)",
    await gasOf(registry.write.requestSlash([veto, A, capture, parseEther("1")], { account: middleware.account })),
  );
  await r.advance(3_600n);
  measured.set("execute slash (1 delegator)", await gasOf(registry.write.executeSlash([1n])));
  measured.set(
    "execute slash (20 delegators)",
    await gasOf(registry.write.slashWithEvidence([objective, B, capture, evidence(true, parseEther("2"))])),
  );
  measured.set(
    "objective slash with evidence",
    await gasOf(registry.write.slashWithEvidence([objective, A, capture, evidence(true, parseEther("1"))])),
  );

  await r.nextEpoch();
  const epoch = (await vault.read.currentEpoch()) - 1n;
  await token.write.mint([middleware.account.address, parseEther("1000")]);
  await token.write.approve([vault.address, parseEther("1000")], { account: middleware.account });
  await vault.write.distributeRewards([objective, token.address, epoch, [A], [parseEther("1")]], {
    account: middleware.account,
  });
  measured.set(
    "distribute rewards (1 operator, ERC-20)",
    await gasOf(
      vault.write.distributeRewards([objective, token.address, epoch, [A], [parseEther("1")]], {
        account: middleware.account,
      }),
    ),
  );
  // Bob already holds the token (a warm balance slot), as a returning claimer does.
  await token.write.mint([bob.account.address, 1n]);
  measured.set(
    "claim rewards (ERC-20)",
    await gasOf(vault.write.claimRewards([A, token.address, bob.account.address], { account: alice.account })),
  );
  await vault.write.distributeRewards([objective, token.address, epoch, [A], [parseEther("1")]], {
    account: middleware.account,
  });
  measured.set(
    "claim rewards (ERC-20, returning claimer)",
    await gasOf(vault.write.claimRewards([A, token.address, bob.account.address], { account: alice.account })),
  );
  await r.nextEpoch();
  measured.set(
    "claim withdrawal",
    await gasOf(vault.write.claimWithdrawal([A, claimEpoch, alice.account.address], { account: alice.account })),
  );
  if ((await vault.read.rewardsOf([alice.account.address, A, zeroAddress])) !== 0n) throw new Error("unexpected");
  return measured;
}
