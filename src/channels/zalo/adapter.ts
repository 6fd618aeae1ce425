// Zalo ChannelAdapter. Zalo's getUpdates hands out one update per call and has
// no offset: once returned, Zalo forgets it. So the poll loop keeps the update
// in memory and retries the sink until it is stored, before asking for more.
//
// Files: the Zalo Bot Platform delivers images only (message.image.received,
// with a URL on Zalo's CDN); documents arrive as message.unsupported.received
// and cannot be fetched, so officials on Zalo send a photo of the signed page.
// download() fetches that URL with the size cap; fileId is the URL.
import {
  DownloadError,
  FileTooLargeError,
  SendError,
  type ChannelAdapter,
  type DownloadedFile,
  type OutboundMessage,
  type SendOptions,
  type UpdateSink,
} from "../channel.ts";
import { fetchCapped } from "../shared/download.ts";
import { backoffDelay, isAborted, pause, type BackoffOptions } from "../shared/backoff.ts";
import type { ChannelLogger } from "../shared/logger.ts";
import { safeErrorFields } from "../shared/redact.ts";
import { receiveWebhook } from "../shared/webhook.ts";
import { createZaloApi, ZaloApiError, type ZaloApi } from "./api.ts";
import { zaloSendError } from "./errors.ts";
import { zaloEnvelope, zaloToInbound } from "./inbound.ts";
import { planZaloCalls, ZALO_TEXT_LIMIT } from "./render.ts";
import { unwrapZaloUpdate, zaloUpdate, type ZaloUpdate } from "./schema.ts";

export type OutboundFile = NonNullable<OutboundMessage["file"]>;

export interface ZaloAdapterDeps {
  token: string;
  apiRoot?: string;
  webhookUrl?: string;
  webhookSecret?: string;
  logger: ChannelLogger;
  /** Long-poll timeout passed to getUpdates. Default 30 s. */
  pollTimeoutSec?: number;
  /** Zalo's text limit. Default 2000. */
  maxTextLength?: number;
  /**
   * Zalo cannot send documents. When given, this returns a download link for
   * the file (e.g. a signed web URL); otherwise the user is told to fetch it
   * on the web or Telegram.
   */
  fileLink?: (file: OutboundFile) => Promise<string | undefined>;
  /** Pacing after poll errors. Default 1 s doubling to 30 s. */
  backoff?: BackoffOptions;
  /** For tests: a ready client instead of one built from token/apiRoot. */
  api?: ZaloApi;
  fetch?: typeof globalThis.fetch;
}

export const SECRET_HEADER = "x-bot-api-secret-token";

function lastSegment(url: URL): string {
  const raw = url.pathname.split("/").at(-1) ?? "";
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw; // a malformed escape: keep it as it is
  }
}

/** Only http(s) URLs are fetched: a file id is never a path or another scheme. */
function imageUrl(fileId: string): URL | null {
  try {
    const url = new URL(fileId);
    return url.protocol === "https:" || url.protocol === "http:" ? url : null;
  } catch {
    return null;
  }
}

