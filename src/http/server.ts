// The HTTP layer runs on Hono (through @hono/node-server). Health, webhooks,
// the sandbox and file links are plain `Route`s, matched first and exactly as
// they always were, with their bodies read straight from node's request so
// the webhook path pays nothing for the framework; the web console and
// bull-board, which need sessions, forms and uploads, are Hono apps mounted
// beside them.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener, type HttpBindings } from "@hono/node-server";
import { Hono } from "hono";
import type { Logger } from "../logger.ts";

/** The Hono app the console mounts on; `c.env.incoming` is node's request. */
export type HttpApp = Hono<{ Bindings: HttpBindings }>;

export interface HttpRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  remoteAddress: string | undefined;
  /** Parsed JSON body (a Uint8Array for routes that take raw bytes); undefined when there is none. */
  body: unknown;
}

export interface HttpResponse {
  status: number;
  json?: unknown;
  html?: string;
  /** Raw bytes; the route sets content-type in `headers`. */
  body?: Uint8Array;
  headers?: Record<string, string>;
}

export type Route = {
  /** A GET route also answers HEAD (headers only). */
  method: "GET" | "POST";
  /** The exact path, or with `prefix` every path that starts with it (e.g. "/f/"). */
  path: string;
  prefix?: boolean;
  /** "raw": the body is handed over as bytes (uploads), not parsed as JSON. */
  body?: "json" | "raw";
  /** Largest body taken; default MAX_BODY_BYTES. */
  maxBodyBytes?: number;
  /** Checked before the body is read (its `body` is undefined): a refusal costs no upload. */
  admit?(req: HttpRequest): HttpResponse | null;
  handle(req: HttpRequest): Promise<HttpResponse>;
};

function matches(route: Route, method: string | undefined, pathname: string): boolean {
  const methodOk = route.method === method || (route.method === "GET" && method === "HEAD");
  return methodOk && (route.prefix === true ? pathname.startsWith(route.path) : pathname === route.path);
}

export const MAX_BODY_BYTES = 1024 * 1024;

class BodyError extends Error {
  constructor(readonly status: number) {
    super(String(status));
  }
}

async function readBody(req: IncomingMessage, route: Route): Promise<unknown> {
  const max = route.maxBodyBytes ?? MAX_BODY_BYTES;
  if (Number(req.headers["content-length"] ?? 0) > max) throw new BodyError(413);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw new BodyError(413);
    chunks.push(chunk);
  }
  if (route.body === "raw") return new Uint8Array(Buffer.concat(chunks));
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as unknown;
  } catch {
    throw new BodyError(400);
  }
}

function toResponse(r: HttpResponse): Response {
  const headers: Record<string, string> = { ...r.headers };
  let body: string | Uint8Array = "";
  if (r.body !== undefined) {
    headers["content-type"] ??= "application/octet-stream";
    body = r.body;
  } else if (r.html !== undefined) {
    headers["content-type"] = "text/html; charset=utf-8";
    body = r.html;
  } else if (r.json !== undefined) {
    headers["content-type"] = "application/json; charset=utf-8";
    body = JSON.stringify(r.json);
  }
  // A HEAD response keeps the length of the body it leaves out.
  headers["content-length"] = String(typeof body === "string" ? Buffer.byteLength(body) : body.byteLength);
  return new Response(body as ConstructorParameters<typeof Response>[0], { status: r.status, headers });
}

export interface HttpServer {
  server: Server;
  listen(port: number, host: string): Promise<{ port: number }>;
  close(): Promise<void>;
}

export function createHttpServer(deps: { logger: Logger; routes: Route[]; mount?: (app: HttpApp) => void }): HttpServer {
  const { logger } = deps;
  const app: HttpApp = new Hono();
  app.use(async (c, next) => {
    const incoming = c.env.incoming;
    const url = new URL(incoming.url ?? "/", "http://localhost");
    const route = deps.routes.find((r) => matches(r, incoming.method, url.pathname));
    if (!route) return next();
    try {
      const request: HttpRequest = {
        method: incoming.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        headers: incoming.headers,
        remoteAddress: incoming.socket.remoteAddress,
        body: undefined,
      };
      const refused = route.admit?.(request);
      if (refused) return toResponse(refused);
      const body = incoming.method === "POST" ? await readBody(incoming, route) : undefined;
      return toResponse(await route.handle({ ...request, body }));
    } catch (err) {
      if (err instanceof BodyError) {
        return toResponse({ status: err.status, json: { error: err.status === 413 ? "body too large" : "malformed JSON" } });
      }
      logger.error({ err: err instanceof Error ? err.message : String(err), route: route.path }, "http handler failed");
      return toResponse({ status: 500, json: { error: "internal error" } });
    }
  });
  deps.mount?.(app);
  app.notFound(() => toResponse({ status: 404, json: { error: "not found" } }));
  app.onError((err, c) => {
    logger.error({ err: err.message, path: c.req.path }, "http handler failed");
    return toResponse({ status: 500, json: { error: "internal error" } });
  });
  const listener = getRequestListener(app.fetch, { overrideGlobalObjects: false });
  const server = createServer((req, res) => void listener(req, res));
  // Long polls and keep-alive sockets must not hold a graceful shutdown open.
  server.keepAliveTimeout = 5_000;
  return {
    server,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          resolve({ port: (server.address() as AddressInfo).port });
        });
      });
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
    },
  };
}

/** Resolves or rejects within `ms`, so a hung dependency cannot hang /healthz. */
export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/** A check's answer that says more than "down", e.g. "missing: reminders-tick". */
export class HealthProblem extends Error {
  override name = "HealthProblem";
}

export function healthRoute(checks: Record<string, () => Promise<unknown>>, timeoutMs = 2_000): Route {
  return {
    method: "GET",
    path: "/healthz",
    async handle() {
      const entries = await Promise.all(
        Object.entries(checks).map(async ([name, check]) => {
          try {
            await withTimeout(check(), timeoutMs);
            return [name, "ok"] as const;
          } catch (err) {
            return [name, err instanceof HealthProblem ? err.message : "down"] as const;
          }
        }),
      );
      const results = Object.fromEntries(entries);
      const ok = entries.every(([, state]) => state === "ok");
      return { status: ok ? 200 : 503, json: { status: ok ? "ok" : "down", ...results } };
    },
  };
}
