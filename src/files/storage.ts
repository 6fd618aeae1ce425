// Where attachment bytes live: a folder on this machine or an S3-compatible
// bucket. Keys are made by the app (see attachments.ts) and checked here, so
// a key can never reach outside the store.
import { randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, rm, stat } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";
import type { FilesConfig } from "../config.ts";
import { assertValidStorageKey, FileNotFoundError, InvalidStorageKeyError } from "./errors.ts";
import { createS3FileStore } from "./s3.ts";

export {
  assertValidStorageKey,
  FileNotFoundError,
  FileStoreError,
  InvalidStorageKeyError,
  isValidStorageKey,
} from "./errors.ts";
export { createS3FileStore, type S3FileStoreOptions } from "./s3.ts";

export interface FileStore {
  /** Writes all bytes or nothing; an existing key is replaced. */
  put(key: string, data: Uint8Array, meta: { mimeType: string }): Promise<void>;
  /** Throws FileNotFoundError when the key is absent. */
  get(key: string): Promise<Uint8Array>;
  exists(key: string): Promise<boolean>;
  /** Idempotent: deleting an absent key is not an error. */
  delete(key: string): Promise<void>;
}

function isNotFound(err: unknown): boolean {
  return (err as { code?: unknown }).code === "ENOENT";
}

/** Files under `dir`. Each put writes a temp file, syncs it and renames it into place. */
export function createLocalFileStore(dir: string): FileStore {
  const root = resolve(dir);

  function pathOf(key: string): string {
    assertValidStorageKey(key);
    const path = resolve(root, ...key.split("/"));
    // Belt and braces: the key rule already keeps paths inside root.
    if (!path.startsWith(root + sep)) throw new InvalidStorageKeyError(key);
    return path;
  }

  async function syncDir(path: string): Promise<void> {
    // Makes the rename itself durable, so a row written after put() never
    // points at a file a power cut took back. Not every platform allows it.
    try {
      const h = await open(path, "r");
      try {
        await h.sync();
      } finally {
        await h.close();
      }
    } catch {
      // best effort
    }
  }

  // Folders made by this process: a put into one skips the mkdir (a step
  // through the thread pool), unless the folder has gone since.
  const made = new Set<string>();
  async function openInFolder(path: string, folder: string) {
    if (made.has(folder)) {
      try {
        return await open(path, "wx", 0o640);
      } catch (err) {
        if (!isNotFound(err)) throw err;
        made.delete(folder);
      }
    }
    await mkdir(folder, { recursive: true });
    made.add(folder);
    return open(path, "wx", 0o640);
  }

  return {
    async put(key, data) {
      const path = pathOf(key);
      const folder = dirname(path);
      const tmp = join(folder, `.${path.slice(folder.length + 1)}.tmp-${randomBytes(6).toString("hex")}`);
      try {
        const h = await openInFolder(tmp, folder);
        try {
          await h.writeFile(data);
          await h.sync();
        } finally {
          await h.close();
        }
        await rename(tmp, path);
      } catch (err) {
        await rm(tmp, { force: true });
        throw err;
      }
      await syncDir(folder);
    },
    async get(key) {
      try {
        return new Uint8Array(await readFile(pathOf(key)));
      } catch (err) {
        if (isNotFound(err)) throw new FileNotFoundError(key);
        throw err;
      }
    },
    async exists(key) {
      try {
        return (await stat(pathOf(key))).isFile();
      } catch (err) {
        if (isNotFound(err)) return false;
        throw err;
      }
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
  };
}

/** The store the configuration names; local files go to <dataDir>/files. */
export function createFileStore(config: FilesConfig, dataDir: string): FileStore {
  const s = config.store;
  if (s.kind === "s3") return createS3FileStore(s);
  return createLocalFileStore(join(dataDir, "files"));
}
