// Plumbing shared by the platform emulators: request parsing, a call log with
// event-based waiting, sliding-window rate limits.
import type { IncomingMessage, ServerResponse } from "node:http";

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export interface UploadedFile {
  fileName: string;
  size: number;
  type: string;
}

/**
 * Method parameters from the query string and a JSON, urlencoded or multipart
 * body (grammY uploads files as multipart, with JSON-encoded nested values).
 */
export async function readParams(req: IncomingMessage, url: URL): Promise<Record<string, unknown>> {
  const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const body = await readBody(req);
  if (body.length === 0) return params;
  const type = req.headers["content-type"] ?? "";
  if (type.includes("application/json")) {
    const json: unknown = JSON.parse(body.toString("utf8"));
    if (typeof json === "object" && json !== null) Object.assign(params, json);
  } else if (type.includes("multipart/form-data")) {
    const boundary = /boundary=("?)([^";]+)\1/i.exec(type)?.[2];
    if (boundary !== undefined) Object.assign(params, parseMultipart(body, boundary));
  } else if (type.includes("application/x-www-form-urlencoded")) {
    Object.assign(params, Object.fromEntries(new URLSearchParams(body.toString("utf8"))));
  }
  return params;
}

/**
 * A lenient multipart/form-data parser: grammY writes headers as
 * `content-disposition:form-data;name="x";filename=y` (no spaces, unquoted
 * filename), which stricter parsers refuse. Fields that say `attach://<id>`
 * are replaced by the file sent under that id, as Telegram does.
 */
export function parseMultipart(body: Buffer, boundary: string): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  const files = new Map<string, UploadedFile>();
  const delimiter = Buffer.from(`--${boundary}`);
  let pos = body.indexOf(delimiter);
  while (pos !== -1) {
    const start = pos + delimiter.length;
    if (body.subarray(start, start + 2).toString() === "--") break;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    // Each part: CRLF, headers, CRLF CRLF, content, CRLF, then the next delimiter.
    const part = body.subarray(start + 2, next - 2);
    const split = part.indexOf("\r\n\r\n");
    if (split !== -1) {
      const headers = part.subarray(0, split).toString("utf8");
      const content = part.subarray(split + 4);
      const name = /name=(?:"([^"]*)"|([^;\r\n]*))/i.exec(headers);
      const filename = /filename=(?:"([^"]*)"|([^;\r\n]*))/i.exec(headers);
      const ctype = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim() ?? "application/octet-stream";
      const key = name?.[1] ?? name?.[2];
      if (key !== undefined) {
        if (filename !== null) {
          files.set(key, { fileName: filename[1] ?? filename[2] ?? "", size: content.length, type: ctype });
        } else {
          fields[key] = content.toString("utf8");
        }
      }
    }
    pos = next;
  }
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value === "string" && value.startsWith("attach://")) {
      const file = files.get(value.slice("attach://".length));
      if (file !== undefined) fields[key] = file;
    }
  }
  for (const [key, file] of files) if (!(key in fields)) fields[key] = file;
  return fields;
}

/** Form and query values arrive as strings; nested objects as JSON strings. */
export function jsonParam(v: unknown): unknown {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

export function numParam(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

export function strParam(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  return undefined;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.writableEnded || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** An append-only log whose waiters resolve as soon as a matching entry is pushed. */
export class CallLog<T> {
  readonly items: T[] = [];
  private waiters = new Set<{ match: (item: T) => boolean; resolve: (item: T) => void }>();

  push(item: T): void {
    this.items.push(item);
    for (const w of this.waiters) {
      if (w.match(item)) {
        this.waiters.delete(w);
        w.resolve(item);
      }
    }
  }

  /** Resolves with the first entry, already logged or future, that matches. */
  waitFor(match: (item: T) => boolean, timeoutMs = 5000, what = "call"): Promise<T> {
    const found = this.items.find(match);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const waiter = {
        match,
        resolve: (item: T) => {
          clearTimeout(timer);
          resolve(item);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`emulator: no matching ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }
}

export interface RateLimits {
  perChatPerSec?: number;
  globalPerSec?: number;
}

/** Sliding one-second windows; returns seconds to wait, or 0 when the send may go. */
export class RateLimiter {
  private perChat = new Map<string, number[]>();
  private global: number[] = [];

  constructor(private readonly limits: RateLimits = {}) {}

  take(chatId: string, now = Date.now()): number {
    const chat = prune(this.perChat.get(chatId) ?? [], now);
    this.global = prune(this.global, now);
    const waits = [
      waitFor(chat, this.limits.perChatPerSec, now),
      waitFor(this.global, this.limits.globalPerSec, now),
    ];
    const wait = Math.max(...waits);
    if (wait > 0) return wait;
    chat.push(now);
    this.global.push(now);
    this.perChat.set(chatId, chat);
    return 0;
  }
}

function prune(times: number[], now: number): number[] {
  return times.filter((t) => now - t < 1000);
}

function waitFor(times: number[], limit: number | undefined, now: number): number {
  if (limit === undefined || times.length < limit) return 0;
  const oldest = times[times.length - limit] ?? now;
  return Math.max(1, Math.ceil((oldest + 1000 - now) / 1000));
}
