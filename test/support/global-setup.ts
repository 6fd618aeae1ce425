// Fails the run early, with one clear line, when the services are down.
import pg from "pg";
import { Redis } from "ioredis";
import { adminUrl } from "./db.ts";

export default async function setup(): Promise<void> {
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
}
