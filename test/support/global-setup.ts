// Fails the run early, with one clear line, when the services are down; and
// fails it at the end when a test wrote into ./data, the app's default
// DATA_DIR: tests keep their files in temporary folders.
import { existsSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { Redis } from "ioredis";
import { adminUrl } from "./db.ts";

const defaultDataDir = fileURLToPath(new URL("../../data", import.meta.url));

/** The folder itself and everything under it, as paths from the project root. */
function dataDirEntries(): Set<string> {
  if (!existsSync(defaultDataDir)) return new Set();
  return new Set(["data/", ...readdirSync(defaultDataDir, { recursive: true, encoding: "utf8" }).map((e) => `data/${e}`)]);
}

/** A throw here would only be logged; the exit code is what CI sees. */
function failIfDataDirGrew(before: Set<string>): void {
  const added = [...dataDirEntries()].filter((e) => !before.has(e)).sort();
  if (added.length === 0) return;
  const more = added.length > 5 ? ` and ${added.length - 5} more` : "";
  process.stderr.write(
    `\nTests wrote into ./data, the default DATA_DIR: ${added.slice(0, 5).join(", ")}${more}. ` +
      `Give them a temporary DATA_DIR (startTestApp does); a bot started from this folder meanwhile would also write there.\n`,
  );
  process.exitCode = 1;
}

export default async function setup(): Promise<() => void> {
  const before = dataDirEntries();
  const c = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.end();
  } catch (err) {
    throw new Error(`Tests need PostgreSQL at ${adminUrl} (set TEST_DATABASE_URL): ${(err as Error).message}`);
  }
  const url = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await r.connect();
    await r.ping();
  } catch (err) {
    throw new Error(`Tests need Redis at ${url} (set TEST_REDIS_URL): ${(err as Error).message}`);
  } finally {
    r.disconnect();
  }
  return () => failIfDataDirGrew(before);
}