export function createZaloAdapter(deps: ZaloAdapterDeps): ChannelAdapter {
  const { token, logger } = deps;
  const api =
    deps.api ??
    createZaloApi({
      token,
      ...(deps.apiRoot !== undefined && { apiRoot: deps.apiRoot }),
      ...(deps.fetch !== undefined && { fetch: deps.fetch }),
    });
  const pollTimeoutSec = deps.pollTimeoutSec ?? 30;
  const maxTextLength = deps.maxTextLength ?? ZALO_TEXT_LIMIT;
  let username: string | undefined;

  async function send(chatId: string, message: OutboundMessage, options?: SendOptions): Promise<string[]> {
    const url = message.file !== undefined && deps.fileLink !== undefined ? await deps.fileLink(message.file) : undefined;
    const calls = planZaloCalls(message, url, maxTextLength); // throws on programming errors, before any call
    const fromPart = options?.fromPart ?? 0;
    const ids: string[] = [];
    const attempt = async (method: string, fn: () => Promise<{ message_id: string }>): Promise<void> => {
      try {
        ids.push((await fn()).message_id);
      } catch (err) {
        const { failure } = zaloSendError(err);
        logger.warn({ platform: "ZALO", method, failure, fromPart, sentParts: ids.length }, "zalo send failed");
        // The parts delivered travel with the error, so a retry starts after them.
        throw new SendError(failure, ids);
      }
    };
    for (const call of calls.slice(fromPart)) {
      if (call.method === "sendPhoto") await attempt(call.method, () => api.sendPhoto({ chat_id: chatId, photo: call.photo }));
      else await attempt(call.method, () => api.sendMessage({ chat_id: chatId, text: call.text }));
    }
    return ids;
  }

  async function poll(sink: UpdateSink, signal: AbortSignal): Promise<void> {
    let pending: ZaloUpdate | null = null;
    let failures = 0;
    logger.info({ platform: "ZALO", pollTimeoutSec }, "zalo polling started");
    while (!signal.aborted) {
      try {
        if (pending === null) {
          pending = await api.getUpdates({ timeout: String(pollTimeoutSec) }, signal);
          if (pending === null) {
            failures = 0;
            continue; // 408: the poll timed out with nothing new
          }
        }
        await sink("ZALO", [pending]);
        pending = null;
        failures = 0;
      } catch (err) {
        if (isAborted(signal)) break;
        failures += 1;
        const delayMs = backoffDelay(failures, deps.backoff);
        const stage = pending === null ? "getUpdates" : "sink";
        logger.error({ platform: "ZALO", stage, delayMs, failures, ...safeErrorFields(err, token) }, "zalo polling failed; backing off");
        await pause(delayMs, signal);
      }
    }
    if (pending !== null) {
      // Zalo will not hand it out again: this is the one loss polling cannot avoid.
      const env = zaloEnvelope(pending);
      logger.error({ platform: "ZALO", updateKey: env?.updateKey }, "zalo polling stopped with an update not stored");
    }
    logger.info({ platform: "ZALO" }, "zalo polling stopped");
  }

  async function webhook(
    headers: Record<string, string | string[] | undefined>,
    body: unknown,
    sink: UpdateSink,
  ): Promise<number> {
    return receiveWebhook({
      platform: "ZALO",
      secretHeader: SECRET_HEADER,
      secret: deps.webhookSecret,
      headers,
      parse() {
        const update = unwrapZaloUpdate(body);
        const parsed = zaloUpdate.safeParse(update);
        return parsed.success ? { update, logFields: { event: parsed.data.event_name } } : null;
      },
      sink,
      logger,
      token,
    });
  }

  async function download(file: { fileId: string; sizeBytes?: number }, maxBytes: number): Promise<DownloadedFile> {
    try {
      if (file.sizeBytes !== undefined && file.sizeBytes > maxBytes) throw new FileTooLargeError(maxBytes, file.sizeBytes);
      const url = imageUrl(file.fileId);
      if (url === null) throw new DownloadError({ kind: "permanent", reason: "not_a_file_url" });
      const got = await fetchCapped(url.href, { maxBytes, ...(deps.fetch !== undefined && { fetch: deps.fetch }) });
      const mimeType = got.contentType?.split(";")[0]?.trim();
      const name = lastSegment(url);
      return {
        data: got.data,
        ...(mimeType !== undefined && mimeType !== "" && mimeType !== "application/octet-stream" && { mimeType }),
        ...(/^[^/\\]+\.[A-Za-z0-9]{1,5}$/.test(name) && { fileName: name }),
      };
    } catch (err) {
      // The CDN URL is not secret, but it is the user's content: log only the reason.
      const fields = err instanceof DownloadError ? { failure: err.failure } : err instanceof FileTooLargeError ? { tooLarge: true, maxBytes } : safeErrorFields(err, token);
      // A file over the limit is the user's choice, not a fault: it is told, not alarmed on.
      (err instanceof FileTooLargeError ? logger.info : logger.warn)({ platform: "ZALO", ...fields }, "zalo download failed");
      throw err;
    }
  }

  async function configureDelivery(): Promise<void> {
    if (deps.webhookUrl !== undefined && deps.webhookUrl !== "") {
      const secret = deps.webhookSecret ?? "";
      if (secret.length < 8 || secret.length > 256) {
        throw new Error("Zalo webhook needs a secret of 8-256 characters (webhookSecret)");
      }
      await api.setWebhook({ url: deps.webhookUrl, secret_token: secret });
      logger.info({ platform: "ZALO", mode: "webhook" }, "zalo webhook set");
    } else {
      await api.deleteWebhook();
      logger.info({ platform: "ZALO", mode: "polling" }, "zalo webhook removed for polling");
    }
  }

  return {
    platform: "ZALO",
    envelope: zaloEnvelope,
    toInbound: zaloToInbound,
    send,
    poll,
    webhook,
    configureDelivery,
    download,
    async describe(): Promise<{ username?: string }> {
      if (username === undefined) {
        try {
          const me = await api.getMe();
          username = me.account_name ?? me.display_name;
        } catch (err) {
          const fields = err instanceof ZaloApiError ? { errorCode: err.errorCode } : safeErrorFields(err, token);
          logger.warn({ platform: "ZALO", ...fields }, "zalo getMe failed");
          return {};
        }
      }
      return username !== undefined ? { username } : {};
    },
  };
}
