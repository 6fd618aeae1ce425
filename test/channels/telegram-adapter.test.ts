// The Telegram adapter against the emulator: real grammY HTTP calls on a real socket.
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SendError, type ChannelAdapter, type UpdateSink } from "../../src/channels/channel.ts";
import { createTelegramAdapter } from "../../src/channels/telegram/adapter.ts";
import { startTelegramEmulator, type TelegramEmulator } from "../emulators/telegram.ts";
import { deferred, recordingLogger, startWebhookServer } from "./helpers.ts";

let emu: TelegramEmulator;
let logger: ReturnType<typeof recordingLogger>;
const cleanups: (() => Promise<void> | void)[] = [];

beforeEach(async () => {
  emu = await startTelegramEmulator();
  logger = recordingLogger();
});

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await emu.close();
  // Whatever happened, the token never reaches a log line.
  expect(JSON.stringify(logger.entries)).not.toContain(emu.token);
});

function adapter(extra: Partial<Parameters<typeof createTelegramAdapter>[0]> = {}): ChannelAdapter {
  return createTelegramAdapter({
    token: emu.token,
    apiRoot: emu.apiRoot,
    logger,
    pollTimeoutSec: 10,
    backoff: { baseMs: 5, maxMs: 20 },
    ...extra,
  });
}

/** Starts poll() and registers its stop for cleanup; returns the stop function. */
function startPolling(a: ChannelAdapter, sink: UpdateSink): () => Promise<void> {
  const ac = new AbortController();
  const done = a.poll(sink, ac.signal);
  const stop = async (): Promise<void> => {
    ac.abort();
    await done;
  };
  cleanups.push(stop);
  return stop;
}

const ids = (batch: unknown[]): number[] => batch.map((u) => (u as { update_id: number }).update_id);

describe("telegram polling", () => {
  it("hands updates to the sink in order and acknowledges them only after the sink resolved", async () => {
    const u1 = emu.userSends(111, "một");
    const u2 = emu.userSends(111, "hai");
    const batches: number[][] = [];
    const firstCall = deferred();
    const release = deferred();
    const secondBatch = deferred();
    startPolling(adapter(), async (platform, updates) => {
      expect(platform).toBe("TELEGRAM");
      batches.push(ids(updates));
      if (batches.length === 1) {
        firstCall.resolve();
        await release.promise;
      } else {
        secondBatch.resolve();
      }
    });

    await firstCall.promise;
    expect(batches).toEqual([[u1.update_id, u2.update_id]]);
    // Still unacknowledged while the sink is busy: a crash now would get them again.
    expect(emu.pendingUpdates().map((u) => u.update_id)).toEqual([u1.update_id, u2.update_id]);
    const u3 = emu.userSends(111, "ba");

    release.resolve();
    await emu.waitForConfirmed(u2.update_id);
    await secondBatch.promise;
    expect(batches).toEqual([[u1.update_id, u2.update_id], [u3.update_id]]);
    await emu.waitForConfirmed(u3.update_id);
    expect(emu.pendingUpdates()).toEqual([]);
  });

  it("gets the same updates again when the sink throws", async () => {
    const u1 = emu.userSends(222, "xin chào");
    const batches: number[][] = [];
    startPolling(adapter(), (_platform, updates) => {
      batches.push(ids(updates));
      if (batches.length === 1) return Promise.reject(new Error("database down"));
      return Promise.resolve();
    });
    await emu.waitForConfirmed(u1.update_id);
    expect(batches).toEqual([[u1.update_id], [u1.update_id]]);
    expect(logger.entries.some((e) => e.level === "error" && e.obj.errMessage === "database down")).toBe(true);
  });

  it("stops promptly when aborted during a held long poll", async () => {
    const stop = startPolling(adapter({ pollTimeoutSec: 30 }), () => Promise.resolve());
    await emu.waitForPoll(() => true);
    const t0 = Date.now();
    await stop();
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it("emulator: a second concurrent long poll gets 409 Conflict", async () => {
    const ac = new AbortController();
    const url = `${emu.apiRoot}/bot${emu.token}/getUpdates`;
    const first = fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: '{"timeout":10}', signal: ac.signal });
    await emu.waitForPoll(() => true);
    const second = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: '{"timeout":10}' });
    expect(second.status).toBe(409);
    expect(((await second.json()) as { description: string }).description).toMatch(/^Conflict/);
    ac.abort();
    await expect(first).rejects.toThrow();
  });

  it("warns about a 409 conflict when a webhook is set, and keeps retrying", async () => {
    await adapter({ webhookUrl: "https://bot.example.vn/tg", webhookSecret: "s3cret" }).configureDelivery();
    startPolling(adapter(), () => Promise.resolve());
    const warning = await logger.waitFor((e) => e.level === "warn" && e.msg.includes("conflict"));
    expect(warning.obj.delayMs).toBeGreaterThan(0);
    await logger.waitFor((e) => e.level === "warn" && e.msg.includes("conflict") && e !== warning);
    expect(emu.conflicts()).toBeGreaterThanOrEqual(2);
  });
});

