// Test helpers for the channel tests: fixtures and a recording logger.
import { readFileSync } from "node:fs";
import type { ChannelLogger } from "../../src/channels/shared/logger.ts";

export function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), "utf8"));
}

export interface LogEntry {
  level: "debug" | "info" | "warn" | "error";
  obj: Record<string, unknown>;
  msg: string;
}

/** A logger that records entries and lets a test await one (no polling). */
export function recordingLogger(): ChannelLogger & {
  entries: LogEntry[];
  waitFor(match: (e: LogEntry) => boolean, timeoutMs?: number): Promise<LogEntry>;
} {
  const entries: LogEntry[] = [];
  const waiters = new Set<{ match: (e: LogEntry) => boolean; resolve: (e: LogEntry) => void }>();
  const log = (level: LogEntry["level"]) => (obj: Record<string, unknown>, msg: string) => {
    const e = { level, obj, msg };
    entries.push(e);
    for (const w of waiters) {
      if (w.match(e)) {
        waiters.delete(w);
        w.resolve(e);
      }
    }
  };
  return {
    entries,
    debug: log("debug"),
    info: log("info"),
    warn: log("warn"),
    error: log("error"),
    waitFor(match, timeoutMs = 5000) {
      const found = entries.find(match);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const w = {
          match,
          resolve: (e: LogEntry) => {
            clearTimeout(timer);
            resolve(e);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(w);
          reject(new Error("no matching log entry"));
        }, timeoutMs);
        waiters.add(w);
      });
    },
  };
}

/** A promise with its resolve/reject handles, to hold a sink open. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A minimal HTTP front for an adapter's webhook(): what src/http will do in production. */
export async function startWebhookServer(
  handle: (headers: Record<string, string | string[] | undefined>, body: unknown) => Promise<number>,
): Promise<{ url: string; close(): Promise<void> }> {
  const { createServer } = await import("node:http");
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        body = undefined;
      }
      handle(req.headers, body).then(
        (status) => {
          res.writeHead(status).end();
        },
        () => {
          res.writeHead(500).end();
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const addr = server.address();
  const port = typeof addr === "object" && addr !== null ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
