import { formatEther, formatUnits } from "viem";
import { TOP_UP } from "./deposits.ts";
import type { DevnetStatus } from "./status.ts";

const eth = (wei: bigint) => `${Number(formatEther(wei)).toFixed(4)} ETH`;
const wdiv = (wei: bigint) => `${Number(formatEther(wei)).toFixed(4)} wdivETH`;

/** The one-screen status view (plain lines; the caller clears the screen). */
export function renderStatus(
  s: DevnetStatus,
  urls: { rpcUrl: string; beaconUrl: string; manifest: string; marketplaceUrl?: string | undefined },
): string[] {
  const v = s.validators;
  const rate = Number(formatEther(s.pool.shareRate)).toFixed(9);
  return [
    "Nektar devnet — Ctrl-C stops every process",
    "",
    `  EVM RPC      ${urls.rpcUrl}`,
    `  Beacon API   ${urls.beaconUrl}`,
    `  Manifest     ${urls.manifest}`,
    `  Marketplace  ${urls.marketplaceUrl ?? "not served (npm run build -w apps/marketplace)"}`,
    "",
    `  Slot ${s.slot}   epoch ${s.epoch}   justified ${s.justifiedEpoch}   finalized ${s.finalizedEpoch}`,
    `  Validators   requested ${v.requested}   1 ETH predeposited ${v.predeposited} (top-up pending)   deposited ${v.deposited}   active ${v.active}   exiting ${v.exiting}   exited ${v.exited}   withdrawn ${v.withdrawn}   expired ${v.expired}   front-run ${v.unusable}`,
    `  Operators    ${s.operatorsOnline} Stinger nodes online (${s.operatorsHealthy} healthy) / ${s.operatorsRegistered} registered`,
    `  DV inclusion ${s.dvInclusionRate === undefined ? "n/a (no active distributed validator)" : `${(s.dvInclusionRate * 100).toFixed(1)}% of the active distributed validators' attestations`}`,
    `  DV blocks    ${s.dvBlocks.proposed} proposed, ${s.dvBlocks.payingVault} paying the withdrawal vault (fee recipient)${blockSourceText(s)}`,
    `  Rewards      ${effectivenessText(s)}`,
    `  divETH       1 share = ${rate} ETH   total pooled ${eth(s.pool.totalPooledEther)}`,
    `  Buffer       ${eth(s.pool.bufferedEther)} (reserved ${eth(s.pool.reservedEther)}, of which ${eth(s.pool.pendingTopUps * TOP_UP)} for ${s.pool.pendingTopUps} pending top-ups)   deposited validators ${s.pool.depositedValidators}`,
    `  Withdrawals  requests ${s.pool.lastRequestId}   finalized ${s.pool.lastFinalizedRequestId}   pending ${eth(s.pool.unfinalizedEther)}   claimable ${eth(s.pool.lockedEther)}${exitsText(s)}`,
    ...performanceLines(s),
    ...strikesLines(s),
    ...restakingLines(s),
    ...finalityLines(s),
    ...distributorLines(s),
    ...(s.notes.length > 0 ? ["", ...s.notes.map((n) => `  ! ${n}`)] : []),
  ];
}

/** Exits in flight and the withdrawal shortfall that would exit the next validator (EIP-7002 through the vault). */
function exitsText(s: DevnetStatus): string {
  const e = s.exits;
  if (e === undefined) return "";
  const next = e.shortfall > 0n && e.nextDemandExit !== undefined ? ` → exit validator ${e.nextDemandExit}` : "";
  return `   exits in flight ${e.pendingExits}   shortfall ${eth(e.shortfall)}${next}`;
}

/**
 * Per operator, its key shares' performance in the last frame with signed statements (contributed ÷ expected duties,
 * `Stinger` end-of-frame statements signed by the validator keys); a stopped node shows as offline.
 */
function performanceLines(s: DevnetStatus): string[] {
  const p = s.performance;
  if (p === undefined || p.length === 0) return [];
  const frames = p.flatMap((o) => (o.frame === undefined ? [] : [o.frame]));
  if (frames.length === 0)
    return ["  Performance  no signed per-share statement yet (one per validator each oracle frame)"];
  const cell = (o: (typeof p)[number]) =>
    `${o.operator}:${!o.online ? "offline" : o.expected === 0 ? "-" : `${((100 * o.contributed) / o.expected).toFixed(0)}%`}`;
  const signed = p.reduce((n, o) => n + o.signed, 0);
  const held = p.reduce((n, o) => n + o.validators, 0);
  return [
    `  Performance  frame ${Math.max(...frames)}, each operator's key shares: duties contributed / expected (${signed}/${held} shares under signed statements)`,
    `               ${p.map(cell).join(" ")}`,
  ];
}

/** Operators with strikes (missed DKGs) in the registry's window, and ejected ones (anyone may eject at the limit). */
function strikesLines(s: DevnetStatus): string[] {
  const list = s.strikes;
  if (list === undefined) return [];
  if (list.length === 0) return ["  Strikes      none (a missed DKG is a strike)"];
  const cell = (o: (typeof list)[number]) =>
    `${o.operatorId}:${o.ejected ? "ejected" : `${o.inWindow}/${o.strikesToEject}${o.inWindow >= o.strikesToEject ? " ejectable" : ""}`}`;
  return [`  Strikes      ${list.map(cell).join(" ")}`];
}

