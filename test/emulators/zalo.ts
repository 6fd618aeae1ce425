// A Zalo Bot Platform emulator on a real HTTP server. Mirrors the documented
// behaviour: POST /bot<TOKEN>/<method> with JSON, {ok, result, error_code,
// description} replies, getUpdates handing out ONE update per call with no
// offset (408 when the poll times out), webhooks with X-Bot-Api-Secret-Token,
// and re-deliveries of the same event. Images a test sends with
// sendImageData are served by the emulator itself at /files/<id>.jpg, so the
// bot downloads them over real HTTP as it would from Zalo's CDN.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { CallLog, numParam, RateLimiter, readParams, sendJson, strParam, type RateLimits } from "./common.ts";

export interface ZaloUpdateJson {
  event_name: string;
  message: {
    message_id: string;
    from: { id: string; display_name: string; is_bot: boolean };
    chat: { id: string; chat_type: "PRIVATE" | "GROUP" };
    date: number;
    text?: string;
    photo?: string;
    caption?: string;
    sticker?: string;
    url?: string;
  };
}

export interface ZaloEmulatorOptions {
  token?: string;
  limits?: RateLimits;
  webhookRetryDelaysMs?: number[];
  /** Webhook bodies as {ok:true, result: update} (as documented) or the bare update. Default wrapped. */
  wrapWebhookBody?: boolean;
}

export interface ZaloCall {
  method: string;
  ok: boolean;
  error_code?: number;
  chat_id?: string;
  text?: string;
  photo?: string;
  caption?: string;
  message_id?: string;
  params: Record<string, unknown>;
  at: number;
}

export interface ZaloWebhookDelivery {
  message_id: string;
  attempt: number;
  status: number;
  at: number;
}

export interface ZaloPoll {
  seq: number;
  timeout: unknown;
  at: number;
}

export interface ZaloFrom {
  id?: string;
  display_name?: string;
}

export interface ZaloEmulator {
  apiRoot: string;
  token: string;
  close(): Promise<void>;
  userSends(chatId: string, text: string, from?: ZaloFrom, opts?: { group?: boolean }): ZaloUpdateJson;
  sendImage(chatId: string, photoUrl: string, caption?: string, from?: ZaloFrom): ZaloUpdateJson;
  /** An image message whose URL points at bytes the emulator serves. */
  sendImageData(chatId: string, data: Uint8Array, opts?: ZaloImageOptions): ZaloUpdateJson;
  /** URL under which the emulator serves these bytes (for a hand-made update). */
  hostFile(data: Uint8Array, opts?: Pick<ZaloImageOptions, "mimeType" | "declareLength">): string;
  /** Paths of the served file downloads, in order. */
  fileDownloads: string[];
  sendSticker(chatId: string, from?: ZaloFrom): ZaloUpdateJson;
  injectUpdate(update: ZaloUpdateJson): ZaloUpdateJson;
  /** Hands out the last update again, as Zalo sometimes does. */
  duplicateLast(): ZaloUpdateJson;
  sent: ZaloCall[];
  calls: ZaloCall[];
  messagesTo(chatId: string): ZaloCall[];
  waitFor(predicate: (call: ZaloCall) => boolean, timeoutMs?: number): Promise<ZaloCall>;
  /** Resolves when getUpdates handed out (or a webhook accepted) the update with this message id. */
  waitForTaken(messageId: string, timeoutMs?: number): Promise<void>;
  waitForDelivery(predicate: (d: ZaloWebhookDelivery) => boolean, timeoutMs?: number): Promise<ZaloWebhookDelivery>;
  deliveries: ZaloWebhookDelivery[];
  /** Every getUpdates call with its raw `timeout` value (to check it is a string). */
  polls: ZaloPoll[];
  waitForPoll(predicate: (p: ZaloPoll) => boolean, timeoutMs?: number): Promise<ZaloPoll>;
  pendingUpdates(): ZaloUpdateJson[];
  webhook(): { url: string; secret: string } | null;
  blockedChats: Set<string>;
  unknownChats: Set<string>;
  failNext(method: string, error: { error_code: number; description: string; httpStatus?: number; retry_after?: number }): void;
}

