// Signed, expiring download links for files the bot generates (exports,
// charts). Zalo bots cannot send documents and send photos only by URL, so
// the bytes go to the FileStore under exports/ and the user gets
// `${baseUrl}/f/<token>/<ascii name>`. The token carries everything needed to serve the
// file (key, name, type, expiry) and an HMAC-SHA256 over it: no table to
// look up, and any http process with the same secret can serve it.
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { link, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import type { OutboundMessage } from "../channels/channel.ts";
import { FileNotFoundError, isValidStorageKey, type FileStore } from "../files/storage.ts";
import type { ChannelLogger } from "../channels/shared/logger.ts";
import { vi } from "../texts/vi.ts";
import type { HttpResponse, Route } from "./server.ts";

export type LinkedFile = NonNullable<OutboundMessage["file"]>;

export const FILE_ROUTE_PREFIX = "/f/";
const KEY_PREFIX = "exports/";
/** Far longer than any real token; refuses junk before any work. */
const MAX_TOKEN_CHARS = 2048;
const TOKEN = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/;
const SAFE_MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*(?:; ?charset=[a-z0-9_-]+)?$/i;

const payloadSchema = z.object({
  v: z.literal(1),
  /** Storage key. */
  k: z.string(),
  /** File name shown to the user (any characters). */
  n: z.string().max(300),
  /** Content type. */
  m: z.string().max(200),
  /** Expiry, ms since the epoch. */
  e: z.number().int(),
});
type Payload = z.infer<typeof payloadSchema>;

export type TokenCheck =
  | { ok: true; payload: Payload }
  | { ok: false; reason: "malformed" | "bad_signature" }
  /** Genuine but past its time; `key` lets the caller remove the stored file. */
  | { ok: false; reason: "expired"; key: string };

// The configured secret may be a master secret: links sign with a key derived
// for this one purpose, so a leaked link key reveals nothing else.
function linkKey(secret: string): Buffer {
  return createHmac("sha256", secret).update("baocao/file-links/v1").digest();
}

function signature(key: Buffer, encodedPayload: string): Buffer {
  return createHmac("sha256", key).update(encodedPayload).digest();
}

export function encodeToken(secret: string, payload: Payload): string {
  const encoded = Buffer.from(JSON.stringify(payload), "utf8").toString("base64url");
  return `${encoded}.${signature(linkKey(secret), encoded).toString("base64url")}`;
}

/** Checks format, then the signature in constant time, then expiry: a forged token learns nothing about expiry. */
export function decodeToken(secret: string, token: string, now: Date): TokenCheck {
  if (token.length > MAX_TOKEN_CHARS) return { ok: false, reason: "malformed" };
  const m = TOKEN.exec(token);
  if (!m) return { ok: false, reason: "malformed" };
  const [, encoded = "", sig = ""] = m;
  // The encoded strings are compared, not the decoded bytes: base64url's last
  // character has spare bits, so several strings decode to the same signature.
  const given = Buffer.from(sig, "ascii");
  const expected = Buffer.from(signature(linkKey(secret), encoded).toString("base64url"), "ascii");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "bad_signature" };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(encoded, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  const payload = payloadSchema.safeParse(parsed);
  if (!payload.success) return { ok: false, reason: "malformed" };
  if (now.getTime() >= payload.data.e) return { ok: false, reason: "expired", key: payload.data.k };
  return { ok: true, payload: payload.data };
}

/** An ASCII name for storage keys and old browsers: diacritics dropped, đ → d, the rest → "-". */
export function asciiName(name: string): string {
  const s = name
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^[^A-Za-z0-9]+/, "")
    .replace(/-+$/, "");
  return s.slice(0, 100) || "file";
}