/** Restaked divETH, the delegated stake of up to three operators, and the networks. */
function restakingLines(s: DevnetStatus): string[] {
  const r = s.restaking;
  const staked = r.operators.filter((o) => o.stakeShares > 0n);
  const shown = staked
    .slice(0, 3)
    .map((o) => `${o.operator.slice(0, 10)}… ${eth(o.stakeEther)}`)
    .join("   ");
  const more = staked.length > 3 ? `   (+${staked.length - 3} more)` : "";
  const networks = r.networks.map((n) => `#${n.networkId} ${n.kind} ${n.metadataURI}`.trim()).join("   ");
  return [
    `  Restaking    ${eth(r.restakedEther)} divETH restaked   epoch ${r.epoch} (${r.epochDuration}s)   ${r.operators.length} operators   ${r.networks.length} networks`,
    `  Delegations  ${shown === "" ? "none active yet" : `${shown}${more}`}`,
    `  Networks     ${networks === "" ? "none registered" : networks}`,
  ];
}

/** The example finality-relay Network: opt-ins and keys, the last certificate, rewards, slashed operators. */
function finalityLines(s: DevnetStatus): string[] {
  const f = s.finality;
  if (f === undefined) return [];
  const last =
    f.lastEpoch === undefined ? "no certificate yet" : `last certified epoch ${f.lastEpoch} (${f.lastSigners} signers)`;
  const slashed =
    f.offences.length === 0
      ? "none slashed"
      : f.offences.map((o) => `SLASHED ${o.operator.slice(0, 10)}… ${o.offence} epoch ${o.epoch}`).join("   ");
  return [
    `  Finality     Network #${f.networkId} ${f.relay}   ${f.optedIn} operators opted in, ${f.keyed} Network keys   ${last}`,
    `               ${f.certificates} certificates   rewards earned ${eth(f.rewardsEarned)}, paid ${eth(f.rewardsPaid)}, claimable ${eth(f.claimable)}${f.claimable > 0n ? " (nektar restake claim)" : ""}   ${slashed}`,
  ];
}

/** The devnet's Distributor: assets, how they are spread over its operators, share price. */
function distributorLines(s: DevnetStatus): string[] {
  const d = s.distributor;
  if (d === undefined) return [];
  const idle = d.totalAssets - d.delegated - d.rebalancingInFlight;
  const price = Number(formatUnits(d.assetsPerShare, 18)).toFixed(6);
  return [
    `  Distributor  ${d.symbol} ${d.address}   ${wdiv(d.totalAssets)}: ${wdiv(d.delegated)} delegated to ${d.operatorsDelegated} of ${d.operators} operators, ${wdiv(idle)} idle, ${wdiv(d.rebalancingInFlight)} in flight   1 share = ${price} wdivETH`,
  ];
}

/** One line per epoch for headless runs and logs. */
export function statusLine(s: DevnetStatus): string {
  const v = s.validators;
  return [
    `slot ${s.slot} epoch ${s.epoch} justified ${s.justifiedEpoch} finalized ${s.finalizedEpoch}`,
    `validators req ${v.requested} pre ${v.predeposited} dep ${v.deposited} active ${v.active}`,
    `operators ${s.operatorsOnline}/${s.operatorsRegistered} online`,
    `DV inclusion ${s.dvInclusionRate === undefined ? "n/a" : `${(s.dvInclusionRate * 100).toFixed(1)}%`}`,
    `DV blocks ${s.dvBlocks.payingVault}/${s.dvBlocks.proposed} to vault${s.builderFlow === true ? ` builder ${s.dvBlocks.builder ?? 0}` : ""}`,
    `rewards DV ${pctOrNa(s.effectiveness.dv)} devnet ${pctOrNa(s.effectiveness.devnet)}`,
    `rate ${Number(formatEther(s.pool.shareRate)).toFixed(9)}`,
    `buffer ${eth(s.pool.bufferedEther)}`,
    `queue ${s.pool.lastFinalizedRequestId}/${s.pool.lastRequestId}`,
    `restaked ${eth(s.restaking.restakedEther)} networks ${s.restaking.networks.length}`,
    ...(s.performance === undefined ? [] : [`performance signed ${s.performance.reduce((n, o) => n + o.signed, 0)}`]),
    ...(s.finality === undefined
      ? []
      : [
          `finality certified ${s.finality.lastEpoch ?? "-"} (${s.finality.certificates}) slashed ${s.finality.offences.length}`,
        ]),
  ].join(" | ");
}

const pctOrNa = (x: number | undefined) => (x === undefined ? "n/a" : `${(x * 100).toFixed(1)}%`);

/** Attestation effectiveness (rewards endpoints) of the distributed validators next to the devnet's own. */
function effectivenessText(s: DevnetStatus): string {
  const e = s.effectiveness;
  if (e.dv === undefined) return "n/a (no epoch with an active distributed validator completed yet)";
  return `distributed validators earned ${pctOrNa(e.dv)} of a perfect validator's attestation rewards (devnet's own validators ${pctOrNa(e.devnet)})`;
}

/** Builder vs local blocks of the distributed validators, when the devnet runs the builder flow. */
function blockSourceText(s: DevnetStatus): string {
  if (s.builderFlow !== true) return "   builder flow off (npm start -- --builder)";
  const builder = s.dvBlocks.builder ?? 0;
  return `   ${builder} builder, ${s.dvBlocks.proposed - builder} local (builder flow on)`;
}
