// FileStore on any S3-compatible object storage, with plain fetch and SigV4:
// PUT, GET, HEAD and DELETE of single objects, nothing else. Error messages
// name the operation, status and S3 error code only: never the credentials.
import type { S3Config } from "../config.ts";
import { assertValidStorageKey, FileNotFoundError, FileStoreError } from "./errors.ts";
import { EMPTY_SHA256, sha256Hex, signV4 } from "./sigv4.ts";
import type { FileStore } from "./storage.ts";

export interface S3FileStoreOptions extends S3Config {
  fetch?: typeof globalThis.fetch;
  /** Per request. Default 120 s (a 50 MB upload on a slow line). */
  timeoutMs?: number;
  /** Signing clock; S3 refuses requests more than 15 minutes off. */
  now?: () => Date;
}

function encodeKey(key: string): string {
  return key.split("/").map(encodeURIComponent).join("/");
}

export function objectUrl(cfg: Pick<S3Config, "endpoint" | "bucket" | "forcePathStyle">, key: string): URL {
  const base = new URL(cfg.endpoint);
  const prefix = base.pathname.replace(/\/+$/, "");
  if (cfg.forcePathStyle) {
    base.pathname = `${prefix}/${cfg.bucket}/${encodeKey(key)}`;
  } else {
    base.hostname = `${cfg.bucket}.${base.hostname}`;
    base.pathname = `${prefix}/${encodeKey(key)}`;
  }
  base.search = "";
  base.hash = "";
  return base;
}

/** The <Code> of an S3 XML error body, when there is one. */
function s3Code(body: string): string | undefined {
  return /<Code>([A-Za-z0-9.]{1,64})<\/Code>/.exec(body)?.[1];
}

export function createS3FileStore(opts: S3FileStoreOptions): FileStore {
  const doFetch = opts.fetch ?? globalThis.fetch;
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const now = opts.now ?? (() => new Date());
  const creds = { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey, region: opts.region };

  async function request(
    op: "put" | "get" | "head" | "delete",
    key: string,
    body?: { data: Uint8Array; mimeType: string },
  ): Promise<Response> {
    assertValidStorageKey(key);
    const url = objectUrl(opts, key);
    const method = op.toUpperCase();
    const extra: Record<string, string> = body !== undefined ? { "content-type": body.mimeType } : {};
    const signed = signV4({ method, url, headers: extra, payloadHash: body !== undefined ? sha256Hex(body.data) : EMPTY_SHA256 }, creds, now());
    try {
      return await doFetch(url, {
        method,
        headers: signed.headers,
        ...(body !== undefined && { body: body.data }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const code = (err as { cause?: { code?: unknown } }).cause?.code;
      const reason = (err as { name?: unknown }).name === "TimeoutError" ? "timeout" : typeof code === "string" ? code : "network";
      throw new FileStoreError(`s3 ${op} ${key}: ${reason}`, true);
    }
  }

  async function failure(op: string, key: string, res: Response): Promise<FileStoreError> {
    const text = op === "head" ? "" : await res.text().catch(() => "");
    const code = s3Code(text);
    // 403 is usually a wrong key or clock skew: retrying after a fix can work, but not by itself.
    const transient = res.status === 429 || res.status >= 500;
    return new FileStoreError(`s3 ${op} ${key}: HTTP ${res.status}${code !== undefined ? ` ${code}` : ""}`, transient);
  }

  return {
    async put(key, data, meta) {
      const res = await request("put", key, { data, mimeType: meta.mimeType });
      if (!res.ok) throw await failure("put", key, res);
      await res.body?.cancel();
    },
    async get(key) {
      const res = await request("get", key);
      if (res.status === 404) {
        await res.body?.cancel();
        throw new FileNotFoundError(key);
      }
      if (!res.ok) throw await failure("get", key, res);
      return new Uint8Array(await res.arrayBuffer());
    },
    async exists(key) {
      const res = await request("head", key);
      await res.body?.cancel();
      if (res.status === 404) return false;
      if (!res.ok) throw await failure("head", key, res);
      return true;
    },
    async delete(key) {
      const res = await request("delete", key);
      if (res.status === 404) {
        await res.body?.cancel();
        return;
      }
      if (!res.ok) throw await failure("delete", key, res);
      await res.body?.cancel();
    },
  };
}
