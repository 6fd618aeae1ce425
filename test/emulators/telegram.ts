// A Telegram Bot API emulator on a real HTTP server, so grammY's own HTTP code
// runs against it. Implements what the bot uses: long polling with offsets and
// 409 conflicts, webhooks with the secret header and retries, sends with the
// errors Telegram gives (blocked, chat not found, 429), a call log, and files:
// getFile plus GET /file/bot<token>/<file_path> for bytes a test registers.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  CallLog,
  jsonParam,
  numParam,
  RateLimiter,
  readParams,
  sendJson,
  strParam,
  type RateLimits,
  type UploadedFile,
} from "./common.ts";

export type TgUpdateJson = { update_id: number } & Record<string, unknown>;

export interface TgUserJson {
  id: number;
  is_bot?: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
}

export interface TelegramEmulatorOptions {
  token?: string;
  /** Off by default. When exceeded, sends answer 429 with parameters.retry_after. */
  limits?: RateLimits;
  /** Delays between webhook delivery attempts; after the last one the update is dropped. */
  webhookRetryDelaysMs?: number[];
  /** getFile answers "file is too big" above this, as the cloud Bot API does. Default 20 MB. */
  maxGetFileBytes?: number;
}

export interface TgFileJson {
  file_id: string;
  file_unique_id: string;
  file_size?: number;
  file_path: string;
}

export interface TgFileOptions {
  /** File extension of file_path, e.g. "pdf". Default "bin". */
  ext?: string;
  /** Folder of file_path, as Telegram uses: documents, photos. Default documents. */
  dir?: string;
  /**
   * false: getFile omits file_size and the download is sent chunked without a
   * Content-Length, so only the streamed bytes show the size. Default true.
   */
  declareSize?: boolean;
}

export interface TgDocumentInput extends TgFileOptions {
  fileName: string;
  mimeType: string;
  data: Uint8Array;
  caption?: string;
}

export interface TgCall {
  method: string;
  /** Whether the emulator answered ok. */
  ok: boolean;
  error_code?: number;
  chat_id?: string;
  text?: string;
  caption?: string;
  reply_markup?: unknown;
  document?: UploadedFile;
  /** sendPhoto's picture, as uploaded. */
  photo?: UploadedFile;
  message_id?: number;
  params: Record<string, unknown>;
  at: number;
}

export interface TgWebhookDelivery {
  update_id: number;
  attempt: number;
  /** HTTP status of the bot's reply, or 0 when the request failed. */
  status: number;
  at: number;
}

export interface TelegramEmulator {
  apiRoot: string;
  token: string;
  /** Ends held long polls and webhook retries, then closes the server. */
  close(): Promise<void>;
  /** Queues an update; update_id is assigned in increasing order. */
  injectUpdate(partial: Record<string, unknown>): TgUpdateJson;
  userSends(chatId: number, text: string, from?: Partial<TgUserJson>): TgUpdateJson;
  userTaps(chatId: number, data: string, opts?: { messageId?: number; from?: Partial<TgUserJson> }): TgUpdateJson;
  /** Stores bytes the bot can fetch with getFile and the file route. */
  registerFile(data: Uint8Array, opts?: TgFileOptions): TgFileJson;
  /** A message with a document whose bytes the emulator serves. */
  userSendsDocument(chatId: number, doc: TgDocumentInput, from?: Partial<TgUserJson>): TgUpdateJson;
  /** A photo message (a thumbnail and the full size); the full size is `data`. */
  userSendsPhoto(chatId: number, data: Uint8Array, opts?: TgFileOptions & { caption?: string; from?: Partial<TgUserJson> }): TgUpdateJson;
  /** file_path of every file download served, in order. */
  fileDownloads: string[];
  /** Successful calls other than getUpdates, in order. */
  sent: TgCall[];
  /** Every call other than getUpdates, including refused ones. */
  calls: TgCall[];
  messagesTo(chatId: number | string): TgCall[];
  /** Resolves with the first successful call, past or future, that matches. */
  waitFor(predicate: (call: TgCall) => boolean, timeoutMs?: number): Promise<TgCall>;
  /** Resolves once getUpdates confirmed (dropped) the update via its offset, or a webhook took it. */
  waitForConfirmed(updateId: number, timeoutMs?: number): Promise<void>;
  waitForDelivery(predicate: (d: TgWebhookDelivery) => boolean, timeoutMs?: number): Promise<TgWebhookDelivery>;
  deliveries: TgWebhookDelivery[];
  /** Updates not yet confirmed. */
  pendingUpdates(): TgUpdateJson[];
  webhook(): { url: string; secret?: string } | null;
  /** sendMessage and friends to these chats answer 403 "bot was blocked by the user". */
  blockedChats: Set<string>;
  /** ... and to these 400 "chat not found". */
  unknownChats: Set<string>;
  /** The next call of `method` fails with this error (once). */
  failNext(method: string, error: { error_code: number; description: string; retry_after?: number }): void;
  /** getUpdates requests answered 409 so far. */
  conflicts(): number;
  /** getUpdates requests received, in order. */
  polls: TgPoll[];
  waitForPoll(predicate: (p: TgPoll) => boolean, timeoutMs?: number): Promise<TgPoll>;
}

