// Telegram ChannelAdapter on grammY's Api class (its HTTP client, not its bot
// runner): ingestion acknowledges an update only after the sink stored it.
//
// Files: getFile, then GET <apiRoot>/file/bot<token>/<file_path>. The cloud
// Bot API lets a bot download files of at most 20 MB (getFile answers "file is
// too big" above that), whatever MAX_FILE_MB says; a self-hosted Bot API server
// lifts the limit, but only when it runs without --local (in --local mode
// file_path is a path on that server's disk, which this adapter cannot read).
import { Api, GrammyError, InputFile } from "grammy";
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
import { telegramDownloadError, telegramSendError } from "./errors.ts";
import { telegramEnvelope, telegramToInbound } from "./inbound.ts";
import { planTelegramCalls } from "./render.ts";
import { allowedUpdates, tgWebhookBody } from "./schema.ts";

export interface TelegramAdapterDeps {
  token: string;
  /** Default https://api.telegram.org; tests point it at the emulator. */
  apiRoot?: string;
  webhookUrl?: string;
  webhookSecret?: string;
  logger: ChannelLogger;
  /** Long-poll timeout passed to getUpdates. Default 30 s. */
  pollTimeoutSec?: number;
  /** Pacing after poll errors. Default 1 s doubling to 30 s. */
  backoff?: BackoffOptions;
  /** For file downloads; tests may pass their own. */
  fetch?: typeof globalThis.fetch;
}

export const SECRET_HEADER = "x-telegram-bot-api-secret-token";

