// Zalo image downloads over real HTTP from the emulator's file route.
import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DownloadError, FileTooLargeError, type ChannelAdapter } from "../../src/channels/channel.ts";
import { createZaloAdapter } from "../../src/channels/zalo/adapter.ts";
import { createSandboxAdapter } from "../../src/channels/sandbox/adapter.ts";
import { startZaloEmulator, type ZaloEmulator, type ZaloUpdateJson } from "../emulators/zalo.ts";
import { recordingLogger } from "./helpers.ts";

let emu: ZaloEmulator;
let logger: ReturnType<typeof recordingLogger>;

beforeEach(async () => {
  emu = await startZaloEmulator();
  logger = recordingLogger();
});

afterEach(async () => {
  await emu.close();
  expect(JSON.stringify(logger.entries)).not.toContain(emu.token);
});

function adapter(): ChannelAdapter {
  return createZaloAdapter({ token: emu.token, apiRoot: emu.apiRoot, logger });
}

function fileOf(a: ChannelAdapter, update: ZaloUpdateJson): { fileId: string; sizeBytes?: number; caption?: string } {
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

const jpeg = (n: number): Buffer => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(n)]);

describe("zalo download", () => {
  it("fetches an image's bytes unchanged, with the served type", async () => {
    const a = adapter();
    const data = jpeg(120_000);
    const file = fileOf(a, emu.sendImageData("u1", data, { caption: "Trang ký" }));
    expect(file.caption).toBe("Trang ký");
    const got = await a.download(file, 1_000_000);
    expect(Buffer.from(got.data).equals(data)).toBe(true);
    expect(got.mimeType).toBe("image/jpeg");
    expect(got.fileName).toMatch(/^[0-9a-f]+\.jpg$/);
    expect(emu.fileDownloads).toHaveLength(1);
  });

  it("refuses by Content-Length before reading the body", async () => {
    const a = adapter();
    const file = fileOf(a, emu.sendImageData("u1", jpeg(50_000)));
    const err = await failure(a.download(file, 10_000));
    expect(err).toBeInstanceOf(FileTooLargeError);
    expect(err).toMatchObject({ maxBytes: 10_000, sizeBytes: 50_004 });
  });

  it("stops a chunked download at the limit", async () => {
    const a = adapter();
    const file = fileOf(a, emu.sendImageData("u1", jpeg(300_000), { declareLength: false }));
    const err = await failure(a.download(file, 100_000));
    expect(err).toBeInstanceOf(FileTooLargeError);
    expect(err).toMatchObject({ maxBytes: 100_000, sizeBytes: undefined });
  });

  it("refuses a declared size over the limit without fetching", async () => {
    const a = adapter();
    const url = emu.hostFile(jpeg(10));
    expect(await failure(a.download({ fileId: url, sizeBytes: 5000 }, 1000))).toBeInstanceOf(FileTooLargeError);
    expect(emu.fileDownloads).toHaveLength(0);
  });

  it("reports a vanished image as a permanent error", async () => {
    const err = await failure(adapter().download({ fileId: `${emu.apiRoot}/files/00ff.jpg` }, 1000));
    expect(err).toBeInstanceOf(DownloadError);
    expect(err).toMatchObject({ failure: { kind: "permanent", reason: "not_found" } });
  });

  it("refuses a file id that is not an http(s) URL", async () => {
    for (const fileId of ["file:///etc/passwd", "not a url", "ftp://x/y.jpg"]) {
      const err = await failure(adapter().download({ fileId }, 1000));
      expect(err).toMatchObject({ failure: { kind: "permanent", reason: "not_a_file_url" } });
    }
  });

  it("reports an unreachable host as transient", async () => {
    const err = await failure(adapter().download({ fileId: "http://127.0.0.1:1/x.jpg" }, 1000));
    expect(err).toMatchObject({ failure: { kind: "transient" } });
  });
});

describe("sandbox download", () => {
  const stored = new Uint8Array([0xff, 0xd8, 0xff, 0xe0]);
  const adapter = createSandboxAdapter({ record: () => Promise.resolve(1), file: (key) => Promise.resolve(key === "sandbox/a" ? stored : null) });

  it("hands over the bytes the page uploaded, by their storage key", async () => {
    expect(await adapter.download({ fileId: "sandbox/a", sizeBytes: 4 }, 1000)).toEqual({ data: stored });
  });

  it("refuses an unknown file for good, and one over the limit as too large", async () => {
    const err = await failure(adapter.download({ fileId: "sandbox/b" }, 1000));
    expect(err).toBeInstanceOf(DownloadError);
    expect(err).toMatchObject({ failure: { kind: "permanent", reason: "sandbox_file_not_found" } });
    expect(await failure(adapter.download({ fileId: "sandbox/a" }, 3))).toBeInstanceOf(FileTooLargeError);
  });
});
