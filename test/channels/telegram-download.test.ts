// Telegram file downloads against the emulator: getFile, then the file route.
import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DownloadError, FileTooLargeError, type ChannelAdapter } from "../../src/channels/channel.ts";
import { createTelegramAdapter } from "../../src/channels/telegram/adapter.ts";
import { startTelegramEmulator, type TelegramEmulator, type TgUpdateJson } from "../emulators/telegram.ts";
import { recordingLogger } from "./helpers.ts";

let emu: TelegramEmulator;
let logger: ReturnType<typeof recordingLogger>;

beforeEach(async () => {
  emu = await startTelegramEmulator({ maxGetFileBytes: 200_000 });
  logger = recordingLogger();
});

afterEach(async () => {
  await emu.close();
  expect(JSON.stringify(logger.entries)).not.toContain(emu.token);
});

function adapter(apiRoot = emu.apiRoot): ChannelAdapter {
  return createTelegramAdapter({ token: emu.token, apiRoot, logger });
}

function fileOf(a: ChannelAdapter, update: TgUpdateJson): { fileId: string; sizeBytes?: number; mimeType?: string; fileName?: string } {
  const content = a.toInbound(update)?.content;
  if (content?.type !== "file") throw new Error("expected a file message");
  return content;
}

async function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error("expected the download to fail");
    },
    (e: unknown) => e,
  );
}

const pdf = (n: number): Uint8Array => Buffer.concat([Buffer.from("%PDF-1.7\n"), randomBytes(n)]);

describe("telegram download", () => {
  it("fetches a document's bytes unchanged", async () => {
    const a = adapter();
    const data = pdf(150_000);
    const file = fileOf(a, emu.userSendsDocument(111, { fileName: "Báo cáo quý 3.pdf", mimeType: "application/pdf", data }));
    expect(file).toMatchObject({ fileName: "Báo cáo quý 3.pdf", mimeType: "application/pdf", sizeBytes: data.byteLength });
    const got = await a.download(file, 1_000_000);
    expect(Buffer.from(got.data).equals(Buffer.from(data))).toBe(true);
    expect(emu.fileDownloads).toEqual([expect.stringMatching(/^documents\/file_\d+\.pdf$/)]);
  });

  it("fetches the largest size of a photo", async () => {
    const a = adapter();
    const data = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(5000)]);
    const file = fileOf(a, emu.userSendsPhoto(111, data, { caption: "trang ký" }));
    const got = await a.download(file, 1_000_000);
    expect(Buffer.from(got.data).equals(data)).toBe(true);
  });

  it("refuses a file whose declared size is over the limit without calling Telegram", async () => {
    const a = adapter();
    const file = fileOf(a, emu.userSendsDocument(111, { fileName: "a.pdf", mimeType: "application/pdf", data: pdf(5000) }));
    const err = await failure(a.download(file, 1000));
    expect(err).toBeInstanceOf(FileTooLargeError);
    expect(err).toMatchObject({ maxBytes: 1000, sizeBytes: file.sizeBytes });
    expect(emu.calls.filter((c) => c.method === "getFile")).toHaveLength(0);
  });

  it("refuses by getFile's size when the message did not declare one", async () => {
    const a = adapter();
    const f = emu.registerFile(pdf(5000), { ext: "pdf" });
    const err = await failure(a.download({ fileId: f.file_id }, 1000));
    expect(err).toBeInstanceOf(FileTooLargeError);
    expect(emu.fileDownloads).toHaveLength(0);
  });

  it("stops a download that streams past the limit when no size was declared", async () => {
    const a = adapter();
    const f = emu.registerFile(pdf(150_000), { ext: "pdf", declareSize: false });
    const err = await failure(a.download({ fileId: f.file_id }, 100_000));
    expect(err).toBeInstanceOf(FileTooLargeError);
    expect(emu.fileDownloads).toHaveLength(1);
    // Under the limit the same undeclared file comes through whole.
    expect((await a.download({ fileId: f.file_id }, 200_000)).data.byteLength).toBe(150_009);
  });

  it("maps Telegram's 'file is too big' (the 20 MB cloud limit) to FileTooLargeError", async () => {
    const a = adapter();
    const f = emu.registerFile(pdf(250_000), { ext: "pdf", declareSize: false });
    expect(await failure(a.download({ fileId: f.file_id }, 1_000_000))).toBeInstanceOf(FileTooLargeError);
  });

  it("reports an unknown file id as a permanent error", async () => {
    const err = await failure(adapter().download({ fileId: "no-such-file" }, 1000));
    expect(err).toBeInstanceOf(DownloadError);
    expect(err).toMatchObject({ failure: { kind: "permanent", reason: "file_not_found" } });
  });

  it("reports an unreachable server as a transient error that does not quote the token", async () => {
    const err = await failure(adapter("http://127.0.0.1:1").download({ fileId: "x" }, 1000));
    expect(err).toBeInstanceOf(DownloadError);
    expect(err).toMatchObject({ failure: { kind: "transient" } });
    expect(String(err)).not.toContain(emu.token);
  });
});
