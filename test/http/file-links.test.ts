// Signed download links: served over real HTTP from a local FileStore.
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.ts";
import { createLocalFileStore, type FileStore } from "../../src/files/storage.ts";
import {
  asciiName,
  contentDisposition,
  createFileLinks,
  decodeToken,
  encodeToken,
  fileLinkFor,
  loadOrCreateSecret,
  type FileLinks,
} from "../../src/http/file-links.ts";
import { createHttpServer, type HttpServer } from "../../src/http/server.ts";
import { createLogger } from "../../src/logger.ts";
import { vi as texts } from "../../src/texts/vi.ts";
import { recordingLogger } from "../channels/helpers.ts";

const SECRET = "test-secret-0123456789-abcdefghijklmnop";
const BASE = "https://baocao.example.vn";
const HOUR = 3_600_000;
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

let dir: string;
let store: FileStore;
let clock: ReturnType<typeof fixedClock>;
let links: FileLinks;
let server: HttpServer;
let origin: string;
let logger: ReturnType<typeof recordingLogger>;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "baocao-links-"));
  store = createLocalFileStore(join(dir, "files"));
  clock = fixedClock(new Date("2026-09-20T03:00:00Z"));
  logger = recordingLogger();
  links = createFileLinks({ secret: SECRET, baseUrl: `${BASE}/`, store, now: () => clock.now(), logger });
  server = createHttpServer({ logger: createLogger("silent"), routes: [links.route] });
  origin = `http://127.0.0.1:${(await server.listen(0, "127.0.0.1")).port}`;
});

afterEach(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

/** Fetches a link's path from the test server (the public base URL is a proxy's in real life). */
function get(link: string, init?: RequestInit): Promise<Response> {
  const url = new URL(link, BASE);
  return fetch(`${origin}${url.pathname}`, init);
}

function tokenOf(link: string): string {
  return new URL(link).pathname.split("/")[2]!;
}

/** The base64url character that differs from `c` only in the 2 bits a 32-byte value leaves unused. */
function spareBits(c: string): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  return alphabet[alphabet.indexOf(c) ^ 1]!;
}

const xlsxFile = { fileName: "Tình hình nộp quý III – Tân Phong.xlsx", mimeType: XLSX, data: new Uint8Array([0x50, 0x4b, 3, 4, 0, 255]) };

