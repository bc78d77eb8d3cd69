import { memo, useMemo, useState } from "react";
import { defaultSort, type OperatorRow, type Sort, type SortKey, sortOperators } from "../data/operators.ts";
import { formatCount, formatEth, shortHex } from "../format.ts";
import { href } from "../router.ts";

const COLUMNS: { key: SortKey; label: string; numeric: boolean }[] = [
  { key: "operatorId", label: "Operator", numeric: true },
  { key: "performance", label: "Performance", numeric: true },
  { key: "bondEther", label: "Bond (ETH)", numeric: true },
  { key: "freeUnits", label: "Free units", numeric: true },
  { key: "lockedUnits", label: "Locked units", numeric: true },
  { key: "keyShares", label: "Key shares", numeric: true },
  { key: "strikes", label: "Strikes", numeric: true },
  { key: "networks", label: "Networks", numeric: false },
  { key: "slashedShares", label: "Slashed (shares)", numeric: true },
  { key: "rewardsEther", label: "Rewards (ETH)", numeric: true },
  { key: "status", label: "Status", numeric: false },
];

/** The sortable operators table: one button per column header, the sort announced through `aria-sort`. */
export function OperatorsTable({ rows }: { rows: OperatorRow[] }) {
  const [sort, setSort] = useState<Sort | undefined>(undefined);
  const active = useMemo(() => sort ?? defaultSort(rows), [sort, rows]);
  const sorted = useMemo(() => sortOperators(rows, active), [rows, active]);
  const measured = rows.some((r) => r.performance !== undefined);
  const toggle = (key: SortKey) =>
    setSort(
      active.key === key
        ? { key, direction: active.direction === "descending" ? "ascending" : "descending" }
        : { key, direction: key === "operatorId" || key === "status" ? "ascending" : "descending" },
    );
  return (
    <div className="scroll">
      <table className="operators" data-testid="operators-table">
        <caption>
          {formatCount(rows.length)} operators, sorted by {COLUMNS.find((c) => c.key === active.key)?.label} (
          {active.direction})
          {!measured && ". Performance: not measured yet — per-share performance arrives with the economics protocol."}{" "}
          Strikes: missed DKGs in the registry's window of oracle frames (total ever in brackets). Networks, slashes and
          rewards are the owner address's restaking record.
        </caption>
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th
                key={c.key}
                scope="col"
                aria-sort={active.key === c.key ? active.direction : "none"}
                className={c.numeric ? "num" : undefined}
              >
                <button type="button" onClick={() => toggle(c.key)} data-sort-key={c.key}>
                  {c.label}
                  <span aria-hidden="true">
                    {active.key === c.key ? (active.direction === "ascending" ? " ▲" : " ▼") : ""}
                  </span>
                </button>
              </th>
            ))}
            <th scope="col">Owner</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((r) => (
            <OperatorRowView key={r.operatorId.toString()} row={r} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One row; memoized so that a re-sort only moves the existing rows instead of rendering 1,000 again. */
const OperatorRowView = memo(function OperatorRowView({ row: r }: { row: OperatorRow }) {
  return (
    <tr data-operator-id={r.operatorId.toString()}>
      <td className="num">
        <a href={href({ page: "operator", operatorId: r.operatorId })}>#{r.operatorId.toString()}</a>
      </td>
      <td className="num muted">{r.performance === undefined ? "not measured yet" : r.performance.toFixed(3)}</td>
      <td className="num">{formatEth(r.bondEther)}</td>
      <td className="num">{formatCount(r.freeUnits)}</td>
      <td className="num">{formatCount(r.lockedUnits)}</td>
      <td className="num">{formatCount(r.keyShares)}</td>
      <td className="num strikes">
        {r.strikesTotal === 0n ? "none" : `${r.strikes.toString()} (${r.strikesTotal.toString()})`}
      </td>
      <td>{r.networks.length === 0 ? "none" : r.networks.map((id) => `#${id}`).join(", ")}</td>
      <td className="num">{r.slashCount === 0 ? "never" : `${formatEth(r.slashedShares)} (${r.slashCount}×)`}</td>
      <td className="num">{formatEth(r.rewardsEther)}</td>
      <td>{r.status}</td>
      <td>
        <code title={r.owner}>{shortHex(r.owner)}</code>
      </td>
    </tr>
  );
});
