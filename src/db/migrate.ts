// Applies prisma/migrations with Prisma's folder format and bookkeeping
// table, without Prisma's native schema engine (which cannot be downloaded
// offline). A real `prisma migrate deploy` can take over the same database.
import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Database, SqlSession } from "./database.ts";

export const migrationsDir = fileURLToPath(new URL("../../prisma/migrations", import.meta.url));

// Same advisory lock key as Prisma's own engine, so the two never migrate at once.
const LOCK_KEY = 72707369;

export class MigrationError extends Error {
  override name = "MigrationError";
}

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = migrationsDir): Migration[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/** Applies pending migrations; safe when several processes start at once. */
export async function migrate(db: Database, dir = migrationsDir): Promise<string[]> {
  const migrations = readMigrations(dir);
  const session = await db.session();
  const locked = db.kind === "postgres";
  try {
    if (locked) await session.query("SELECT pg_advisory_lock($1)", [LOCK_KEY]);
    return await applyPending(session, migrations);
  } finally {
    if (locked) await session.query("SELECT pg_advisory_unlock($1)", [LOCK_KEY]).catch(() => undefined);
    await session.release();
  }
}

/** Names of migrations in the folder that the database has not applied. */
export async function pendingMigrations(db: Database, dir = migrationsDir): Promise<string[]> {
  const session = await db.session();
  try {
    // Read-only: creating the table here could race with a migrating process.
    const [table] = await session.query<{ present: boolean }>(
      `SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS present`,
    );
    const rows = table?.present
      ? await session.query<AppliedRow>(
          `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
        )
      : [];
    const applied = new Set(rows.map((r) => r.migration_name));
    return readMigrations(dir)
      .filter((m) => !applied.has(m.name))
      .map((m) => m.name);
  } finally {
    await session.release();
  }
}

async function ensureTable(session: SqlSession): Promise<void> {
  await session.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum" VARCHAR(64) NOT NULL,
    "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL,
    "logs" TEXT,
    "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
  )`);
}

async function applyPending(session: SqlSession, migrations: Migration[]): Promise<string[]> {
  await ensureTable(session);
  const rows = await session.query<AppliedRow>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at`,
  );
  const failed = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
  if (failed) {
    throw new MigrationError(
      `migration ${failed.migration_name} failed earlier and is recorded as unfinished; fix the database, then mark it rolled back`,
    );
  }
  const applied = new Map(rows.filter((r) => r.rolled_back_at === null).map((r) => [r.migration_name, r.checksum]));
  for (const m of migrations) {
    const checksum = applied.get(m.name);
    if (checksum !== undefined && checksum !== m.checksum) {
      throw new MigrationError(`migration ${m.name} was edited after it was applied; add a new migration instead`);
    }
  }
  const done: string[] = [];
  for (const m of migrations) {
    if (applied.has(m.name)) continue;
    await session.exec("BEGIN");
    try {
      await session.exec(m.sql);
      await session.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
         VALUES ($1, $2, $3, now(), now(), 1)`,
        [randomUUID(), m.checksum, m.name],
      );
      await session.exec("COMMIT");
    } catch (err) {
      await session.exec("ROLLBACK").catch(() => undefined);
      throw new MigrationError(`migration ${m.name} could not be applied: ${(err as Error).message}`);
    }
    done.push(m.name);
  }
  return done;
}