describe("telegram webhook", () => {
  it("registers the webhook and stores pushed updates; a failing sink makes Telegram re-send", async () => {
    let sinkCalls = 0;
    const stored: number[] = [];
    const a = adapter({ webhookSecret: "s3cret-token" });
    const server = await startWebhookServer((headers, body) =>
      a.webhook(headers, body, (_p, updates) => {
        sinkCalls += 1;
        if (sinkCalls === 1) return Promise.reject(new Error("database down"));
        stored.push(...ids(updates));
        return Promise.resolve();
      }),
    );
    cleanups.push(() => server.close());
    await adapter({ webhookUrl: server.url, webhookSecret: "s3cret-token" }).configureDelivery();
    expect(emu.webhook()).toEqual({ url: server.url, secret: "s3cret-token" });

    const u = emu.userSends(333, "báo cáo tháng");
    await emu.waitForConfirmed(u.update_id);
    expect(emu.deliveries.map((d) => d.status)).toEqual([503, 200]);
    expect(stored).toEqual([u.update_id]);
  });

  it("refuses a wrong or missing secret (401) and a malformed body (400)", async () => {
    const a = adapter({ webhookSecret: "s3cret-token" });
    let stored = 0;
    const sink: UpdateSink = () => {
      stored += 1;
      return Promise.resolve();
    };
    const body = { update_id: 1, message: { message_id: 1, date: 1, chat: { id: 1, type: "private" }, text: "x" } };
    expect(await a.webhook({ "x-telegram-bot-api-secret-token": "wrong" }, body, sink)).toBe(401);
    expect(await a.webhook({ "x-telegram-bot-api-secret-token": "s3cret-token-longer" }, body, sink)).toBe(401);
    expect(await a.webhook({}, body, sink)).toBe(401);
    expect(await a.webhook({ "x-telegram-bot-api-secret-token": "s3cret-token" }, { update_id: "1" }, sink)).toBe(400);
    expect(await a.webhook({ "x-telegram-bot-api-secret-token": "s3cret-token" }, "garbage", sink)).toBe(400);
    expect(stored).toBe(0);
    expect(await a.webhook({ "x-telegram-bot-api-secret-token": "s3cret-token" }, body, sink)).toBe(200);
    expect(stored).toBe(1);
  });

  it("refuses everything when no secret is configured", async () => {
    expect(await adapter().webhook({ "x-telegram-bot-api-secret-token": "" }, { update_id: 1 }, () => Promise.resolve())).toBe(401);
  });

  it("deletes the webhook when none is configured, so polling works", async () => {
    await adapter({ webhookUrl: "https://bot.example.vn/tg", webhookSecret: "s3cret" }).configureDelivery();
    await adapter().configureDelivery();
    expect(emu.webhook()).toBeNull();
    const del = await emu.waitFor((c) => c.method === "deleteWebhook");
    expect(del.params.drop_pending_updates).toBe(false);
  });
});

