// The migration runner against a real PostgreSQL server: fresh databases,
// re-runs, concurrent start-up, refused histories and rollback of a broken file.
import { createHash } from "node:crypto";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openPostgres, type Database } from "../../src/db/database.ts";
import { MigrationError, migrate, migrationsDir, pendingMigrations, readMigrations } from "../../src/db/migrate.ts";
import { createEmptyDatabase } from "../support/db.ts";

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const fn of cleanups.reverse()) await fn();
});

/** A fresh, empty database and as many Database handles on it as asked. */
async function fresh(handles = 1): Promise<Database[]> {
  const empty = await createEmptyDatabase();
  const dbs = Array.from({ length: handles }, () => openPostgres(empty.url, { poolSize: 2 }));
  cleanups.push(async () => {
    await Promise.all(dbs.map((db) => db.close()));
    await empty.drop();
  });
  return dbs;
}

function tempMigrations(): string {
  const dir = mkdtempSync(join(tmpdir(), "baocao-migrations-"));
  cpSync(migrationsDir, dir, { recursive: true });
  cleanups.push(() => Promise.resolve(rmSync(dir, { recursive: true, force: true })));
  return dir;
}

async function rows<T>(db: Database, sql: string, params?: unknown[]): Promise<T[]> {
  const s = await db.session();
  try {
    return await s.query<T>(sql, params);
  } finally {
    await s.release();
  }
}

const names = readMigrations().map((m) => m.name);

describe("migrate on PostgreSQL", () => {
  it("has migrations to test: an init and the audit trigger", () => {
    expect(names.length).toBeGreaterThanOrEqual(2);
    expect(names[0]).toMatch(/^\d{14}_init$/);
    expect(names.some((n) => n.endsWith("_audit_append_only"))).toBe(true);
  });

  it("applies every migration to a fresh database, with Prisma's checksums, then nothing on a re-run", async () => {
    const [db] = await fresh();
    expect(await pendingMigrations(db!)).toEqual(names);
    expect(await migrate(db!)).toEqual(names);

    const tables = await rows<{ table_name: string }>(
      db!,
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
    );
    expect(tables.map((t) => t.table_name)).toEqual(
      expect.arrayContaining(["_prisma_migrations", "Unit", "UnitClosure", "Person", "Membership", "AuditLog", "OutboundMessage"]),
    );

    const recorded = await rows<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      db!,
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(recorded.map((r) => r.migration_name)).toEqual(names);
    for (const r of recorded) {
      const file = readFileSync(join(migrationsDir, r.migration_name, "migration.sql"));
      expect(r.checksum).toBe(createHash("sha256").update(file).digest("hex"));
      expect(r.finished_at).not.toBeNull();
    }

    expect(await migrate(db!)).toEqual([]);
    expect(await pendingMigrations(db!)).toEqual([]);
    expect(await rows(db!, `SELECT 1 FROM "_prisma_migrations"`)).toHaveLength(names.length);
  });

  it("applies each migration exactly once when two processes start at the same time", async () => {
    const [a, b] = await fresh(2);
    const [ra, rb] = await Promise.all([migrate(a!), migrate(b!)]);
    expect([...ra, ...rb].sort()).toEqual(names);
    const counts = await rows<{ migration_name: string; n: number }>(
      a!,
      `SELECT migration_name, count(*)::int AS n FROM "_prisma_migrations" GROUP BY migration_name`,
    );
    expect(counts).toHaveLength(names.length);
    expect(counts.every((c) => c.n === 1)).toBe(true);
  });

  it("refuses a migration edited after it was applied, and a recorded failed migration", async () => {
    const dir = tempMigrations();
    const [db] = await fresh();
    await migrate(db!, dir);

    const first = join(dir, names[0]!, "migration.sql");
    const original = readFileSync(first, "utf8");
    appendFileSync(first, "\n-- an afterthought\n");
    await expect(migrate(db!, dir)).rejects.toThrow(MigrationError);
    await expect(migrate(db!, dir)).rejects.toThrow(`migration ${names[0]!} was edited after it was applied`);

    writeFileSync(first, original);
    expect(await migrate(db!, dir)).toEqual([]);

    await rows(
      db!,
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ('00000000-0000-0000-0000-000000000001', 'x', '20990101000000_half_done', now(), NULL, 0)`,
    );
    await expect(migrate(db!, dir)).rejects.toThrow(MigrationError);
    await expect(migrate(db!, dir)).rejects.toThrow(/20990101000000_half_done failed earlier/);

    // Once an operator marks it rolled back, start-up proceeds again.
    await rows(db!, `UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = '20990101000000_half_done'`);
    expect(await migrate(db!, dir)).toEqual([]);
  });

  it("rolls a broken migration back completely and records nothing for it", async () => {
    const dir = tempMigrations();
    mkdirSync(join(dir, "20991231000000_broken"));
    writeFileSync(
      join(dir, "20991231000000_broken", "migration.sql"),
      `CREATE TABLE "HalfDone" ("id" INTEGER);\nALTER TABLE "Unit" ADD COLUMN "extra" TEXT;\nSELECT * FROM "NoSuchTable";\n`,
    );
    const [db] = await fresh();
    await expect(migrate(db!, dir)).rejects.toThrow(/migration 20991231000000_broken could not be applied: .*NoSuchTable/);

    const [state] = await rows<{ half: string | null; extra: number }>(
      db!,
      `SELECT to_regclass('"HalfDone"')::text AS half,
              (SELECT count(*)::int FROM information_schema.columns WHERE table_name = 'Unit' AND column_name = 'extra') AS extra`,
    );
    expect(state).toEqual({ half: null, extra: 0 });
    // The good migrations before it stay applied; the broken one is simply still pending.
    expect(await pendingMigrations(db!, dir)).toEqual(["20991231000000_broken"]);

    rmSync(join(dir, "20991231000000_broken"), { recursive: true });
    expect(await migrate(db!, dir)).toEqual([]);
  });

  it("keeps AuditLog append-only: insert works, update and delete are refused", async () => {
    const [db] = await fresh();
    await migrate(db!);
    const { prisma } = db!;
    const entry = await prisma.auditLog.create({ data: { action: "test.insert", details: { ok: true } } });
    expect(entry.action).toBe("test.insert");

    await expect(prisma.auditLog.update({ where: { id: entry.id }, data: { action: "tampered" } })).rejects.toThrow(
      /append-only/,
    );
    await expect(prisma.auditLog.delete({ where: { id: entry.id } })).rejects.toThrow(/append-only/);
    await expect(rows(db!, `UPDATE "AuditLog" SET action = 'tampered'`)).rejects.toThrow(/AuditLog is append-only: UPDATE/);
    await expect(rows(db!, `DELETE FROM "AuditLog"`)).rejects.toThrow(/AuditLog is append-only: DELETE/);

    const all = await prisma.auditLog.findMany();
    expect(all.map((e) => e.action)).toEqual(["test.insert"]);
  });
});
