import { readFile, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** Where `npm run build -w apps/marketplace` writes the static app. */
export const MARKETPLACE_DIST = fileURLToPath(new URL("../dist/", import.meta.url));

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/** Answers one JSON-RPC request body (a call or a batch) with the reply body. */
export type JsonRpcHandler = (body: unknown) => Promise<unknown>;

export type ServeMarketplaceOptions = {
  /** The `config.json` the app reads: `{manifest, devnet?}` (see src/config.ts); `rpcUrl` is set to the proxy. */
  config: Record<string, unknown>;
  /**
   * The chain's JSON-RPC: a URL, or a handler. The browser reaches it through this server at `/rpc` (same origin, so
   * no CORS setup on the node).
   */
  rpc: string | JsonRpcHandler;
  /** Port on 127.0.0.1 (0: any free port). */
  port: number;
  /** The static build (default: this package's dist/). */
  dist?: string;
};

export type MarketplaceServer = { url: string; server: Server; close(): Promise<void> };

/**
 * Serves the static build and its `config.json` on 127.0.0.1 — what `npm start` runs next to the devnet. Any static
 * host does the same with a `config.json` file beside `index.html`.
 */
export async function serveMarketplace(opts: ServeMarketplaceOptions): Promise<MarketplaceServer> {
  const dist = opts.dist ?? MARKETPLACE_DIST;
  const index = join(dist, "index.html");
  await stat(index).catch(() => {
    throw new Error(`${index} is missing: run \`npm run build -w apps/marketplace\` first`);
  });
  const forward: JsonRpcHandler = typeof opts.rpc === "string" ? forwardTo(opts.rpc) : opts.rpc;
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://127.0.0.1").pathname);
    if (path === "/rpc" && req.method === "POST") {
      proxy(req, res, forward);
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    if (path === "/config.json") {
      const config = { ...opts.config, rpcUrl: `http://${req.headers.host ?? "127.0.0.1"}/rpc` };
      res.writeHead(200, { "content-type": TYPES[".json"], "cache-control": "no-store" }).end(JSON.stringify(config));
      return;
    }
    const file = normalize(join(dist, path === "/" ? "index.html" : path));
    if (!file.startsWith(dist.endsWith(sep) ? dist : dist + sep)) {
      res.writeHead(403).end();
      return;
    }
    readFile(file).then(
      (body) => res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(body),
      () => res.writeHead(404, { "content-type": "text/plain" }).end("not found"),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function forwardTo(url: string): JsonRpcHandler {
  return async (body) => {
    const reply = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return reply.json();
  };
}

const MAX_BODY = 5 * 1024 * 1024;

function proxy(req: IncomingMessage, res: ServerResponse, forward: JsonRpcHandler): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on("data", (c: Buffer) => {
    size += c.length;
    if (size > MAX_BODY) req.destroy();
    else chunks.push(c);
  });
  req.on("end", () => {
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      res.writeHead(400, { "content-type": TYPES[".json"] }).end(rpcError(null, -32700, "parse error"));
      return;
    }
    forward(body).then(
      (reply) => res.writeHead(200, { "content-type": TYPES[".json"] }).end(JSON.stringify(reply)),
      (e: unknown) =>
        res
          .writeHead(502, { "content-type": TYPES[".json"] })
          .end(rpcError(null, -32603, `upstream failed: ${String(e)}`)),
    );
  });
}

function rpcError(id: unknown, code: number, message: string): string {
  return JSON.stringify({ jsonrpc: "2.0", id, error: { code, message } });
}
