// A small typed client for the Zalo Bot Platform: POST <apiRoot>/bot<TOKEN>/<method>
// with a JSON body; every reply is {ok, result, error_code, description}.
import type { z } from "zod";
import {
  zaloBotInfo,
  zaloReply,
  zaloSent,
  zaloUpdate,
  zaloWebhookInfo,
  unwrapZaloUpdate,
  type ZaloBotInfo,
  type ZaloSent,
  type ZaloUpdate,
  type ZaloWebhookInfo,
} from "./schema.ts";

export const ZALO_API_ROOT = "https://bot-api.zaloplatforms.com";

/** The API answered with ok:false (or a non-JSON HTTP error). Never carries the token. */
export class ZaloApiError extends Error {
  constructor(
    readonly method: string,
    readonly errorCode: number,
    readonly description: string,
    readonly httpStatus: number,
    readonly retryAfterSec?: number,
  ) {
    super(`Zalo ${method} failed (${errorCode}: ${description})`);
    this.name = "ZaloApiError";
  }
}

/** The request did not get an answer: connection refused, reset, timeout. */
export class ZaloNetworkError extends Error {
  constructor(
    readonly method: string,
    readonly reason: string,
  ) {
    super(`Zalo ${method}: network error (${reason})`);
    this.name = "ZaloNetworkError";
  }
}

export interface ZaloApiDeps {
  token: string;
  apiRoot?: string;
  fetch?: typeof globalThis.fetch;
  /** Per-request timeout for calls other than getUpdates. Default 30 s. */
  requestTimeoutMs?: number;
}

export interface ZaloApi {
  getMe(signal?: AbortSignal): Promise<ZaloBotInfo>;
  /** One update, or null when the long poll ended with nothing new (error 408 or an empty result). */
  getUpdates(params: { timeout?: string }, signal?: AbortSignal): Promise<ZaloUpdate | null>;
  setWebhook(params: { url: string; secret_token: string }, signal?: AbortSignal): Promise<ZaloWebhookInfo>;
  deleteWebhook(signal?: AbortSignal): Promise<ZaloWebhookInfo>;
  getWebhookInfo(signal?: AbortSignal): Promise<ZaloWebhookInfo>;
  sendMessage(params: { chat_id: string; text: string }, signal?: AbortSignal): Promise<ZaloSent>;
  sendPhoto(params: { chat_id: string; photo: string; caption?: string }, signal?: AbortSignal): Promise<ZaloSent>;
  sendChatAction(params: { chat_id: string; action: "typing" | "upload_photo" }, signal?: AbortSignal): Promise<void>;
}

export function createZaloApi(deps: ZaloApiDeps): ZaloApi {
  const root = (deps.apiRoot !== undefined && deps.apiRoot !== "" ? deps.apiRoot : ZALO_API_ROOT).replace(/\/+$/, "");
  const doFetch = deps.fetch ?? globalThis.fetch;
  const requestTimeoutMs = deps.requestTimeoutMs ?? 30_000;

  async function call(method: string, body: object, timeoutMs: number, signal?: AbortSignal): Promise<unknown> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal !== undefined ? AbortSignal.any([signal, timeout]) : timeout;
    let res: Response;
    let text: string;
    try {
      res = await doFetch(`${root}/bot${deps.token}/${method}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: combined,
      });
      text = await res.text();
    } catch (err) {
      // Only a code leaves here: fetch error messages and causes may quote the URL, hence the token.
      if (signal?.aborted === true) throw new ZaloNetworkError(method, "aborted");
      if (timeout.aborted) throw new ZaloNetworkError(method, "timeout");
      const cause = (err as { cause?: { code?: unknown } }).cause;
      throw new ZaloNetworkError(method, typeof cause?.code === "string" ? cause.code : "fetch_failed");
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ZaloApiError(method, res.status, res.ok ? "non-JSON reply" : res.statusText, res.status);
    }
    const reply = zaloReply.safeParse(json);
    if (!reply.success) throw new ZaloApiError(method, res.status, "unexpected reply shape", res.status);
    const r = reply.data;
    if (!r.ok) {
      throw new ZaloApiError(
        method,
        r.error_code ?? res.status,
        r.description ?? "",
        res.status,
        r.parameters?.retry_after,
      );
    }
    return r.result;
  }

  function parsed<T extends z.ZodType>(method: string, schema: T, value: unknown): z.infer<T> {
    const r = schema.safeParse(value);
    if (!r.success) throw new ZaloApiError(method, 0, "unexpected result shape", 200);
    return r.data;
  }

  return {
    async getMe(signal) {
      return parsed("getMe", zaloBotInfo, await call("getMe", {}, requestTimeoutMs, signal));
    },
    async getUpdates(params, signal) {
      const pollSec = Number(params.timeout ?? "30");
      let result: unknown;
      try {
        // The server holds the request up to `timeout` seconds; allow some slack on top.
        result = await call("getUpdates", params, (Number.isFinite(pollSec) ? pollSec : 30) * 1000 + 15_000, signal);
      } catch (err) {
        if (err instanceof ZaloApiError && err.errorCode === 408) return null;
        throw err;
      }
      if (result === undefined || result === null) return null;
      if (typeof result === "object" && Object.keys(result).length === 0) return null;
      return parsed("getUpdates", zaloUpdate, unwrapZaloUpdate(result));
    },
    async setWebhook(params, signal) {
      return parsed("setWebhook", zaloWebhookInfo, (await call("setWebhook", params, requestTimeoutMs, signal)) ?? {});
    },
    async deleteWebhook(signal) {
      return parsed("deleteWebhook", zaloWebhookInfo, (await call("deleteWebhook", {}, requestTimeoutMs, signal)) ?? {});
    },
    async getWebhookInfo(signal) {
      return parsed("getWebhookInfo", zaloWebhookInfo, (await call("getWebhookInfo", {}, requestTimeoutMs, signal)) ?? {});
    },
    async sendMessage(params, signal) {
      return parsed("sendMessage", zaloSent, await call("sendMessage", params, requestTimeoutMs, signal));
    },
    async sendPhoto(params, signal) {
      return parsed("sendPhoto", zaloSent, await call("sendPhoto", params, requestTimeoutMs, signal));
    },
    async sendChatAction(params, signal) {
      await call("sendChatAction", params, requestTimeoutMs, signal);
    },
  };
}