export interface ZaloImageOptions {
  caption?: string;
  from?: ZaloFrom;
  /** Content-Type of the served image. Default image/jpeg. */
  mimeType?: string;
  /** false: served chunked with no Content-Length. Default true. */
  declareLength?: boolean;
}

const sendMethods = new Set(["sendMessage", "sendPhoto", "sendSticker", "sendVoice"]);

interface HeldPoll {
  res: ServerResponse;
  timer: NodeJS.Timeout;
}

export async function startZaloEmulator(opts: ZaloEmulatorOptions = {}): Promise<ZaloEmulator> {
  const token = opts.token ?? "1459232241454765289:TEST_zalo_token";
  const retryDelays = opts.webhookRetryDelaysMs ?? [20, 50, 100, 200, 400];
  const wrap = opts.wrapWebhookBody ?? true;
  const limiter = new RateLimiter(opts.limits);
  const sent = new CallLog<ZaloCall>();
  const calls = new CallLog<ZaloCall>();
  const taken = new CallLog<string>();
  const deliveries = new CallLog<ZaloWebhookDelivery>();
  const polls = new CallLog<ZaloPoll>();
  const blockedChats = new Set<string>();
  const unknownChats = new Set<string>();
  const failures = new Map<string, { error_code: number; description: string; httpStatus?: number; retry_after?: number }>();

  const hosted = new Map<string, { data: Uint8Array; mimeType: string; declareLength: boolean }>();
  const fileDownloads: string[] = [];
  let base = "";

  let queue: ZaloUpdateJson[] = [];
  let last: ZaloUpdateJson | undefined;
  let held: HeldPoll | null = null;
  let hook: { url: string; secret: string } | null = null;
  let closed = false;
  let delivering = false;
  let retryTimer: NodeJS.Timeout | undefined;
  const inflight = new Set<AbortController>();

  const newId = (): string => randomBytes(10).toString("hex");

  function reply(res: ServerResponse, code: number, description: string, extra: Record<string, unknown> = {}): void {
    sendJson(res, code, { ok: false, error_code: code, description, ...extra });
  }

  /** Hands the next update to the held poll, if the poll's client is still there. */
  function answerHeld(): void {
    if (held === null) return;
    const h = held;
    if (closed) {
      held = null;
      clearTimeout(h.timer);
      reply(h.res, 408, "Request timeout");
      return;
    }
    const update = queue[0];
    if (update === undefined) return;
    held = null;
    clearTimeout(h.timer);
    if (h.res.destroyed) return; // the client left: keep the update for the next poll
    queue.shift();
    sendJson(h.res, 200, { ok: true, result: update });
    taken.push(update.message.message_id);
  }

  function getUpdates(params: Record<string, unknown>, res: ServerResponse): void {
    polls.push({ seq: polls.items.length + 1, timeout: params.timeout, at: Date.now() });
    if (hook !== null) return reply(res, 409, "Conflict: webhook is active, call deleteWebhook first");
    if (held !== null) return reply(res, 409, "Conflict: another getUpdates request is in progress");
    const update = queue.shift();
    if (update !== undefined) {
      sendJson(res, 200, { ok: true, result: update });
      taken.push(update.message.message_id);
      return;
    }
    const timeoutSec = numParam(params.timeout) ?? 30;
    if (closed || timeoutSec <= 0) return reply(res, 408, "Request timeout");
    const h: HeldPoll = {
      res,
      timer: setTimeout(() => {
        if (held === h) held = null;
        // Zalo answers an empty poll with error 408 in a 200 reply.
        sendJson(res, 200, { ok: false, error_code: 408, description: "Request timeout" });
      }, timeoutSec * 1000),
    };
    held = h;
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
    const messageId = update.message.message_id;
    const attempt = deliveries.items.filter((d) => d.message_id === messageId).length + 1;
    const ac = new AbortController();
    inflight.add(ac);
    const finish = (status: number): void => {
      inflight.delete(ac);
      delivering = false;
      if (closed) return;
      deliveries.push({ message_id: messageId, attempt, status, at: Date.now() });
      if (status >= 200 && status < 300) {
        queue = queue.filter((u) => u !== update);
        taken.push(messageId);
        deliverNext();
        return;
      }
      const delay = retryDelays[attempt - 1];
      if (delay === undefined) {
        queue = queue.filter((u) => u !== update);
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
      headers: { "content-type": "application/json", "x-bot-api-secret-token": target.secret },
      body: JSON.stringify(wrap ? { ok: true, result: update } : update),
      signal: ac.signal,
    }).then(
      async (r) => {
        await r.arrayBuffer();
        finish(r.status);
      },
      () => finish(0),
    );
  }

  function injectUpdate(update: ZaloUpdateJson): ZaloUpdateJson {
    last = update;
    queue.push(update);
    answerHeld();
    deliverNext();
    return update;
  }

  function message(chatId: string, from: ZaloFrom | undefined, group = false): ZaloUpdateJson["message"] {
    return {
      message_id: newId(),
      from: { id: from?.id ?? chatId, display_name: from?.display_name ?? "Nguyễn Văn A", is_bot: false },
      chat: { id: chatId, chat_type: group ? "GROUP" : "PRIVATE" },
      date: Date.now(),
    };
  }

  function hostFile(data: Uint8Array, o: Pick<ZaloImageOptions, "mimeType" | "declareLength"> = {}): string {
    const id = newId();
    hosted.set(id, { data, mimeType: o.mimeType ?? "image/jpeg", declareLength: o.declareLength ?? true });
    return `${base}/files/${id}.jpg`;
  }

  function serveFile(id: string, path: string, res: ServerResponse): void {
    const entry = hosted.get(id);
    if (entry === undefined) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("Not found");
      return;
    }
    fileDownloads.push(path);
    const data = Buffer.from(entry.data);
    if (entry.declareLength) {
      res.writeHead(200, { "content-type": entry.mimeType, "content-length": data.length });
      res.end(data);
      return;
    }
    res.writeHead(200, { "content-type": entry.mimeType });
    for (let at = 0; at < data.length; at += 64 * 1024) res.write(data.subarray(at, at + 64 * 1024));
    res.end();
  }

  function fail(res: ServerResponse, call: ZaloCall, code: number, description: string, httpStatus = code, retryAfter?: number): void {
    call.ok = false;
    call.error_code = code;
    calls.push(call);
    sendJson(res, httpStatus, {
      ok: false,
      error_code: code,
      description,
      ...(retryAfter !== undefined && { parameters: { retry_after: retryAfter } }),
    });
  }

  function handleMethod(method: string, params: Record<string, unknown>, res: ServerResponse): void {
    const call: ZaloCall = {
      method,
      ok: true,
      params,
      at: Date.now(),
      ...(strParam(params.chat_id) !== undefined && { chat_id: strParam(params.chat_id) }),
      ...(typeof params.text === "string" && { text: params.text }),
      ...(typeof params.photo === "string" && { photo: params.photo }),
      ...(typeof params.caption === "string" && { caption: params.caption }),
    };
    const injected = failures.get(method);
    if (injected !== undefined) {
      failures.delete(method);
      fail(res, call, injected.error_code, injected.description, injected.httpStatus, injected.retry_after);
      return;
    }
    if (method === "getUpdates") return getUpdates(params, res);
    const ok = (result: unknown): void => {
      calls.push(call);
      sent.push(call);
      sendJson(res, 200, { ok: true, result });
    };
    if (sendMethods.has(method)) {
      const chatId = call.chat_id ?? "";
      if (chatId === "") return fail(res, call, 400, "Bad request: chat_id is required");
      if (blockedChats.has(chatId)) return fail(res, call, 403, "Forbidden: the user has blocked the bot");
      if (unknownChats.has(chatId)) return fail(res, call, 404, "Not found: chat not found");
      if (method === "sendMessage" && (call.text === undefined || call.text.length < 1 || call.text.length > 2000)) {
        return fail(res, call, 400, "Bad request: text must be 1-2000 characters");
      }
      if (method === "sendPhoto" && call.photo === undefined) return fail(res, call, 400, "Bad request: photo is required");
      if (call.caption !== undefined && call.caption.length > 2000) return fail(res, call, 400, "Bad request: caption too long");
      const wait = limiter.take(chatId);
      if (wait > 0) return fail(res, call, 429, "Quota exceeded", 429, wait);
      call.message_id = newId();
      return ok({ message_id: call.message_id, date: Date.now() });
    }
    switch (method) {
      case "getMe":
        return ok({ id: "1459232241454765289", account_name: "bot.baocao_test", account_type: "BASIC", can_join_groups: false });
      case "setWebhook": {
        const url = strParam(params.url) ?? "";
        const secret = strParam(params.secret_token) ?? "";
        if (!/^https?:\/\//.test(url)) return fail(res, call, 400, "Bad request: url is invalid");
        if (secret.length < 8 || secret.length > 256) return fail(res, call, 400, "Bad request: secret_token must be 8-256 characters");
        hook = { url, secret };
        ok({ url, updated_at: Date.now() });
        deliverNext();
        return;
      }
      case "deleteWebhook":
        hook = null;
        return ok({ url: "", updated_at: Date.now() });
      case "getWebhookInfo":
        return ok({ url: hook?.url ?? "", updated_at: Date.now() });
      case "sendChatAction":
        return ok(true);
      default:
        return fail(res, call, 404, "Not found");
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const f = /^\/files\/([0-9a-f]+)(?:\.\w+)?$/.exec(url.pathname);
    if (req.method === "GET" && url.pathname.startsWith("/files/")) return serveFile(f?.[1] ?? "", url.pathname, res);
    const m = /^\/bot([^/]+)\/(\w+)$/.exec(url.pathname);
    if (m === null) return reply(res, 404, "Not found");
    const params = await readParams(req, url);
    if (m[1] !== token) return reply(res, 401, "Unauthorized");
    handleMethod(m[2] ?? "", params, res);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => reply(res, 500, `Internal error: ${String(err)}`));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  base = `http://127.0.0.1:${port}`;

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
    userSends: (chatId, text, from, o) =>
      injectUpdate({ event_name: "message.text.received", message: { ...message(chatId, from, o?.group), text } }),
    sendImage: (chatId, photoUrl, caption, from) =>
      injectUpdate({
        event_name: "message.image.received",
        message: { ...message(chatId, from), photo: photoUrl, ...(caption !== undefined && { caption }) },
      }),
    sendImageData: (chatId, data, o = {}) =>
      injectUpdate({
        event_name: "message.image.received",
        message: {
          ...message(chatId, o.from),
          photo: hostFile(data, o),
          ...(o.caption !== undefined && { caption: o.caption }),
        },
      }),
    hostFile,
    fileDownloads,
    sendSticker: (chatId, from) =>
      injectUpdate({
        event_name: "message.sticker.received",
        message: { ...message(chatId, from), sticker: "0e078a2fb66a5f34067b", url: "https://stickers.example/x.png" },
      }),
    injectUpdate,
    duplicateLast() {
      if (last === undefined) throw new Error("zalo emulator: nothing to duplicate");
      return injectUpdate(structuredClone(last));
    },
    sent: sent.items,
    calls: calls.items,
    messagesTo: (chatId) => sent.items.filter((c) => sendMethods.has(c.method) && c.chat_id === chatId),
    waitFor: (predicate, timeoutMs) => sent.waitFor(predicate, timeoutMs),
    waitForTaken: async (messageId, timeoutMs) => {
      await taken.waitFor((id) => id === messageId, timeoutMs, `hand-out of message ${messageId}`);
    },
    waitForDelivery: (predicate, timeoutMs) => deliveries.waitFor(predicate, timeoutMs, "webhook delivery"),
    deliveries: deliveries.items,
    polls: polls.items,
    waitForPoll: (predicate, timeoutMs) => polls.waitFor(predicate, timeoutMs, "getUpdates"),
    pendingUpdates: () => [...queue],
    webhook: () => (hook === null ? null : { ...hook }),
    blockedChats,
    unknownChats,
    failNext: (method, error) => failures.set(method, error),
  };
}
