import { mkdtemp, mkdir, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createFileStore, createLocalFileStore, FileNotFoundError, InvalidStorageKeyError } from "../../src/files/storage.ts";

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "baocao-files-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function allFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(root.length + 1)).sort();
}

async function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error("expected a failure");
    },
    (e: unknown) => e,
  );
}

describe("local file store", () => {
  it("writes into nested folders and reads back the same bytes", async () => {
    const st = createLocalFileStore(dir);
    const key = "attachments/2026/11/abc-Bao-cao.pdf";
    await st.put(key, Buffer.from("%PDF-1"), { mimeType: "application/pdf" });
    expect(Buffer.from(await st.get(key)).toString()).toBe("%PDF-1");
    expect(await st.exists(key)).toBe(true);
    expect(await allFiles(dir)).toEqual([join("attachments", "2026", "11", "abc-Bao-cao.pdf")]);
  });

  it("replaces an existing key whole and leaves no temp files", async () => {
    const st = createLocalFileStore(dir);
    await st.put("k/a.bin", Buffer.from("first version"), { mimeType: "x" });
    await st.put("k/a.bin", Buffer.from("2nd"), { mimeType: "x" });
    expect(Buffer.from(await st.get("k/a.bin")).toString()).toBe("2nd");
    expect(await allFiles(dir)).toEqual([join("k", "a.bin")]);
  });

  it("cleans up its temp file when the rename fails", async () => {
    const st = createLocalFileStore(dir);
    await mkdir(join(dir, "k", "taken"), { recursive: true }); // a folder where the file should go
    await expect(st.put("k/taken", Buffer.from("x"), { mimeType: "x" })).rejects.toThrow();
    expect(await allFiles(dir)).toEqual([]);
  });

  it("reports missing keys and deletes idempotently", async () => {
    const st = createLocalFileStore(dir);
    expect(await failure(st.get("no/such.pdf"))).toBeInstanceOf(FileNotFoundError);
    expect(await st.exists("no/such.pdf")).toBe(false);
    await st.put("a.pdf", Buffer.from("x"), { mimeType: "x" });
    await st.delete("a.pdf");
    await st.delete("a.pdf");
    expect(await st.exists("a.pdf")).toBe(false);
  });

  it("refuses keys that could leave the folder", async () => {
    const st = createLocalFileStore(join(dir, "store"));
    for (const key of ["../escape", "a/../../escape", "/etc/passwd", "a//b", "./a", "a/.", ".a.tmp-1", "a\\..\\b", "", "x".repeat(600)]) {
      expect(await failure(st.put(key, Buffer.from("x"), { mimeType: "x" }))).toBeInstanceOf(InvalidStorageKeyError);
      expect(await failure(st.get(key))).toBeInstanceOf(InvalidStorageKeyError);
    }
    expect(await allFiles(dir)).toEqual([]);
  });

  it("is what createFileStore makes by default, under DATA_DIR/files", async () => {
    const st = createFileStore({ maxBytes: 1000, store: { kind: "local" } }, dir);
    await st.put("x/y.png", Buffer.from("p"), { mimeType: "image/png" });
    expect(await allFiles(dir)).toEqual([join("files", "x", "y.png")]);
  });
});
