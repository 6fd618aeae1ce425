// The Zalo adapter and client against the emulator, over real HTTP.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SendError, type ChannelAdapter, type UpdateSink } from "../../src/channels/channel.ts";
import { createZaloAdapter, type ZaloAdapterDeps } from "../../src/channels/zalo/adapter.ts";
import { createZaloApi, ZaloApiError, ZaloNetworkError } from "../../src/channels/zalo/api.ts";
import { vi } from "../../src/texts/vi.ts";
import { startZaloEmulator, type ZaloEmulator } from "../emulators/zalo.ts";
import { deferred, recordingLogger, startWebhookServer } from "./helpers.ts";

let emu: ZaloEmulator;
let logger: ReturnType<typeof recordingLogger>;
const cleanups: (() => Promise<void> | void)[] = [];

beforeEach(async () => {
  emu = await startZaloEmulator();
  logger = recordingLogger();
});

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await emu.close();
  expect(JSON.stringify(logger.entries)).not.toContain(emu.token);
});

function adapter(extra: Partial<ZaloAdapterDeps> = {}): ChannelAdapter {
  return createZaloAdapter({
    token: emu.token,
    apiRoot: emu.apiRoot,
    logger,
    pollTimeoutSec: 10,
    backoff: { baseMs: 5, maxMs: 20 },
    ...extra,
  });
}

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

const messageIds = (batch: unknown[]): string[] =>
  batch.map((u) => (u as { message: { message_id: string } }).message.message_id);

describe("zalo client", () => {
  it("passes the poll timeout as a string and reads 408 as nothing new", async () => {
    const api = createZaloApi({ token: emu.token, apiRoot: emu.apiRoot });
    expect(await api.getUpdates({ timeout: "0" })).toBeNull();
    expect(emu.polls.map((p) => p.timeout)).toEqual(["0"]);
  });

  it("returns one update per call, unwrapped", async () => {
    const api = createZaloApi({ token: emu.token, apiRoot: emu.apiRoot });
    const a = emu.userSends("u1", "một");
    const b = emu.userSends("u1", "hai");
    expect((await api.getUpdates({ timeout: "1" }))?.message?.message_id).toBe(a.message.message_id);
    expect((await api.getUpdates({ timeout: "1" }))?.message?.message_id).toBe(b.message.message_id);
  });

  it("throws a typed error without the token for a wrong token and for network failures", async () => {
    const wrong = createZaloApi({ token: "999:wrong", apiRoot: emu.apiRoot });
    const err: unknown = await wrong.getMe().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ZaloApiError);
    expect(err).toMatchObject({ errorCode: 401, method: "getMe" });

    const dead = createZaloApi({ token: emu.token, apiRoot: "http://127.0.0.1:1" });
    const netErr: unknown = await dead.getMe().catch((e: unknown) => e);
    expect(netErr).toBeInstanceOf(ZaloNetworkError);
    expect(String(netErr)).not.toContain(emu.token);
    expect(JSON.stringify(netErr)).not.toContain(emu.token);
  });
});