describe("telegram send", () => {
  it("renders choices as an inline keyboard and returns the message id", async () => {
    const a = adapter();
    const sentIds = await a.send("444", {
      text: "Chi bộ đã họp đủ kỳ chưa?",
      choices: [
        { value: "q:y", label: "Có" },
        { value: "q:n", label: "Không" },
      ],
    });
    const [msg] = emu.messagesTo(444);
    expect(sentIds).toEqual([String(msg?.message_id)]);
    expect(msg?.text).toBe("Chi bộ đã họp đủ kỳ chưa?");
    expect(msg?.reply_markup).toEqual({
      inline_keyboard: [[{ text: "Có", callback_data: "q:y" }, { text: "Không", callback_data: "q:n" }]],
    });
  });

  it("splits a long text into messages the user reads whole, keyboard on the last", async () => {
    const text = Array.from({ length: 150 }, (_, i) => `Mục ${i}: kết quả thực hiện nhiệm vụ trọng tâm trong kỳ.`).join("\n");
    const sentIds = await adapter().send("445", { text, choices: [{ value: "ok", label: "Đã đọc" }] });
    const msgs = emu.messagesTo(445);
    expect(sentIds).toHaveLength(msgs.length);
    expect(msgs.length).toBeGreaterThan(1);
    expect(msgs.map((m) => m.text).join("")).toBe(text);
    expect(msgs.map((m) => m.reply_markup !== undefined)).toEqual([...msgs.slice(1).map(() => false), true]);
  });

  it("sends a file as a document with the text as caption", async () => {
    const data = new Uint8Array(2048).fill(7);
    await adapter().send("446", {
      text: "Tổng hợp báo cáo quý III",
      file: { fileName: "tong-hop-q3.xlsx", mimeType: "application/vnd.ms-excel", data },
    });
    const [doc] = emu.messagesTo(446);
    expect(doc?.method).toBe("sendDocument");
    expect(doc?.document).toMatchObject({ fileName: "tong-hop-q3.xlsx", size: 2048 });
    expect(doc?.caption).toBe("Tổng hợp báo cáo quý III");
  });

  it("maps a blocked user and an unknown chat to permanent failures", async () => {
    emu.blockedChats.add("501");
    emu.unknownChats.add("502");
    const a = adapter();
    await expect(a.send("501", { text: "Nhắc hạn báo cáo" })).rejects.toMatchObject({
      failure: { kind: "permanent", reason: "blocked" },
    });
    await expect(a.send("502", { text: "Nhắc hạn báo cáo" })).rejects.toMatchObject({
      failure: { kind: "permanent", reason: "chat_not_found" },
    });
  });

  it("maps 429 to rate_limited with Telegram's retry_after", async () => {
    await emu.close();
    emu = await startTelegramEmulator({ limits: { perChatPerSec: 1 } });
    const a = adapter();
    await a.send("503", { text: "một" });
    const err: unknown = await a.send("503", { text: "hai" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SendError);
    expect((err as SendError).failure).toEqual({ kind: "rate_limited", retryAfterSec: 1 });
    expect(emu.messagesTo(503).map((m) => m.text)).toEqual(["một"]);
  });

  it("maps server errors and network failures to transient", async () => {
    emu.failNext("sendMessage", { error_code: 502, description: "Bad Gateway" });
    await expect(adapter().send("504", { text: "x" })).rejects.toMatchObject({ failure: { kind: "transient" } });

    const dead = createTelegramAdapter({ token: emu.token, apiRoot: "http://127.0.0.1:1", logger });
    await expect(dead.send("504", { text: "x" })).rejects.toMatchObject({ failure: { kind: "transient", reason: "network" } });
  });

  it("throws a programming error for callback data over 64 bytes, before calling Telegram", async () => {
    await expect(adapter().send("505", { text: "x", choices: [{ value: "v".repeat(65), label: "x" }] })).rejects.toThrow(/1-64 bytes/);
    expect(emu.calls).toEqual([]);
  });
});

describe("telegram extras", () => {
  it("takes a pino logger", async () => {
    const a = createTelegramAdapter({ token: emu.token, apiRoot: emu.apiRoot, logger: pino({ level: "silent" }) });
    expect(await a.describe()).toEqual({ username: "baocao_test_bot" });
  });

  it("acknowledges a tapped button and swallows errors doing so", async () => {
    const a = adapter();
    await a.answerChoice?.("cb-1");
    expect((await emu.waitFor((c) => c.method === "answerCallbackQuery")).params.callback_query_id).toBe("cb-1");
    emu.failNext("answerCallbackQuery", { error_code: 400, description: "Bad Request: query is too old" });
    await expect(a.answerChoice?.("cb-2")).resolves.toBeUndefined();
  });

  it("describes the bot by username and asks Telegram only once", async () => {
    const a = adapter();
    expect(await a.describe()).toEqual({ username: "baocao_test_bot" });
    expect(await a.describe()).toEqual({ username: "baocao_test_bot" });
    expect(emu.calls.filter((c) => c.method === "getMe")).toHaveLength(1);
  });

  it("end to end: a tapped button arrives as a choice", async () => {
    const a = adapter();
    const tap = emu.userTaps(777, "q3:yes");
    const got = deferred<unknown[]>();
    startPolling(a, (_p, updates) => {
      got.resolve(updates);
      return Promise.resolve();
    });
    const [raw] = await got.promise;
    expect(a.envelope(raw)).toEqual({ updateKey: String(tap.update_id), chatKey: "TELEGRAM:777" });
    expect(a.toInbound(raw)?.content).toEqual({ type: "choice", value: "q3:yes" });
  });
});
