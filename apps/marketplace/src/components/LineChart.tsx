/** A point of a time series: x in Unix seconds, y any number. */
export type ChartPoint = { x: number; y: number };

/** The SVG path of points scaled into a width×height box (y grows upwards); a flat series sits in the middle. */
export function chartPath(points: readonly ChartPoint[], width: number, height: number): string {
  if (points.length === 0) return "";
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  const sx = (x: number) => (x1 === x0 ? width / 2 : ((x - x0) / (x1 - x0)) * width);
  const sy = (y: number) => (y1 === y0 ? height / 2 : height - ((y - y0) / (y1 - y0)) * height);
  return points.map((p, i) => `${i === 0 ? "M" : "L"}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(" ");
}

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