/** RFC 6266 / 5987: an ASCII fallback plus the exact UTF-8 name. */
export function contentDisposition(name: string, inline: boolean): string {
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${inline ? "inline" : "attachment"}; filename="${asciiName(name)}"; filename*=UTF-8''${encoded}`;
}

function page(status: number, message: string): HttpResponse {
  const html = `<!doctype html><html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>baocao</title></head><body><p>${message}</p></body></html>`;
  return { status, html, headers: { "cache-control": "no-store", "x-content-type-options": "nosniff" } };
}

/** Only generated files: even a signed token never reaches attachments. */
function ownKey(key: string): boolean {
  return key.startsWith(KEY_PREFIX) && isValidStorageKey(key);
}

export interface FileLinks {
  /** Stores the bytes and returns a link valid for `ttlMs`. */
  link(file: LinkedFile, ttlMs: number): Promise<string>;
  /** GET /f/<token>: 200 with the bytes, 404 for anything invalid, 410 once expired. */
  route: Route;
}

export interface FileLinksDeps {
  secret: string;
  /** Public base URL of the http role, without a trailing slash. */
  baseUrl: string;
  store: FileStore;
  now: () => Date;
  logger?: Pick<ChannelLogger, "info">;
}

export function createFileLinks(deps: FileLinksDeps): FileLinks {
  const baseUrl = deps.baseUrl.replace(/\/+$/, "");
  const { store, secret, now } = deps;

  async function makeLink(file: LinkedFile, ttlMs: number): Promise<string> {
    const key = `${KEY_PREFIX}${randomUUID()}-${asciiName(file.fileName)}`;
    await store.put(key, file.data, { mimeType: file.mimeType });
    const token = encodeToken(secret, { v: 1, k: key, n: file.fileName, m: file.mimeType, e: now().getTime() + ttlMs });
    // The trailing name is decoration (the signed one is served): it gives the
    // URL a file extension, which some fetchers look at, and tells users what it is.
    return `${baseUrl}${FILE_ROUTE_PREFIX}${token}/${asciiName(file.fileName)}`;
  }

  async function serve(token: string): Promise<HttpResponse> {
    const check = decodeToken(secret, token, now());
    if (!check.ok) {
      // Every forged or broken token gets the same 404; the reason goes to the log only.
      deps.logger?.info({ reason: check.reason }, "file link refused");
      if (check.reason === "expired") {
        if (ownKey(check.key)) void store.delete(check.key).catch(() => undefined); // lazy clean-up
        return page(410, vi.exports.link.expired);
      }
      return page(404, vi.exports.link.notFound);
    }
    const { k: key, n: name, m: mime } = check.payload;
    if (!ownKey(key)) return page(404, vi.exports.link.notFound);
    let data: Uint8Array;
    try {
      data = await store.get(key);
    } catch (err) {
      if (err instanceof FileNotFoundError) return page(404, vi.exports.link.notFound);
      throw err;
    }
    const contentType = SAFE_MIME.test(mime) ? mime : "application/octet-stream";
    return {
      status: 200,
      body: data,
      headers: {
        "content-type": contentType,
        // Charts open in the phone's browser; spreadsheets (and anything scriptable, such as SVG) download.
        "content-disposition": contentDisposition(name, /^image\/(?:png|jpeg|gif|webp)$/.test(contentType)),
        "cache-control": "private, no-store",
        "x-content-type-options": "nosniff",
        "content-security-policy": "default-src 'none'; sandbox",
      },
    };
  }

  return {
    link: makeLink,
    route: {
      method: "GET",
      path: FILE_ROUTE_PREFIX,
      prefix: true,
      handle: (req) => serve(req.path.slice(FILE_ROUTE_PREFIX.length).split("/")[0] ?? ""),
    },
  };
}

/**
 * The adapter's `fileLink`: a failed upload is logged and the user gets the
 * "file not sent" note, rather than the whole reply failing.
 */
export function fileLinkFor(links: FileLinks, ttlMs: number, logger: Pick<ChannelLogger, "warn">): (file: LinkedFile) => Promise<string | undefined> {
  return async (file) => {
    try {
      return await links.link(file, ttlMs);
    } catch (err) {
      logger.warn({ err: err instanceof Error ? err.name : "unknown", sizeBytes: file.data.byteLength }, "file link failed");
      return undefined;
    }
  };
}

export const SECRET_FILE = "secret";

/**
 * A secret kept in `${dataDir}/${file}` (the file-link secret by default,
 * also the sandbox key), made on first start (32 random bytes, mode 0600).
 * Only for a single process: separate processes must share FILE_LINK_SECRET,
 * which the configuration enforces.
 */
export async function loadOrCreateSecret(dataDir: string, file = SECRET_FILE): Promise<string> {
  const path = join(dataDir, file);
  const read = async () => (await readFile(path, "utf8")).trim();
  try {
    const s = await read();
    if (s.length >= 32) return s;
    throw new Error(`${path} holds a secret shorter than 32 characters; delete it${file === SECRET_FILE ? " or set FILE_LINK_SECRET" : ""}`);
  } catch (err) {
    if ((err as { code?: unknown }).code !== "ENOENT") throw err;
  }
  await mkdir(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  // Written aside and hard-linked into place, so no one ever reads a half-written file.
  const tmp = `${path}.tmp-${randomBytes(6).toString("hex")}`;
  await writeFile(tmp, secret + "\n", { flag: "wx", mode: 0o600 });
  try {
    await link(tmp, path);
    return secret;
  } catch (err) {
    // Another start wrote it first: use theirs.
    if ((err as { code?: unknown }).code === "EEXIST") return await read();
    throw err;
  } finally {
    await rm(tmp, { force: true });
  }
}
