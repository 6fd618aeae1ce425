// The embedded database gets the same migrations as PostgreSQL, and Prisma works on it.
import { afterAll, describe, expect, it } from "vitest";
import { openPglite, type Database } from "../../src/db/database.ts";
import { migrate, readMigrations } from "../../src/db/migrate.ts";

let db: Database | undefined;
afterAll(async () => {
  await db?.close();
});

describe("migrate on in-memory PGlite", () => {
  it("applies all migrations, then nothing, and Prisma can write and read", async () => {
    db = await openPglite("memory://");
    expect(await migrate(db)).toEqual(readMigrations().map((m) => m.name));
    expect(await migrate(db)).toEqual([]);

    const created = await db.prisma.unit.create({ data: { code: "HQ", name: "Văn phòng Tỉnh ủy", kind: "COMMITTEE" } });
    const read = await db.prisma.unit.findUnique({ where: { code: "HQ" } });
    expect(read).toMatchObject({ id: created.id, name: "Văn phòng Tỉnh ủy", kind: "COMMITTEE", active: true });

    // The trigger migration's $$ body ran whole on PGlite too.
    const entry = await db.prisma.auditLog.create({ data: { action: "pglite" } });
    await expect(db.prisma.auditLog.delete({ where: { id: entry.id } })).rejects.toThrow(/append-only/);
  });
});
