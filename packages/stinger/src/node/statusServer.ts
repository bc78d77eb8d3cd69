import Fastify from "fastify";
import type { Registry } from "prom-client";

export type HealthReport = { healthy: boolean; [detail: string]: unknown };

/** Most duties `GET /duties` returns. */
export const MAX_DUTIES_LISTED = 2048;
/** Most frames per validator `GET /performance` returns. */
export const MAX_PERFORMANCE_FRAMES = 64;

/**
 * `GET /metrics` (Prometheus), `GET /health` (200 when healthy, else 503; JSON details) and, when given, `GET
 * /duties?limit=N` (recent duties with their outcome and contributing shares, newest first) and `GET
 * /performance?frames=N` (per validator, the latest frames of per-share performance: expected and contributed duties
 * per share, signed statement or not) on `host:port`.
 */
export async function startStatusServer(
  registry: Registry,
  health: () => Promise<HealthReport>,
  host: string,
  port: number,
  duties?: (limit: number) => unknown[],
  performance?: (frames: number) => unknown,
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
  if (duties !== undefined) {
    app.get<{ Querystring: { limit?: string } }>("/duties", async (req, reply) => {
      const raw = req.query.limit ?? "256";
      const limit = Number(raw);
      if (!/^\d+$/.test(raw) || limit < 1 || limit > MAX_DUTIES_LISTED) {
        reply.code(400);
        return { error: `limit must be an integer 1..${MAX_DUTIES_LISTED}` };
      }
      return { duties: duties(limit) };
    });
  }
  if (performance !== undefined) {
    app.get<{ Querystring: { frames?: string } }>("/performance", async (req, reply) => {
      const raw = req.query.frames ?? "4";
      const frames = Number(raw);
      if (!/^\d+$/.test(raw) || frames < 1 || frames > MAX_PERFORMANCE_FRAMES) {
        reply.code(400);
        return { error: `frames must be an integer 1..${MAX_PERFORMANCE_FRAMES}` };
      }
      return performance(frames);
    });
  }
  const url = await app.listen({ host, port });
  return { url, close: () => app.close() };
}