describe("file links", () => {
  it("stores the file under exports/ and serves the exact bytes with type and a UTF-8 file name", async () => {
    const link = await links.link(xlsxFile, HOUR);
    expect(link).toMatch(/^https:\/\/baocao\.example\.vn\/f\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}\/Tinh-hinh-nop-quy-III-Tan-Phong\.xlsx$/);

    const files = await readdirDeep(join(dir, "files"));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^exports\/[0-9a-f-]{36}-Tinh-hinh-nop-quy-III-Tan-Phong\.xlsx$/);

    const res = await get(link);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(XLSX);
    expect(res.headers.get("content-disposition")).toBe(
      `attachment; filename="Tinh-hinh-nop-quy-III-Tan-Phong.xlsx"; filename*=UTF-8''${encodeURIComponent(xlsxFile.fileName)}`,
    );
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(xlsxFile.data);
    // Still good just before it expires; the name after the token is decoration.
    clock.advance(HOUR - 1);
    expect((await fetch(`${origin}/f/${tokenOf(link)}`)).status).toBe(200);
  });

  it("shows charts inline", async () => {
    const link = await links.link({ fileName: "Biểu đồ tiến độ.png", mimeType: "image/png", data: new Uint8Array([0x89, 0x50]) }, HOUR);
    const res = await get(link);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("content-disposition")).toMatch(/^inline; filename="Bieu-do-tien-do\.png"; filename\*=UTF-8''Bi%E1%BB%83u%20%C4%91%E1%BB%93/);
  });

  it("answers 404 with the same plain page for tampered, foreign and malformed tokens", async () => {
    const link = await links.link(xlsxFile, HOUR);
    const token = tokenOf(link);
    const [payload, sig] = token.split(".") as [string, string];
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);
    const forged = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
    const longer = Buffer.from(JSON.stringify({ ...forged, e: Date.UTC(2099, 0, 1) })).toString("base64url");
    const bad = [
      `${flip(payload, 5)}.${sig}`, // payload changed
      `${payload}.${flip(sig, 0)}`, // signature changed, first byte
      `${payload}.${flip(sig, 42)}`, // signature changed, last character
      `${payload}.${sig.slice(0, 42)}${spareBits(sig[42]!)}`, // same bytes, other spelling (spare bits of the last character)
      `${longer}.${sig}`, // expiry pushed out
      encodeToken("another-secret-0123456789-abcdefghijkl", forged as Parameters<typeof encodeToken>[1]), // signed by someone else
      "",
      "abc",
      "a.b",
      `${payload}.`,
      `.${sig}`,
      `${payload}.${sig}.x`,
      `${payload}.${sig}==`,
      "%00%0d%0a",
      "x".repeat(5000),
    ];
    const pages = new Set<string>();
    for (const t of bad) {
      const res = await fetch(`${origin}/f/${t}`);
      expect(res.status, t.slice(0, 40)).toBe(404);
      const body = await res.text();
      pages.add(body);
    }
    expect(pages.size).toBe(1);
    const page = [...pages][0]!;
    expect(page).toContain(texts.exports.link.notFound);
    expect(page).not.toMatch(/signature|expired|malformed|exports\/|json/i);
    // The reason is logged for the operator, never the token.
    expect(logger.entries.map((e) => e.obj.reason)).toEqual(expect.arrayContaining(["bad_signature", "malformed"]));
    expect(JSON.stringify(logger.entries)).not.toContain(sig);
  });

  it("answers 410 once expired, and removes the stored file", async () => {
    const link = await links.link(xlsxFile, HOUR);
    const [key] = await readdirDeep(join(dir, "files"));
    clock.advance(HOUR);
    const res = await get(link);
    expect(res.status).toBe(410);
    expect(await res.text()).toContain(texts.exports.link.expired);
    await expect.poll(() => store.exists(key!)).toBe(false);
  });

  it("answers 404 when the file is gone or the key is outside exports/", async () => {
    const link = await links.link(xlsxFile, HOUR);
    const [key] = await readdirDeep(join(dir, "files"));
    await store.delete(key!);
    expect((await get(link)).status).toBe(404);

    await store.put("attachments/x/a.pdf", new Uint8Array([1]), { mimeType: "application/pdf" });
    const sneaky = encodeToken(SECRET, { v: 1, k: "attachments/x/a.pdf", n: "a.pdf", m: "application/pdf", e: clock.now().getTime() + HOUR });
    expect((await fetch(`${origin}/f/${sneaky}`)).status).toBe(404);
    const traversal = encodeToken(SECRET, { v: 1, k: "exports/../attachments/x/a.pdf", n: "a.pdf", m: "application/pdf", e: clock.now().getTime() + HOUR });
    expect((await fetch(`${origin}/f/${traversal}`)).status).toBe(404);
  });

  it("never serves a content type it did not make safe", async () => {
    await store.put("exports/evil", new Uint8Array([60]), { mimeType: "text/html" });
    const token = encodeToken(SECRET, { v: 1, k: "exports/evil", n: "x.html", m: "text/html\r\nset-cookie: a=b", e: clock.now().getTime() + HOUR });
    const res = await fetch(`${origin}/f/${token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/octet-stream");
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(res.headers.get("content-disposition")).toMatch(/^attachment;/);
  });

  it("checks the signature before it reads the expiry", () => {
    const now = clock.now();
    const token = encodeToken(SECRET, { v: 1, k: "exports/a", n: "a", m: "text/csv", e: now.getTime() - 1 });
    expect(decodeToken(SECRET, token, now)).toEqual({ ok: false, reason: "expired", key: "exports/a" });
    expect(decodeToken("another-secret-0123456789-abcdefghijkl", token, now)).toEqual({ ok: false, reason: "bad_signature" });
  });
});

describe("fileLinkFor", () => {
  it("gives the Zalo adapter a link, or undefined (and a warning without content) when storing fails", async () => {
    const ok = fileLinkFor(links, HOUR, logger);
    expect(await ok(xlsxFile)).toMatch(/^https:\/\/baocao\.example\.vn\/f\//);

    const broken = createFileLinks({
      secret: SECRET,
      baseUrl: BASE,
      store: { ...store, put: () => Promise.reject(new Error("disk full")) },
      now: () => clock.now(),
    });
    const failing = fileLinkFor(broken, HOUR, logger);
    expect(await failing(xlsxFile)).toBeUndefined();
    const warning = logger.entries.find((e) => e.msg === "file link failed");
    expect(warning?.level).toBe("warn");
    expect(JSON.stringify(warning)).not.toContain("Tình hình");
  });
});

describe("names", () => {
  it("makes ASCII names for keys and old browsers", () => {
    expect(asciiName("Tổng hợp Đảng ủy xã.xlsx")).toBe("Tong-hop-Dang-uy-xa.xlsx");
    expect(asciiName("../../etc/passwd")).toBe("etc-passwd");
    expect(asciiName("日本")).toBe("file");
    expect(contentDisposition('a"b\r\n.csv', false)).toBe(`attachment; filename="a-b-.csv"; filename*=UTF-8''a%22b%0D%0A.csv`);
  });
});

describe("loadOrCreateSecret", () => {
  it("makes a secret once, private to the owner, and reads it back", async () => {
    const data = join(dir, "data");
    const first = await loadOrCreateSecret(data);
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await loadOrCreateSecret(data)).toBe(first);
    expect((await stat(join(data, "secret"))).mode & 0o777).toBe(0o600);
    expect((await readFile(join(data, "secret"), "utf8")).trim()).toBe(first);
    // Two starts at once agree.
    const other = join(dir, "other");
    const [a, b] = await Promise.all([loadOrCreateSecret(other), loadOrCreateSecret(other)]);
    expect(a).toBe(b);
  });

  it("refuses a secret file that is too short", async () => {
    await writeFile(join(dir, "secret"), "short\n");
    await expect(loadOrCreateSecret(dir)).rejects.toThrow(/shorter than 32 characters/);
  });
});

async function readdirDeep(root: string): Promise<string[]> {
  const { readdir } = await import("node:fs/promises");
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && !e.name.startsWith("."))
    .map((e) => join(e.parentPath, e.name).slice(root.length + 1))
    .sort();
}
