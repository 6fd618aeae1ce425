// The configuration of file links, and a chart and a workbook reaching a Zalo
// user as links that open (Zalo emulator, real HTTP).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createZaloAdapter } from "../../src/channels/zalo/adapter.ts";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { renderChart, PNG_MIME } from "../../src/exports/chart.ts";
import { buildWorkbook, XLSX_MIME } from "../../src/exports/workbook.ts";
import { createLocalFileStore } from "../../src/files/storage.ts";
import { createFileLinks, fileLinkFor } from "../../src/http/file-links.ts";
import { createHttpServer, type Route } from "../../src/http/server.ts";
import { createLogger } from "../../src/logger.ts";
import { startZaloEmulator } from "../emulators/zalo.ts";
import { recordingLogger } from "../channels/helpers.ts";
import { onTimeSpec, sample } from "../exports/fixtures.ts";

const SECRET = "a".repeat(16) + "-0123456789_abcdefghij";

function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error("expected a configuration error");
}

describe("file link configuration", () => {
  it("is off without PUBLIC_URL", () => {
    expect(loadConfig({}).fileLinks).toBeUndefined();
    expect(loadConfig({ FILE_LINK_SECRET: SECRET }).fileLinks).toBeUndefined();
  });

  it("takes PUBLIC_URL and a TTL; without a secret a single process makes its own", () => {
    const c = loadConfig({ PUBLIC_URL: "https://baocao.example.vn/bot/" });
    expect(c.fileLinks).toEqual({ publicUrl: "https://baocao.example.vn/bot", ttlMs: 72 * 3_600_000 });
    const d = loadConfig({ PUBLIC_URL: "https://baocao.example.vn", FILE_LINK_SECRET: SECRET, FILE_LINK_TTL_HOURS: "24", ROLES: "http" });
    expect(d.fileLinks).toEqual({ publicUrl: "https://baocao.example.vn", secret: SECRET, ttlMs: 24 * 3_600_000 });
  });

  it("requires a shared secret when roles run in separate processes", () => {
    expect(configError({ PUBLIC_URL: "https://baocao.example.vn", ROLES: "http" })).toBe(
      "Configuration error: FILE_LINK_SECRET is required when PUBLIC_URL is set and roles run in separate processes (32-256 characters). See .env.example.",
    );
    expect(() => loadConfig({ PUBLIC_URL: "https://baocao.example.vn" }, ["--role=processor"])).toThrow(/FILE_LINK_SECRET is required/);
  });

  it("refuses bad values in one line, without echoing the secret", () => {
    expect(configError({ PUBLIC_URL: "ftp://baocao.example.vn" })).toMatch(/^Configuration error: PUBLIC_URL must be the bot's public https:\/\/ address/);
    expect(configError({ PUBLIC_URL: "https://baocao.example.vn/?a=1" })).toMatch(/PUBLIC_URL must be a plain base address/);
    const short = configError({ PUBLIC_URL: "https://baocao.example.vn", FILE_LINK_SECRET: "tooshort-secret" });
    expect(short).toMatch(/^Configuration error: FILE_LINK_SECRET must be 32 to 256 characters\. See \.env\.example\.$/);
    expect(short).not.toContain("tooshort");
    expect(configError({ FILE_LINK_TTL_HOURS: "0" })).toMatch(/FILE_LINK_TTL_HOURS must be a whole number from 1 to 720/);
  });
});

describe("exports on Zalo", () => {
  it("sends a chart as a photo by URL and a workbook as a link, and both open", async () => {
    const dir = await mkdtemp(join(tmpdir(), "baocao-zalo-links-"));
    const emu = await startZaloEmulator();
    const routes: Route[] = [];
    const server = createHttpServer({ logger: createLogger("silent"), routes });
    try {
      const origin = `http://127.0.0.1:${(await server.listen(0, "127.0.0.1")).port}`;
      const links = createFileLinks({ secret: SECRET, baseUrl: origin, store: createLocalFileStore(dir), now: () => new Date() });
      // The route joins after listen, once the port for the base URL is known; routes are read per request.
      routes.push(links.route);
      const logger = recordingLogger();
      const zalo = createZaloAdapter({ token: emu.token, apiRoot: emu.apiRoot, logger, fileLink: fileLinkFor(links, 3_600_000, logger) });

      const png = renderChart(onTimeSpec);
      await zalo.send("c1", { text: "Biểu đồ tỷ lệ đúng hạn", file: { fileName: "Biểu đồ.png", mimeType: PNG_MIME, data: png } });
      const [photo, caption] = emu.messagesTo("c1");
      expect(photo?.method).toBe("sendPhoto");
      const photoRes = await fetch(photo!.photo!);
      expect(photoRes.headers.get("content-type")).toBe("image/png");
      expect(Buffer.from(await photoRes.arrayBuffer()).equals(png)).toBe(true);
      expect(caption?.text).toContain(photo!.photo!);

      const xlsx = await buildWorkbook(sample);
      await zalo.send("c2", { text: "Tổng hợp quý III", file: { fileName: "Tổng hợp quý III.xlsx", mimeType: XLSX_MIME, data: xlsx } });
      const [message] = emu.messagesTo("c2");
      const url = /https?:\/\/\S+/.exec(message!.text ?? "")?.[0];
      expect(url).toBeDefined();
      const res = await fetch(url!);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-disposition")).toMatch(/^attachment;/);
      expect(Buffer.from(await res.arrayBuffer()).equals(xlsx)).toBe(true);
    } finally {
      await server.close();
      await emu.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