export function createTelegramAdapter(deps: TelegramAdapterDeps): ChannelAdapter {
  const { token, logger } = deps;
  // grammY refuses a trailing slash; an empty value means the default.
  const apiRoot = deps.apiRoot?.replace(/\/+$/, "");
  const api = new Api(token, apiRoot !== undefined && apiRoot !== "" ? { apiRoot } : undefined);
  const pollTimeoutSec = deps.pollTimeoutSec ?? 30;
  let username: string | undefined;

  async function sendOne(chatId: string, call: ReturnType<typeof planTelegramCalls>[number]): Promise<string> {
    const markup = call.reply_markup !== undefined ? { reply_markup: call.reply_markup } : {};
    if (call.method === "sendMessage") {
      const m = await api.sendMessage(chatId, call.text, markup);
      return String(m.message_id);
    }
    const file = new InputFile(call.file.data, call.file.fileName);
    const options = { ...markup, ...(call.caption !== undefined && { caption: call.caption }) };
    const m = call.method === "sendPhoto" ? await api.sendPhoto(chatId, file, options) : await api.sendDocument(chatId, file, options);
    return String(m.message_id);
  }

  async function send(chatId: string, message: OutboundMessage, options?: SendOptions): Promise<string[]> {
    const calls = planTelegramCalls(message); // throws on programming errors, before any call
    const fromPart = options?.fromPart ?? 0;
    const ids: string[] = [];
    for (const call of calls.slice(fromPart)) {
      try {
        ids.push(await sendOne(chatId, call));
      } catch (err) {
        const { failure } = telegramSendError(err);
        logger.warn({ platform: "TELEGRAM", method: call.method, failure, fromPart, sentParts: ids.length }, "telegram send failed");
        // The parts delivered travel with the error, so a retry starts after them.
        throw new SendError(failure, ids);
      }
    }
    return ids;
  }

  async function poll(sink: UpdateSink, signal: AbortSignal): Promise<void> {
    let offset: number | undefined;
    let failures = 0;
    logger.info({ platform: "TELEGRAM", pollTimeoutSec }, "telegram polling started");
    while (!signal.aborted) {
      try {
        const updates = await api.getUpdates(
          { ...(offset !== undefined && { offset }), timeout: pollTimeoutSec, allowed_updates: [...allowedUpdates] },
          // grammY types the signal with the abort-controller polyfill; the native one works at runtime.
          signal as unknown as Parameters<Api["getUpdates"]>[1],
        );
        const last = updates.at(-1);
        if (last !== undefined) {
          await sink("TELEGRAM", updates);
          // Moving the offset is the acknowledgement: only after the sink stored them.
          offset = last.update_id + 1;
        }
        failures = 0;
      } catch (err) {
        if (isAborted(signal)) break;
        failures += 1;
        const delayMs = backoffDelay(failures, deps.backoff);
        if (err instanceof GrammyError && err.error_code === 409) {
          logger.warn(
            { platform: "TELEGRAM", delayMs, description: err.description },
            "telegram getUpdates conflict: another poller runs or a webhook is set; backing off",
          );
        } else {
          logger.error({ platform: "TELEGRAM", delayMs, failures, ...safeErrorFields(err, token) }, "telegram polling failed; backing off");
        }
        await pause(delayMs, signal);
      }
    }
    logger.info({ platform: "TELEGRAM" }, "telegram polling stopped");
  }

  async function webhook(
    headers: Record<string, string | string[] | undefined>,
    body: unknown,
    sink: UpdateSink,
  ): Promise<number> {
    return receiveWebhook({
      platform: "TELEGRAM",
      secretHeader: SECRET_HEADER,
      secret: deps.webhookSecret,
      headers,
      parse() {
        const parsed = tgWebhookBody.safeParse(body);
        return parsed.success ? { update: body, logFields: { updateId: parsed.data.update_id } } : null;
      },
      sink,
      logger,
      token,
    });
  }

  async function download(file: { fileId: string; sizeBytes?: number }, maxBytes: number): Promise<DownloadedFile> {
    try {
      if (file.sizeBytes !== undefined && file.sizeBytes > maxBytes) throw new FileTooLargeError(maxBytes, file.sizeBytes);
      let info: Awaited<ReturnType<Api["getFile"]>>;
      try {
        info = await api.getFile(file.fileId);
      } catch (err) {
        throw telegramDownloadError(err, maxBytes);
      }
      if (info.file_size !== undefined && info.file_size > maxBytes) throw new FileTooLargeError(maxBytes, info.file_size);
      if (info.file_path === undefined || info.file_path === "") {
        throw new DownloadError({ kind: "permanent", reason: "no_file_path" });
      }
      // Holds the token: never logged, and fetchCapped's errors never quote it.
      const url = `${apiRoot !== undefined && apiRoot !== "" ? apiRoot : "https://api.telegram.org"}/file/bot${token}/${info.file_path}`;
      const got = await fetchCapped(url, { maxBytes, ...(deps.fetch !== undefined && { fetch: deps.fetch }) });
      // Telegram serves everything as octet-stream; that says nothing about the file.
      const mimeType = got.contentType?.split(";")[0]?.trim();
      return { data: got.data, ...(mimeType !== undefined && mimeType !== "application/octet-stream" && { mimeType }) };
    } catch (err) {
      const fields = err instanceof DownloadError ? { failure: err.failure } : err instanceof FileTooLargeError ? { tooLarge: true, maxBytes } : safeErrorFields(err, token);
      // A file over the limit is the user's choice, not a fault: it is told, not alarmed on.
      (err instanceof FileTooLargeError ? logger.info : logger.warn)({ platform: "TELEGRAM", ...fields }, "telegram download failed");
      throw err;
    }
  }

  async function configureDelivery(): Promise<void> {
    if (deps.webhookUrl !== undefined && deps.webhookUrl !== "") {
      if (deps.webhookSecret === undefined || deps.webhookSecret === "") {
        throw new Error("Telegram webhook needs a secret (webhookSecret) so forged updates are refused");
      }
      await api.setWebhook(deps.webhookUrl, {
        secret_token: deps.webhookSecret,
        allowed_updates: [...allowedUpdates],
        drop_pending_updates: false,
      });
      logger.info({ platform: "TELEGRAM", mode: "webhook" }, "telegram webhook set");
    } else {
      await api.deleteWebhook({ drop_pending_updates: false });
      logger.info({ platform: "TELEGRAM", mode: "polling" }, "telegram webhook removed for polling");
    }
  }

  return {
    platform: "TELEGRAM",
    envelope: telegramEnvelope,
    toInbound: telegramToInbound,
    send,
    async answerChoice(callbackQueryId: string): Promise<void> {
      try {
        await api.answerCallbackQuery(callbackQueryId);
      } catch (err) {
        // Best effort: an expired query only leaves a spinner on the user's screen.
        logger.debug({ platform: "TELEGRAM", ...safeErrorFields(err, token) }, "answerCallbackQuery failed");
      }
    },
    poll,
    webhook,
    configureDelivery,
    download,
    async describe(): Promise<{ username?: string }> {
      if (username === undefined) {
        try {
          username = (await api.getMe()).username;
        } catch (err) {
          logger.warn({ platform: "TELEGRAM", ...safeErrorFields(err, token) }, "telegram getMe failed");
          return {};
        }
      }
      return { username };
    },
  };
}
