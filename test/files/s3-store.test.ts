// The S3 store over real HTTP against a signature-checking S3 emulator.
import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createS3FileStore, objectUrl, type S3FileStoreOptions } from "../../src/files/s3.ts";
import { createFileStore, FileNotFoundError, FileStoreError, InvalidStorageKeyError } from "../../src/files/storage.ts";
import { startS3Emulator, type S3Emulator } from "./s3-emulator.ts";

let s3: S3Emulator;

beforeEach(async () => {
  s3 = await startS3Emulator();
});
afterEach(async () => {
  await s3.close();
});

function store(extra: Partial<S3FileStoreOptions> = {}) {
  return createS3FileStore({
    endpoint: s3.endpoint,
    region: s3.region,
    bucket: s3.bucket,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    forcePathStyle: true,
    ...extra,
  });
}

async function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error("expected a failure");
    },
    (e: unknown) => e,
  );
}

describe("S3 file store", () => {
  it("puts, gets, checks and deletes an object, signed", async () => {
    const st = store();
    const key = "attachments/2026/11/3f2c-Bao-cao.pdf";
    const data = randomBytes(70_000);
    await st.put(key, data, { mimeType: "application/pdf" });
    expect(s3.objects.get(key)?.contentType).toBe("application/pdf");
    expect(Buffer.from(await st.get(key)).equals(data)).toBe(true);
    expect(await st.exists(key)).toBe(true);
    await st.delete(key);
    expect(await st.exists(key)).toBe(false);
    await st.delete(key); // idempotent
    expect(s3.requests.every((r) => r.status !== 403)).toBe(true);
  });

  it("reports a missing object as FileNotFoundError", async () => {
    expect(await failure(store().get("attachments/none.pdf"))).toBeInstanceOf(FileNotFoundError);
  });

  it("is refused with a wrong secret, and the error names the S3 code but not the secret", async () => {
    const err = await failure(store({ secretAccessKey: "wrong-secret-value" }).put("a/b.pdf", Buffer.from("x"), { mimeType: "application/pdf" }));
    expect(err).toBeInstanceOf(FileStoreError);
    expect(err).toMatchObject({ transient: false });
    expect(String(err)).toContain("SignatureDoesNotMatch");
    expect(String(err)).not.toContain("wrong-secret-value");
    expect(s3.objects.size).toBe(0);
  });

  it("is refused with a clock off by more than 15 minutes", async () => {
    const err = await failure(store({ now: () => new Date(Date.now() - 3600_000) }).get("a/b.pdf"));
    expect(String(err)).toContain("RequestTimeTooSkewed");
  });

  it("marks 5xx and network failures transient", async () => {
    s3.failNext(503);
    expect(await failure(store().put("a/b.pdf", Buffer.from("x"), { mimeType: "application/pdf" }))).toMatchObject({ transient: true });
    const down = createS3FileStore({ ...s3, endpoint: "http://127.0.0.1:1", forcePathStyle: true });
    expect(await failure(down.exists("a/b.pdf"))).toMatchObject({ name: "FileStoreError", transient: true });
  });

  it("refuses keys that could escape, before any request", async () => {
    for (const key of ["../x", "a/../b", "/abs", "a//b", ".hidden", "a\\b", ""]) {
      expect(await failure(store().get(key))).toBeInstanceOf(InvalidStorageKeyError);
    }
    expect(s3.requests).toHaveLength(0);
  });

  it("builds path-style and virtual-hosted URLs", () => {
    const cfg = { endpoint: "https://s3.ap-southeast-1.amazonaws.com/", bucket: "bc", forcePathStyle: false };
    expect(objectUrl(cfg, "attachments/2026/a.pdf").href).toBe("https://bc.s3.ap-southeast-1.amazonaws.com/attachments/2026/a.pdf");
    expect(objectUrl({ ...cfg, forcePathStyle: true, endpoint: "http://minio:9000/base" }, "a b.pdf").href).toBe("http://minio:9000/base/bc/a%20b.pdf");
  });

  it("is what createFileStore makes for FILE_STORAGE=s3", async () => {
    const st = createFileStore(
      {
        maxBytes: 1000,
        store: { kind: "s3", endpoint: s3.endpoint, region: s3.region, bucket: s3.bucket, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, forcePathStyle: true },
      },
      "/nonexistent",
    );
    await st.put("k/1.png", Buffer.from("png"), { mimeType: "image/png" });
    expect(s3.objects.has("k/1.png")).toBe(true);
  });
});