describe("zalo polling", () => {
  it("hands each update to the sink in order", async () => {
    const sent = [emu.userSends("c1", "một"), emu.sendImage("c1", "https://img.example/a.jpg", "ảnh"), emu.userSends("c1", "ba")];
    const got: string[] = [];
    const all = deferred();
    startPolling(adapter(), (platform, updates) => {
      expect(platform).toBe("ZALO");
      got.push(...messageIds(updates));
      if (got.length === 3) all.resolve();
      return Promise.resolve();
    });
    await all.promise;
    expect(got).toEqual(sent.map((u) => u.message.message_id));
  });

  it("keeps an update Zalo already handed out until the sink stores it", async () => {
    const u = emu.userSends("c2", "báo cáo");
    let calls = 0;
    const stored = deferred<string[]>();
    startPolling(adapter(), (_p, updates) => {
      calls += 1;
      if (calls < 3) return Promise.reject(new Error("database down"));
      stored.resolve(messageIds(updates));
      return Promise.resolve();
    });
    expect(await stored.promise).toEqual([u.message.message_id]);
    // Zalo handed it out once; the retries came from the adapter's memory.
    expect(emu.polls).toHaveLength(1);
  });

  it("gives a re-delivered duplicate the same update key", async () => {
    const a = adapter();
    emu.userSends("c3", "xin chào");
    emu.duplicateLast();
    const keys: (string | undefined)[] = [];
    const both = deferred();
    startPolling(a, (_p, updates) => {
      keys.push(...updates.map((u) => a.envelope(u)?.updateKey));
      if (keys.length === 2) both.resolve();
      return Promise.resolve();
    });
    await both.promise;
    expect(keys[0]).toBeDefined();
    expect(keys[1]).toBe(keys[0]);
  });

  it("keeps polling after an idle 408 and stops promptly on abort", async () => {
    const stop = startPolling(adapter({ pollTimeoutSec: 0.2 }), () => Promise.resolve());
    await emu.waitForPoll((p) => p.seq === 2, 5000); // the first poll timed out with 408
    expect(logger.entries.filter((e) => e.level === "error")).toEqual([]);
    const t0 = Date.now();
    await stop();
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});

describe("zalo webhook", () => {
  it("registers the webhook and stores pushed updates", async () => {
    const stored: string[] = [];
    const a = adapter({ webhookSecret: "zalo-secret-1" });
    const server = await startWebhookServer((headers, body) =>
      a.webhook(headers, body, (_p, updates) => {
        stored.push(...updates.map((u) => a.envelope(u)?.updateKey ?? "?"));
        return Promise.resolve();
      }),
    );
    cleanups.push(() => server.close());
    await adapter({ webhookUrl: server.url, webhookSecret: "zalo-secret-1" }).configureDelivery();
    expect(emu.webhook()).toEqual({ url: server.url, secret: "zalo-secret-1" });

    const u = emu.userSends("c4", "chào");
    const d = await emu.waitForDelivery((x) => x.message_id === u.message.message_id);
    expect(d.status).toBe(200);
    expect(stored).toEqual([`message.text.received:${u.message.message_id}`]);
  });

  it("answers 503 when the sink fails, so the platform re-sends", async () => {
    let calls = 0;
    const a = adapter({ webhookSecret: "zalo-secret-1" });
    const server = await startWebhookServer((headers, body) =>
      a.webhook(headers, body, () => {
        calls += 1;
        return calls === 1 ? Promise.reject(new Error("database down")) : Promise.resolve();
      }),
    );
    cleanups.push(() => server.close());
    await adapter({ webhookUrl: server.url, webhookSecret: "zalo-secret-1" }).configureDelivery();
    const u = emu.userSends("c5", "chào");
    await emu.waitForTaken(u.message.message_id);
    expect(emu.deliveries.map((x) => x.status)).toEqual([503, 200]);
  });

  it("refuses a wrong or missing secret (401) and a malformed body (400)", async () => {
    const a = adapter({ webhookSecret: "zalo-secret-1" });
    let stored = 0;
    const sink: UpdateSink = () => {
      stored += 1;
      return Promise.resolve();
    };
    const body = { ok: true, result: { event_name: "message.text.received", message: { message_id: "m", from: { id: "f" }, chat: { id: "c" } } } };
    expect(await a.webhook({ "x-bot-api-secret-token": "zalo-secret-2" }, body, sink)).toBe(401);
    expect(await a.webhook({}, body, sink)).toBe(401);
    expect(await a.webhook({ "x-bot-api-secret-token": "zalo-secret-1" }, { hello: 1 }, sink)).toBe(400);
    expect(await a.webhook({ "x-bot-api-secret-token": "zalo-secret-1" }, undefined, sink)).toBe(400);
    expect(stored).toBe(0);
    expect(await a.webhook({ "x-bot-api-secret-token": "zalo-secret-1" }, body, sink)).toBe(200);
    // Some accounts get the bare update instead of {ok, result}.
    expect(await a.webhook({ "x-bot-api-secret-token": "zalo-secret-1" }, body.result, sink)).toBe(200);
    expect(stored).toBe(2);
  });

  it("deletes the webhook when none is configured", async () => {
    await adapter({ webhookUrl: "https://bot.example.vn/zalo", webhookSecret: "zalo-secret-1" }).configureDelivery();
    await adapter().configureDelivery();
    expect(emu.webhook()).toBeNull();
    expect(emu.sent.map((c) => c.method)).toEqual(["setWebhook", "deleteWebhook"]);
  });
});

describe("zalo send", () => {
  it("renders choices as numbered lines the user can answer by typing", async () => {
    const ids = await adapter().send("c6", {
      text: "Chi bộ đã họp đủ kỳ chưa?",
      choices: [
        { value: "y", label: "Có" },
        { value: "n", label: "Không" },
      ],
    });
    const [msg] = emu.messagesTo("c6");
    expect(ids).toEqual([msg?.message_id]);
    expect(msg?.text).toBe(`Chi bộ đã họp đủ kỳ chưa?\n\n1. Có\n2. Không\n${vi.channels.choiceHint}`);
  });

  it("splits texts over the limit without losing characters", async () => {
    const text = Array.from({ length: 120 }, (_, i) => `Mục ${i}: kết quả thực hiện nhiệm vụ trọng tâm.`).join("\n");
    const ids = await adapter().send("c7", { text });
    const msgs = emu.messagesTo("c7");
    expect(msgs.length).toBeGreaterThan(1);
    expect(ids).toHaveLength(msgs.length);
    expect(msgs.map((m) => m.text).join("")).toBe(text);
  });

  it("tells the user where to get a file Zalo cannot carry, or links it", async () => {
    const file = { fileName: "tong-hop.xlsx", mimeType: "application/vnd.ms-excel", data: new Uint8Array([1]) };
    await adapter().send("c8", { text: "Tổng hợp quý III", file });
    expect(emu.messagesTo("c8").map((m) => m.text)).toEqual([`Tổng hợp quý III\n\n${vi.channels.fileNotSent("tong-hop.xlsx")}`]);

    const linked = adapter({ fileLink: (f) => Promise.resolve(`https://baocao.example.vn/f/${f.fileName}`) });
    const chart = { fileName: "bieu-do.png", mimeType: "image/png", data: new Uint8Array([1]) };
    await linked.send("c9", { text: "Biểu đồ tiến độ", file: chart });
    const msgs = emu.messagesTo("c9");
    expect(msgs.map((m) => m.method)).toEqual(["sendPhoto", "sendMessage"]);
    expect(msgs[0]?.photo).toBe("https://baocao.example.vn/f/bieu-do.png");
    expect(msgs[1]?.text).toContain(vi.channels.fileLink("bieu-do.png", "https://baocao.example.vn/f/bieu-do.png"));
  });

  it("maps blocked and unknown chats to permanent, 429 to rate_limited, 5xx and network to transient", async () => {
    emu.blockedChats.add("b1");
    emu.unknownChats.add("n1");
    const a = adapter();
    await expect(a.send("b1", { text: "x" })).rejects.toMatchObject({ failure: { kind: "permanent", reason: "blocked" } });
    await expect(a.send("n1", { text: "x" })).rejects.toMatchObject({ failure: { kind: "permanent", reason: "chat_not_found" } });

    emu.failNext("sendMessage", { error_code: 429, description: "Quota exceeded", retry_after: 7 });
    await expect(a.send("c10", { text: "x" })).rejects.toMatchObject({ failure: { kind: "rate_limited", retryAfterSec: 7 } });
    emu.failNext("sendMessage", { error_code: 429, description: "Quota exceeded" });
    await expect(a.send("c10", { text: "x" })).rejects.toMatchObject({ failure: { kind: "rate_limited", retryAfterSec: 1 } });

    emu.failNext("sendMessage", { error_code: 500, description: "Internal error" });
    const err: unknown = await a.send("c10", { text: "x" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SendError);
    expect((err as SendError).failure.kind).toBe("transient");

    const dead = createZaloAdapter({ token: emu.token, apiRoot: "http://127.0.0.1:1", logger });
    await expect(dead.send("c10", { text: "x" })).rejects.toMatchObject({ failure: { kind: "transient", reason: "network" } });
  });

  it("obeys emulated rate limits with a retry_after", async () => {
    await emu.close();
    emu = await startZaloEmulator({ limits: { perChatPerSec: 2 } });
    const a = adapter();
    await a.send("c11", { text: "1" });
    await a.send("c11", { text: "2" });
    await expect(a.send("c11", { text: "3" })).rejects.toMatchObject({ failure: { kind: "rate_limited" } });
    await a.send("c12", { text: "other chat is not limited" });
  });

  it("describes the bot by its account name", async () => {
    expect(await adapter().describe()).toEqual({ username: "bot.baocao_test" });
  });
});
