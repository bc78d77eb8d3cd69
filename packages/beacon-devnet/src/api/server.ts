import type { BeaconApiMethods } from "@lodestar/api/beacon/server";
import { registerRoutes } from "@lodestar/api/beacon/server";
import { ApiError } from "@lodestar/api/server";
import { LodestarError } from "@lodestar/utils";
import fastify, { type FastifyInstance } from "fastify";
import qs from "qs";
import { getBeaconApi } from "./beacon.ts";
import type { ApiContext } from "./context.ts";
import { getDebugApi } from "./debug.ts";
import { getEventsApi } from "./events.ts";
import { getConfigApi, getNodeApi } from "./nodeConfig.ts";
import { registerProofRoutes } from "./proofsRoute.ts";
import { getRewardsApi } from "./rewards.ts";
import { getValidatorApi } from "./validator.ts";

/** Methods the devnet does not implement answer 501 instead of crashing the route. */
function withNotImplemented<T extends object>(namespace: string, impl: T): T {
  return new Proxy(impl, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (value !== undefined || typeof prop !== "string") return value;
      return async () => {
        throw new ApiError(501, `${namespace}.${prop} is not implemented by beacon-devnet`);
      };
    },
  });
}

const REWARDS_PREFIX = "/eth/v1/beacon/rewards/";

/** Build the Beacon API server (not yet listening). */
export function createApiServer(ctx: ApiContext, depositContract: Uint8Array): FastifyInstance {
  const server = fastify({
    logger: false,
    bodyLimit: 20 * 1024 * 1024,
    routerOptions: { querystringParser: (str: string) => qs.parse(str, { comma: true, parseArrays: false }) },
  });
  server.addContentTypeParser("application/octet-stream", { parseAs: "buffer" }, (_req, body, done) =>
    done(null, body),
  );
  // The rewards endpoints carry penalties as negative numbers, which only their JSON form can hold (the standard
  // defines them as JSON only; SSZ `UintNum64` wraps -x to 2^32 - x, and `@lodestar/api` asks for SSZ by default).
  server.addHook("onRequest", async (req) => {
    if (!req.url.startsWith(REWARDS_PREFIX)) return;
    const accept = req.headers.accept;
    if (accept === undefined || /application\/json|\*\/\*|application\/\*/.test(accept)) {
      req.headers.accept = "application/json";
      return;
    }
    throw new ApiError(406, `The rewards endpoints answer application/json only (Accept: ${accept})`);
  });
  server.setErrorHandler((err: unknown, _req, reply) => {
    const e = err as { statusCode?: number; validation?: unknown; message?: string };
    let status = 500;
    if (err instanceof ApiError) status = err.statusCode;
    else if (e.validation !== undefined) status = 400;
    else if (typeof e.statusCode === "number" && e.statusCode >= 400 && e.statusCode < 500) status = e.statusCode;
    else if (err instanceof RangeError || err instanceof TypeError || err instanceof SyntaxError) status = 400;
    else if (err instanceof LodestarError) status = 400;
    if (status >= 500) ctx.logger.error({ err }, "beacon API handler failed");
    void reply.status(status).send({ code: status, message: e.message ?? String(err) });
  });
  server.setNotFoundHandler((req, reply) => {
    void reply.status(404).send({ code: 404, message: `Route ${req.method}:${req.url} not found` });
  });
  const methods = {
    beacon: withNotImplemented("beacon", { ...getBeaconApi(ctx), ...getRewardsApi(ctx) }),
    config: withNotImplemented("config", getConfigApi(ctx, depositContract)),
    node: withNotImplemented("node", getNodeApi(ctx)),
    validator: withNotImplemented("validator", getValidatorApi(ctx)),
    events: withNotImplemented("events", getEventsApi(ctx)),
    debug: withNotImplemented("debug", getDebugApi(ctx)),
  } as unknown as BeaconApiMethods;
  registerRoutes(server, ctx.chain.config, methods, ["beacon", "config", "node", "validator", "events", "debug"]);
  registerProofRoutes(server, ctx.chain);
  return server;
}