export interface TgPoll {
  seq: number;
  offset?: number;
  timeout: number;
  at: number;
}

const sendMethods = new Set(["sendMessage", "sendDocument", "sendPhoto", "copyMessage", "forwardMessage"]);

const BOT_USER = { id: 7000000001, is_bot: true, first_name: "Báo cáo", username: "baocao_test_bot" };

interface HeldPoll {
  res: ServerResponse;
  offset: number | undefined;
  limit: number;
  allowed: string[] | undefined;
  timer: NodeJS.Timeout;
}

export async function startTelegramEmulator(opts: TelegramEmulatorOptions = {}): Promise<TelegramEmulator> {
  const token = opts.token ?? "123456789:TEST_telegram_token";
  const retryDelays = opts.webhookRetryDelaysMs ?? [20, 50, 100, 200, 400];
  const limiter = new RateLimiter(opts.limits);
  const sent = new CallLog<TgCall>();
  const calls = new CallLog<TgCall>();
  const deliveries = new CallLog<TgWebhookDelivery>();
  const confirmed = new CallLog<number>();
  const polls = new CallLog<TgPoll>();
  const blockedChats = new Set<string>();
  const unknownChats = new Set<string>();
  const failures = new Map<string, { error_code: number; description: string; retry_after?: number }>();

  const maxGetFileBytes = opts.maxGetFileBytes ?? 20 * 1024 * 1024;
  const files = new Map<string, { file: TgFileJson; data: Uint8Array; declareSize: boolean }>();
  const fileDownloads: string[] = [];
  let nextFileId = 1;

  let queue: TgUpdateJson[] = [];
  let nextUpdateId = 100_001;
  let nextMessageId = 1;
  let nextCallbackId = 1;
  let held: HeldPoll | null = null;
  let conflictCount = 0;
  let hook: { url: string; secret?: string } | null = null;
  let closed = false;
  // Webhook delivery: one request at a time, in order, like a single connection.
  let delivering = false;
  let retryTimer: NodeJS.Timeout | undefined;
  const inflight = new Set<AbortController>();

  function confirmUpTo(offset: number): void {
    const dropped = queue.filter((u) => u.update_id < offset);
    queue = queue.filter((u) => u.update_id >= offset);
    for (const u of dropped) confirmed.push(u.update_id);
  }

  function updateType(u: TgUpdateJson): string | undefined {
    return Object.keys(u).find((k) => k !== "update_id");
  }

  function available(offset: number | undefined, limit: number, allowed: string[] | undefined): TgUpdateJson[] {
    if (offset !== undefined) confirmUpTo(offset);
    if (allowed !== undefined && allowed.length > 0) {
      // Telegram never delivers kinds the bot did not ask for.
      const skipped = queue.filter((u) => !allowed.includes(updateType(u) ?? ""));
      queue = queue.filter((u) => !skipped.includes(u));
      for (const u of skipped) confirmed.push(u.update_id);
    }
    return queue.slice(0, limit);
  }

  function answerHeld(): void {
    if (held === null) return;
    const updates = available(held.offset, held.limit, held.allowed);
    if (updates.length === 0 && !closed) return;
    const h = held;
    held = null;
    clearTimeout(h.timer);
    sendJson(h.res, 200, { ok: true, result: updates });
  }

  function getUpdates(params: Record<string, unknown>, res: ServerResponse): void {
    if (hook !== null) {
      conflictCount += 1;
      sendJson(res, 409, {
        ok: false,
        error_code: 409,
        description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      });
      return;
    }
    if (held !== null) {
      conflictCount += 1;
      sendJson(res, 409, {
        ok: false,
        error_code: 409,
        description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
      });
      return;
    }
    const offset = numParam(params.offset);
    const limit = Math.min(100, Math.max(1, numParam(params.limit) ?? 100));
    const timeoutSec = numParam(params.timeout) ?? 0;
    polls.push({ seq: polls.items.length + 1, ...(offset !== undefined && { offset }), timeout: timeoutSec, at: Date.now() });
    const allowedRaw = jsonParam(params.allowed_updates);
    const allowed = Array.isArray(allowedRaw) ? allowedRaw.map(String) : undefined;
    const updates = available(offset, limit, allowed);
    if (updates.length > 0 || timeoutSec <= 0 || closed) {
      sendJson(res, 200, { ok: true, result: updates });
      return;
    }
    const h: HeldPoll = {
      res,
      offset,
      limit,
      allowed,
      timer: setTimeout(() => {
        if (held === h) held = null;
        sendJson(res, 200, { ok: true, result: [] });
      }, timeoutSec * 1000),
    };
    held = h;
    // The client gave up (aborted): free the slot so the next poll is no conflict.
    res.on("close", () => {
      if (held === h) {
        held = null;
        clearTimeout(h.timer);
      }
    });
  }

  function deliverNext(): void {
    if (delivering || closed || hook === null) return;
    const update = queue[0];
    if (update === undefined) return;
    delivering = true;
    const target = hook;
    const attempt = deliveries.items.filter((d) => d.update_id === update.update_id).length + 1;
    const ac = new AbortController();
    inflight.add(ac);
    const finish = (status: number): void => {
      inflight.delete(ac);
      delivering = false;
      if (closed) return;
      deliveries.push({ update_id: update.update_id, attempt, status, at: Date.now() });
      if (status >= 200 && status < 300) {
        queue = queue.filter((u) => u !== update);
        confirmed.push(update.update_id);
        deliverNext();
        return;
      }
      const delay = retryDelays[attempt - 1];
      if (delay === undefined) {
        queue = queue.filter((u) => u !== update); // Telegram gives up eventually too
        deliverNext();
        return;
      }
      retryTimer = setTimeout(() => {
        retryTimer = undefined;
        deliverNext();
      }, delay);
    };
    fetch(target.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(target.secret !== undefined && { "x-telegram-bot-api-secret-token": target.secret }),
      },
      body: JSON.stringify(update),
      signal: ac.signal,
    }).then(
      async (r) => {
        await r.arrayBuffer();
        finish(r.status);
      },
      () => finish(0),
    );
  }

  function enqueue(update: TgUpdateJson): TgUpdateJson {
    queue.push(update);
    answerHeld();
    deliverNext();
    return update;
  }

  function injectUpdate(partial: Record<string, unknown>): TgUpdateJson {
    const update: TgUpdateJson = { ...partial, update_id: nextUpdateId++ };
    return enqueue(update);
  }

  function user(chatId: number, from?: Partial<TgUserJson>): TgUserJson {
    return { id: chatId > 0 ? chatId : 5000, is_bot: false, first_name: "Nguyễn", last_name: "Văn A", ...from };
  }

  function chat(chatId: number): Record<string, unknown> {
    return chatId > 0
      ? { id: chatId, type: "private", first_name: "Nguyễn", last_name: "Văn A" }
      : { id: chatId, type: "supergroup", title: "Nhóm báo cáo" };
  }

  function userSends(chatId: number, text: string, from?: Partial<TgUserJson>): TgUpdateJson {
    const command = /^\/\w+/.exec(text);
    return injectUpdate({
      message: {
        message_id: nextMessageId++,
        from: user(chatId, from),
        chat: chat(chatId),
        date: Math.floor(Date.now() / 1000),
        text,
        ...(command !== null && { entities: [{ offset: 0, length: command[0].length, type: "bot_command" }] }),
      },
    });
  }

  function userTaps(chatId: number, data: string, o: { messageId?: number; from?: Partial<TgUserJson> } = {}): TgUpdateJson {
    return injectUpdate({
      callback_query: {
        id: String(nextCallbackId++),
        from: user(chatId, o.from),
        chat_instance: "-1",
        data,
        message: {
          message_id: o.messageId ?? nextMessageId++,
          from: BOT_USER,
          chat: chat(chatId),
          date: Math.floor(Date.now() / 1000),
          text: "…",
        },
      },
    });
  }

  function registerFile(data: Uint8Array, o: TgFileOptions = {}): TgFileJson {
    const n = nextFileId++;
    const declareSize = o.declareSize ?? true;
    const file: TgFileJson = {
      file_id: `BQACAgIAAxkBAAI${String(n).padStart(4, "0")}_emulated`,
      file_unique_id: `AgAD${n}`,
      ...(declareSize && { file_size: data.byteLength }),
      file_path: `${o.dir ?? "documents"}/file_${n}.${o.ext ?? "bin"}`,
    };
    files.set(file.file_id, { file, data, declareSize });
    return file;
  }

  function messageBase(chatId: number, from?: Partial<TgUserJson>): Record<string, unknown> {
    return { message_id: nextMessageId++, from: user(chatId, from), chat: chat(chatId), date: Math.floor(Date.now() / 1000) };
  }

  function userSendsDocument(chatId: number, doc: TgDocumentInput, from?: Partial<TgUserJson>): TgUpdateJson {
    const ext = doc.ext ?? /\.([A-Za-z0-9]+)$/.exec(doc.fileName)?.[1] ?? "bin";
    const f = registerFile(doc.data, { ...doc, ext, dir: doc.dir ?? "documents" });
    return injectUpdate({
      message: {
        ...messageBase(chatId, from),
        document: {
          file_id: f.file_id,
          file_unique_id: f.file_unique_id,
          file_name: doc.fileName,
          mime_type: doc.mimeType,
          ...(f.file_size !== undefined && { file_size: f.file_size }),
        },
        ...(doc.caption !== undefined && { caption: doc.caption }),
      },
    });
  }

  function userSendsPhoto(
    chatId: number,
    data: Uint8Array,
    o: TgFileOptions & { caption?: string; from?: Partial<TgUserJson> } = {},
  ): TgUpdateJson {
    const thumb = registerFile(data.subarray(0, Math.min(data.byteLength, 16)), { ext: "jpg", dir: "photos" });
    const full = registerFile(data, { ext: "jpg", dir: "photos", ...o });
    const size = (f: TgFileJson, w: number, h: number) => ({
      file_id: f.file_id,
      file_unique_id: f.file_unique_id,
      width: w,
      height: h,
      ...(f.file_size !== undefined && { file_size: f.file_size }),
    });
    return injectUpdate({
      message: {
        ...messageBase(chatId, o.from),
        photo: [size(thumb, 90, 120), size(full, 960, 1280)],
        ...(o.caption !== undefined && { caption: o.caption }),
      },
    });
  }

  function getFile(call: TgCall, res: ServerResponse): void {
    const entry = files.get(strParam(call.params.file_id) ?? "");
    if (entry === undefined) return fail(res, call, 400, "Bad Request: invalid file_id");
    if (entry.data.byteLength > maxGetFileBytes) return fail(res, call, 400, "Bad Request: file is too big");
    calls.push(call);
    sent.push(call);
    sendJson(res, 200, { ok: true, result: entry.file });
  }

  /** GET /file/bot<token>/<file_path>: what api.telegram.org serves. */
  function serveFile(pathToken: string, filePath: string, res: ServerResponse): void {
    const entry = pathToken === token ? [...files.values()].find((f) => f.file.file_path === filePath) : undefined;
    if (entry === undefined) return sendJson(res, 404, { ok: false, error_code: 404, description: "Not Found" });
    fileDownloads.push(filePath);
    const data = Buffer.from(entry.data);
    if (entry.declareSize) {
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": data.length });
      res.end(data);
      return;
    }
    res.writeHead(200, { "content-type": "application/octet-stream" });
    for (let at = 0; at < data.length; at += 64 * 1024) res.write(data.subarray(at, at + 64 * 1024));
    res.end();
  }

  function fail(res: ServerResponse, call: TgCall, code: number, description: string, retryAfter?: number): void {
    call.ok = false;
    call.error_code = code;
    calls.push(call);
    sendJson(res, code, {
      ok: false,
      error_code: code,
      description,
      ...(retryAfter !== undefined && { parameters: { retry_after: retryAfter } }),
    });
  }

  function validateSend(call: TgCall): string | undefined {
    if (call.chat_id === undefined) return "Bad Request: chat_id is empty";
    if (call.method === "sendMessage") {
      if (call.text === undefined || call.text.trim() === "") return "Bad Request: message text is empty";
      if (call.text.length > 4096) return "Bad Request: message is too long";
    }
    if (call.method === "sendDocument" && call.document === undefined) return "Bad Request: there is no document in the request";
    if (call.method === "sendPhoto" && call.photo === undefined) return "Bad Request: there is no photo in the request";
    if (call.caption !== undefined && call.caption.length > 1024) return "Bad Request: message caption is too long";
    const markup = call.reply_markup as { inline_keyboard?: { callback_data?: string }[][] } | undefined;
    for (const row of markup?.inline_keyboard ?? []) {
      for (const b of row) {
        const n = Buffer.byteLength(b.callback_data ?? "", "utf8");
        if (n < 1 || n > 64) return "Bad Request: BUTTON_DATA_INVALID";
      }
    }
    return undefined;
  }

  function handleMethod(method: string, params: Record<string, unknown>, res: ServerResponse): void {
    if (method === "getUpdates") {
      const f = failures.get(method);
      if (f !== undefined) {
        failures.delete(method);
        sendJson(res, f.error_code, { ok: false, error_code: f.error_code, description: f.description });
        return;
      }
      getUpdates(params, res);
      return;
    }
    const replyMarkup = jsonParam(params.reply_markup);
    const doc = params.document;
    const photo = params.photo;
    const call: TgCall = {
      method,
      ok: true,
      params,
      at: Date.now(),
      ...(strParam(params.chat_id) !== undefined && { chat_id: strParam(params.chat_id) }),
      ...(typeof params.text === "string" && { text: params.text }),
      ...(typeof params.caption === "string" && { caption: params.caption }),
      ...(replyMarkup !== undefined && { reply_markup: replyMarkup }),
      ...(typeof doc === "object" && doc !== null && { document: doc as UploadedFile }),
      ...(typeof photo === "object" && photo !== null && { photo: photo as UploadedFile }),
    };
    const injected = failures.get(method);
    if (injected !== undefined) {
      failures.delete(method);
      fail(res, call, injected.error_code, injected.description, injected.retry_after);
      return;
    }
    const ok = (result: unknown): void => {
      calls.push(call);
      sent.push(call);
      sendJson(res, 200, { ok: true, result });
    };
    if (sendMethods.has(method)) {
      const chatId = call.chat_id ?? "";
      if (blockedChats.has(chatId)) return fail(res, call, 403, "Forbidden: bot was blocked by the user");
      if (unknownChats.has(chatId)) return fail(res, call, 400, "Bad Request: chat not found");
      const invalid = validateSend(call);
      if (invalid !== undefined) return fail(res, call, 400, invalid);
      const wait = limiter.take(chatId);
      if (wait > 0) return fail(res, call, 429, `Too Many Requests: retry after ${wait}`, wait);
      call.message_id = nextMessageId++;
      const numericChat = Number(chatId);
      ok({
        message_id: call.message_id,
        from: BOT_USER,
        chat: chat(Number.isFinite(numericChat) ? numericChat : 0),
        date: Math.floor(Date.now() / 1000),
        ...(call.text !== undefined && { text: call.text }),
        ...(call.caption !== undefined && { caption: call.caption }),
        ...(call.document !== undefined && {
          document: { file_id: `doc${call.message_id}`, file_unique_id: `u${call.message_id}`, file_name: call.document.fileName, file_size: call.document.size },
        }),
        ...(call.photo !== undefined && {
          photo: [{ file_id: `photo${call.message_id}`, file_unique_id: `p${call.message_id}`, width: 1200, height: 800, file_size: call.photo.size }],
        }),
      });
      return;
    }
    switch (method) {
      case "getMe":
        return ok(BOT_USER);
      case "getFile":
        return getFile(call, res);
      case "setWebhook": {
        const url = strParam(params.url) ?? "";
        const secret = strParam(params.secret_token);
        hook = url === "" ? null : { url, ...(secret !== undefined && { secret }) };
        if (params.drop_pending_updates === true || params.drop_pending_updates === "true") confirmUpTo(nextUpdateId);
        ok(true);
        deliverNext();
        return;
      }
      case "deleteWebhook":
        hook = null;
        if (params.drop_pending_updates === true || params.drop_pending_updates === "true") confirmUpTo(nextUpdateId);
        return ok(true);
      case "getWebhookInfo":
        return ok({ url: hook?.url ?? "", has_custom_certificate: false, pending_update_count: queue.length });
      case "answerCallbackQuery":
      case "sendChatAction":
      case "editMessageReplyMarkup":
      case "editMessageText":
      case "deleteMessage":
        return ok(true);
      default:
        return fail(res, call, 404, "Not Found");
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const f = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (f !== null && req.method === "GET") return serveFile(f[1] ?? "", f[2] ?? "", res);
    const m = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
    if (m === null) return sendJson(res, 404, { ok: false, error_code: 404, description: "Not Found" });
    const params = await readParams(req, url);
    if (m[1] !== token) return sendJson(res, 401, { ok: false, error_code: 401, description: "Unauthorized" });
    handleMethod(m[2] ?? "", params, res);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      sendJson(res, 500, { ok: false, error_code: 500, description: `Internal Server Error: ${String(err)}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    token,
    async close() {
      closed = true;
      answerHeld();
      clearTimeout(retryTimer);
      for (const ac of inflight) ac.abort();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
    injectUpdate,
    userSends,
    userTaps,
    registerFile,
    userSendsDocument,
    userSendsPhoto,
    fileDownloads,
    sent: sent.items,
    calls: calls.items,
    messagesTo: (chatId) => sent.items.filter((c) => sendMethods.has(c.method) && c.chat_id === String(chatId)),
    waitFor: (predicate, timeoutMs) => sent.waitFor(predicate, timeoutMs),
    waitForConfirmed: async (updateId, timeoutMs) => {
      await confirmed.waitFor((id) => id === updateId, timeoutMs, `confirmation of update ${updateId}`);
    },
    waitForDelivery: (predicate, timeoutMs) => deliveries.waitFor(predicate, timeoutMs, "webhook delivery"),
    deliveries: deliveries.items,
    pendingUpdates: () => [...queue],
    webhook: () => (hook === null ? null : { ...hook }),
    blockedChats,
    unknownChats,
    failNext: (method, error) => failures.set(method, error),
    conflicts: () => conflictCount,
    polls: polls.items,
    waitForPoll: (predicate, timeoutMs) => polls.waitFor(predicate, timeoutMs, "getUpdates"),
  };
}
