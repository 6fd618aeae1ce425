// Each test file gets its own database on the local PostgreSQL server, with
// the real migrations applied. Nothing is mocked.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { openPostgres, type Database } from "../../src/db/database.ts";
import { migrate } from "../../src/db/migrate.ts";

export const adminUrl = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export function databaseUrl(name: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function createEmptyDatabase(): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const name = `baocao_t_${randomBytes(6).toString("hex")}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  return {
    name,
    url: databaseUrl(name),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

export interface TestDb {
  db: Database;
  url: string;
  name: string;
  cleanup(): Promise<void>;
}

/** A fresh, migrated database. Call cleanup() in afterAll. */
export async function createTestDb(): Promise<TestDb> {
  const empty = await createEmptyDatabase();
  const db = openPostgres(empty.url, { poolSize: 5 });
  await migrate(db);
  return {
    db,
    url: empty.url,
    name: empty.name,
    async cleanup() {
      await db.close();
      await empty.drop();
    },
  };
}

/**
 * How many sessions of this database wait on a lock, once one does: asked
 * again until then (at most `tries` times), so a test can release a lock
 * holder only when the writer it means to block is waiting.
 */
export async function waitersOnLock(prisma: Database["prisma"], tries = 2000): Promise<number> {
  for (let i = 0; i < tries; i++) {
    const [row] = await prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
    if ((row?.n ?? 0) > 0) return row!.n;
  }
  return 0;
}
