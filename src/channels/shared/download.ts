// An HTTP GET that never holds more than maxBytes in memory: the declared
// Content-Length is checked first, then the stream is counted as it arrives,
// because a server may omit or misstate the length.
import { DownloadError, FileTooLargeError } from "../channel.ts";

export interface FetchCappedOptions {
  maxBytes: number;
  fetch?: typeof globalThis.fetch;
  /** Whole download, headers to last byte. Default 120 s (20 MB on a slow line). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface FetchedBytes {
  data: Uint8Array;
  contentType?: string;
}

function failure(kind: "transient" | "permanent", reason: string): DownloadError {
  return new DownloadError({ kind, reason });
}

function statusFailure(status: number): DownloadError {
  if (status === 404 || status === 410) return failure("permanent", "not_found");
  if (status === 401 || status === 403) return failure("permanent", "forbidden");
  if (status === 429 || status >= 500) return failure("transient", `http_${status}`);
  return failure("permanent", `http_${status}`);
}

/** Errors carry only a reason code: fetch messages can quote the URL, which may hold a token. */
export async function fetchCapped(url: string, opts: FetchCappedOptions): Promise<FetchedBytes> {
  const doFetch = opts.fetch ?? globalThis.fetch;
  const timeout = AbortSignal.timeout(opts.timeoutMs ?? 120_000);
  const signal = opts.signal !== undefined ? AbortSignal.any([opts.signal, timeout]) : timeout;
  const aborted = (): DownloadError => failure("transient", timeout.aborted ? "timeout" : "aborted");

  let res: Response;
  try {
    res = await doFetch(url, { method: "GET", signal, redirect: "follow" });
  } catch (err) {
    if (signal.aborted) throw aborted();
    const code = (err as { cause?: { code?: unknown } }).cause?.code;
    throw failure("transient", typeof code === "string" ? code : "network");
  }
  const body = res.body;
  if (!res.ok) {
    await body?.cancel().catch(() => undefined);
    throw statusFailure(res.status);
  }
  const declared = Number(res.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > opts.maxBytes) {
    await body?.cancel().catch(() => undefined);
    throw new FileTooLargeError(opts.maxBytes, declared);
  }
  const contentType = res.headers.get("content-type") ?? undefined;
  if (body === null) return { data: new Uint8Array(0), ...(contentType !== undefined && { contentType }) };

  // undici types the body's chunks as any; they are bytes.
  const reader = (body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > opts.maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new FileTooLargeError(opts.maxBytes);
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof FileTooLargeError) throw err;
    await reader.cancel().catch(() => undefined);
    if (signal.aborted) throw aborted();
    throw failure("transient", "interrupted");
  }
  const data = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    data.set(c, at);
    at += c.byteLength;
  }
  return { data, ...(contentType !== undefined && { contentType }) };
}
