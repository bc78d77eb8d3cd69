import Fastify from "fastify";
import type { Registry } from "prom-client";

export type HealthReport = { healthy: boolean; [detail: string]: unknown };

/** `GET /metrics` (Prometheus) and `GET /health` (200 when healthy, else 503; JSON details) on `host:port`. */
export async function startStatusServer(
  registry: Registry,
  health: () => Promise<HealthReport>,
  host: string,
  port: number,
): Promise<{ url: string; close(): Promise<void> }> {
  const app = Fastify({ logger: false });
  app.get("/metrics", async (_req, reply) => {
    reply.header("content-type", registry.contentType);
    return registry.metrics();
  });
  app.get("/health", async (_req, reply) => {
    const report = await health();
    reply.code(report.healthy ? 200 : 503);
    return report;
  });
  const url = await app.listen({ host, port });
  return { url, close: () => app.close() };
}
