import { type ChartPoint, chartPath } from "../chart.ts";

/** A small line chart with an accessible title and a text summary of its range. */
export function LineChart({
  title,
  points,
  format,
}: {
  title: string;
  points: ChartPoint[];
  format: (y: number) => string;
}) {
  const width = 480;
  const height = 120;
  if (points.length === 0) return <p className="muted">{title}: no data yet.</p>;
  const first = points[0];
  const last = points[points.length - 1];
  return (
    <figure className="chart">
      <svg viewBox={`-4 -4 ${width + 8} ${height + 8}`} role="img" aria-labelledby="chart-title">
        <title id="chart-title">{title}</title>
        <path d={chartPath(points, width, height)} fill="none" stroke="currentColor" strokeWidth="2" />
      </svg>
      <figcaption>
        {title}: {points.length} point{points.length === 1 ? "" : "s"}, from {first ? format(first.y) : ""} to{" "}
        {last ? format(last.y) : ""}
      </figcaption>
    </figure>
  );
}
