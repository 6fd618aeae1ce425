// What a failed send tells the caller: whether it may have reached the
// platform (a reset after the request was written, a timeout: "ambiguous",
// never sent again) or surely did not (a refused connection, an error
// answer: "transient", worth a retry); and, for a split message, which
// parts were delivered, so a retry starts at the next one.
import { HttpError } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SendError, type ChannelSender } from "../../src/channels/channel.ts";
import { createTelegramAdapter, telegramSendError } from "../../src/channels/telegram/index.ts";
import { createZaloAdapter, zaloSendError, ZaloNetworkError } from "../../src/channels/zalo/index.ts";
import { startTelegramEmulator, type TelegramEmulator } from "../emulators/telegram.ts";
import { startZaloEmulator, type ZaloEmulator } from "../emulators/zalo.ts";
import { startHoldProxy, type HoldProxy } from "../support/hold-proxy.ts";
import { freePort } from "../support/ports.ts";
import { testLogger } from "../support/logger.ts";

let tg: TelegramEmulator;
let zalo: ZaloEmulator;
let tgProxy: HoldProxy;
let zaloProxy: HoldProxy;
let deadRoot: string;

beforeAll(async () => {
  tg = await startTelegramEmulator();
  zalo = await startZaloEmulator();
  tgProxy = await startHoldProxy(tg.apiRoot);
  zaloProxy = await startHoldProxy(zalo.apiRoot);
  // Nothing listens there: the connection is refused before anything is written.
  deadRoot = `http://127.0.0.1:${await freePort()}`;
});

afterAll(async () => {
  await tgProxy.close();
  await zaloProxy.close();
  await tg.close();
  await zalo.close();
});

const telegram = (apiRoot: string) => createTelegramAdapter({ token: tg.token, apiRoot, logger: testLogger });
const zaloAt = (apiRoot: string, fileLink?: () => Promise<string>) =>
  createZaloAdapter({ token: zalo.token, apiRoot, logger: testLogger, ...(fileLink && { fileLink }) });

async function failureOf(p: Promise<unknown>): Promise<SendError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SendError);
  return err as SendError;
}

describe("a send without an answer", () => {
  const cases: [string, () => { sender: ChannelSender; proxy: HoldProxy; dead: ChannelSender; delivered: (chat: string) => number }][] = [
    ["Telegram", () => ({ sender: telegram(tgProxy.url), proxy: tgProxy, dead: telegram(deadRoot), delivered: (chat) => tg.messagesTo(chat).length })],
    ["Zalo", () => ({ sender: zaloAt(zaloProxy.url), proxy: zaloProxy, dead: zaloAt(deadRoot), delivered: (chat) => zalo.messagesTo(chat).length })],
  ];

  for (const [name, setup] of cases) {
    it(`${name}: a reset after the request reached the platform is ambiguous`, async () => {
      const { sender, proxy, delivered } = setup();
      proxy.resetNext();
      const err = await failureOf(sender.send("3001", { text: "Nhắc báo cáo" }));
      expect(err.failure.kind).toBe("ambiguous");
      expect(delivered("3001")).toBe(1);
    });

    it(`${name}: a refused connection is transient (nothing left)`, async () => {
      const { dead } = setup();
      const err = await failureOf(dead.send("3002", { text: "Nhắc báo cáo" }));
      expect(err.failure).toEqual({ kind: "transient", reason: "network" });
    });
  }

  it("a timeout waiting for the answer is ambiguous, a refused connect is not", () => {
    const timeout = new HttpError("Network request for 'sendMessage' failed!", new Error("Request to 'sendMessage' timed out after 500 seconds"));
    expect(telegramSendError(timeout).failure).toEqual({ kind: "ambiguous", reason: "no_answer:timeout" });
    const reset = new HttpError("Network request for 'sendMessage' failed!", Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }));
    expect(telegramSendError(reset).failure).toEqual({ kind: "ambiguous", reason: "no_answer:ECONNRESET" });
    const refused = new HttpError("Network request for 'sendMessage' failed!", Object.assign(new Error("refused"), { code: "ECONNREFUSED" }));
    expect(telegramSendError(refused).failure.kind).toBe("transient");

    expect(zaloSendError(new ZaloNetworkError("sendMessage", "timeout")).failure).toEqual({ kind: "ambiguous", reason: "no_answer:timeout" });
    expect(zaloSendError(new ZaloNetworkError("sendMessage", "UND_ERR_SOCKET")).failure.kind).toBe("ambiguous");
    expect(zaloSendError(new ZaloNetworkError("sendMessage", "ECONNREFUSED")).failure.kind).toBe("transient");
    expect(zaloSendError(new ZaloNetworkError("sendMessage", "ENOTFOUND")).failure.kind).toBe("transient");
  });
});

describe("a split message", () => {
  const file = { fileName: "bao-cao.pdf", mimeType: "application/pdf", data: new Uint8Array(Buffer.from("%PDF-1.4 test")) };
  // Longer than a caption: the text goes first, the file after it.
  const long = { text: "Báo cáo quý. ".repeat(100), file };

  it("Telegram: reports the parts delivered before a failure, and resumes at the next part", async () => {
    const sender = telegram(tg.apiRoot);
    tg.failNext("sendDocument", { error_code: 502, description: "Bad Gateway" });
    const err = await failureOf(sender.send("3101", long));
    expect(err.failure.kind).toBe("transient");
    expect(err.sentIds).toHaveLength(1);
    const rest = await sender.send("3101", long, { fromPart: err.sentIds.length });
    expect(rest).toHaveLength(1);
    const got = tg.sent.filter((c) => c.chat_id === "3101").map((c) => c.method);
    expect(got).toEqual(["sendMessage", "sendDocument"]);
  });

  it("Zalo: reports the parts delivered before a failure, and resumes at the next part", async () => {
    const sender = zaloAt(zalo.apiRoot, () => Promise.resolve("https://baocao.example.vn/f/bieu-do.png"));
    const chart = { text: "Biểu đồ", file: { fileName: "bieu-do.png", mimeType: "image/png", data: new Uint8Array([1, 2, 3]) } };
    zalo.failNext("sendMessage", { error_code: 500, description: "Internal error" });
    const err = await failureOf(sender.send("3102", chart));
    expect(err.failure.kind).toBe("transient");
    expect(err.sentIds).toHaveLength(1);
    await sender.send("3102", chart, { fromPart: 1 });
    expect(zalo.messagesTo("3102").map((c) => c.method)).toEqual(["sendPhoto", "sendMessage"]);
  });
});
