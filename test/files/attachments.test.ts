// Saving attachments on a real PostgreSQL and a real folder.
import { createHash } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  AttachmentRejectedError,
  attachmentKey,
  checkAttachmentType,
  safeKeyName,
  saveAttachment,
} from "../../src/files/attachments.ts";
import { createLocalFileStore, type FileStore } from "../../src/files/storage.ts";
import { createTestDb, type TestDb } from "../support/db.ts";
import { docx, exe, jpeg, ole, pdf, png, xlsx } from "./fixtures.ts";

let t: TestDb;
let dir: string | undefined;
let store: FileStore;
let personId: number;
const now = new Date("2026-10-31T18:30:00Z"); // already 1 November in Vietnam

beforeAll(async () => {
  t = await createTestDb();
  personId = (await t.db.prisma.person.create({ data: { code: "P1", fullName: "Nguyễn Văn A" }, select: { id: true } })).id;
});
afterAll(async () => {
  await t.cleanup();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  const fresh = await mkdtemp(join(tmpdir(), "baocao-att-"));
  dir = fresh;
  store = createLocalFileStore(fresh);
  await t.db.prisma.attachment.deleteMany();
});

async function storedFiles(): Promise<string[]> {
  const entries = await readdir(dir ?? "", { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => e.name);
}

async function rejection(p: Promise<unknown>): Promise<AttachmentRejectedError> {
  const err = await p.then(
    () => {
      throw new Error("expected a refusal");
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AttachmentRejectedError);
  return err as AttachmentRejectedError;
}

describe("saveAttachment", () => {
  it("stores the bytes and the row, with hash, size and the sniffed type", async () => {
    const data = pdf();
    const saved = await saveAttachment(
      { store, prisma: t.db.prisma },
      { data, fileName: "Báo cáo quý III - Đảng ủy xã.pdf", mimeType: "application/octet-stream", uploadedById: personId, answerPath: "bao_cao", now },
    );
    expect(saved).toMatchObject({
      fileName: "Báo cáo quý III - Đảng ủy xã.pdf",
      mimeType: "application/pdf",
      sizeBytes: data.byteLength,
      sha256: createHash("sha256").update(data).digest("hex"),
    });
    expect(saved.storageKey).toMatch(/^attachments\/2026\/11\/[0-9a-f-]{36}-Bao-cao-quy-III-Dang-uy-xa\.pdf$/);
    expect(Buffer.from(await store.get(saved.storageKey)).equals(Buffer.from(data))).toBe(true);
    const row = await t.db.prisma.attachment.findUniqueOrThrow({ where: { id: saved.id } });
    expect(row).toMatchObject({ storageKey: saved.storageKey, uploadedById: personId, answerPath: "bao_cao", submissionId: null, createdAt: now });
  });

  it.each([
    ["Quyết định.docx", docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"],
    ["so-lieu.xlsx", xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
    ["cu.doc", ole(), "application/msword"],
    ["bieu-mau.xls", ole(), "application/vnd.ms-excel"],
    ["trang-ky.JPG", jpeg(), "image/jpeg"],
    ["anh.png", png(), "image/png"],
  ])("takes %s", async (fileName, data, mimeType) => {
    const saved = await saveAttachment({ store, prisma: t.db.prisma }, { data, fileName, mimeType: "x", uploadedById: personId, now });
    expect(saved.mimeType).toBe(mimeType);
  });

  it("names a photo that came without a name by its real type", async () => {
    const saved = await saveAttachment({ store, prisma: t.db.prisma }, { data: jpeg(), fileName: "", mimeType: "image/jpeg", uploadedById: personId, now });
    expect(saved.fileName).toBe("tep-dinh-kem.jpg");
    expect(saved.storageKey).toMatch(/-tep-dinh-kem\.jpg$/);
  });

  it("refuses an .exe renamed to .pdf, storing nothing", async () => {
    const err = await rejection(
      saveAttachment({ store, prisma: t.db.prisma }, { data: exe(), fileName: "bao-cao.pdf", mimeType: "application/pdf", uploadedById: personId, now }),
    );
    expect(err).toMatchObject({ reason: "unsupported_type", declaredExtension: "pdf" });
    expect(await storedFiles()).toEqual([]);
    expect(await t.db.prisma.attachment.count()).toBe(0);
  });

  it("refuses a real file under another type's extension", async () => {
    const err = await rejection(
      saveAttachment({ store, prisma: t.db.prisma }, { data: png(), fileName: "bao-cao.pdf", mimeType: "application/pdf", uploadedById: personId, now }),
    );
    expect(err).toMatchObject({ reason: "type_mismatch", declaredExtension: "pdf", detected: "png" });
    expect(() => checkAttachmentType(xlsx(), "a.docx")).toThrow(AttachmentRejectedError);
    expect(() => checkAttachmentType(pdf(), "a.exe")).toThrow(AttachmentRejectedError);
    expect(() => checkAttachmentType(new Uint8Array(0), "a.pdf")).toThrow(/empty/);
  });

  it("takes the file back when the row cannot be written", async () => {
    await expect(
      saveAttachment({ store, prisma: t.db.prisma }, { data: pdf(), fileName: "a.pdf", mimeType: "application/pdf", uploadedById: 999_999, now }),
    ).rejects.toThrow();
    expect(await storedFiles()).toEqual([]);
  });

  it("writes no row when the bytes could not be stored", async () => {
    const broken: FileStore = { ...store, put: () => Promise.reject(new Error("disk full")) };
    await expect(
      saveAttachment({ store: broken, prisma: t.db.prisma }, { data: pdf(), fileName: "a.pdf", mimeType: "application/pdf", uploadedById: personId, now }),
    ).rejects.toThrow("disk full");
    expect(await t.db.prisma.attachment.count()).toBe(0);
  });

  it("works inside a transaction", async () => {
    const saved = await t.db.prisma.$transaction((tx) =>
      saveAttachment({ store, prisma: tx }, { data: png(), fileName: "x.png", mimeType: "image/png", uploadedById: personId, now }),
    );
    expect(await store.exists(saved.storageKey)).toBe(true);
  });
});

describe("storage keys", () => {
  it("are ASCII, bounded and keep the extension", () => {
    expect(safeKeyName("Báo cáo Đảng ủy (bản ký).PDF")).toBe("Bao-cao-Dang-uy-ban-ky.pdf");
    expect(safeKeyName("../../etc/passwd")).toBe("etc-passwd");
    expect(safeKeyName("тест.pdf")).toBe("file.pdf");
    expect(safeKeyName(`${"a".repeat(300)}.docx`)).toBe(`${"a".repeat(80)}.docx`);
    expect(attachmentKey("x.pdf", new Date("2026-01-31T17:00:00Z"), "id")).toBe("attachments/2026/02/id-x.pdf");
  });
});
