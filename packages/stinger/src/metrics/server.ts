import Fastify, { type FastifyInstance } from "fastify";
import type { Registry } from "prom-client";

export type MetricsServer = { url: string; close(): Promise<void> };

/** Serve `GET /metrics` (Prometheus text format) on `host:port`; port 0 picks a free port. */
export async function startMetricsServer(registry: Registry, host: string, port: number): Promise<MetricsServer> {
  const app: FastifyInstance = Fastify({ logger: false });
  app.get("/metrics", async (_req, reply) => {
    reply.header("content-type", registry.contentType);
    return registry.metrics();
  });
  const address = await app.listen({ host, port });
  return { url: `${address}/metrics`, close: () => app.close() };
}
