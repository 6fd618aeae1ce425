// The embedded database gets the same migrations as PostgreSQL, and Prisma works on it.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openPglite, type Database } from "../../src/db/database.ts";
import { migrate, readMigrations } from "../../src/db/migrate.ts";
import { loadImportFile } from "../../src/org/import-file.ts";
import { applyImport } from "../../src/org/import.ts";
import { redeemInvitation } from "../../src/org/invitations.ts";
import { exampleFile } from "../org/helpers.ts";

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

describe("the embedded database as the bot uses it", () => {
  it("runs a nested transaction as a savepoint: the inner one rolls back alone", async () => {
    const mem = await openPglite("memory://");
    try {
      await migrate(mem);
      await mem.prisma.$transaction(async (tx) => {
        await tx.unit.create({ data: { code: "OUTER", name: "Ngoài", kind: "COMMITTEE" } });
        const nested = (tx as unknown as typeof mem.prisma).$transaction(async (inner) => {
          await inner.unit.create({ data: { code: "INNER", name: "Trong", kind: "COMMITTEE" } });
          throw new Error("inner fails");
        });
        await expect(nested).rejects.toThrow("inner fails");
      });
      const codes = (await mem.prisma.unit.findMany({ select: { code: true } })).map((u) => u.code);
      expect(codes).toEqual(["OUTER"]);
    } finally {
      await mem.close();
    }
  });

  it("links an account with an invitation inside the message's transaction, as /start CODE does", async () => {
    const mem = await openPglite("memory://");
    try {
      await migrate(mem);
      const loaded = loadImportFile(exampleFile);
      if (!loaded.ok) throw new Error(loaded.problems.join("\n"));
      const now = new Date("2026-12-01T03:00:00Z");
      const imported = await applyImport(mem.prisma, loaded.data, { now, ttlDays: 14 });
      const invitation = imported.invitations[0]!;
      const result = await mem.prisma.$transaction((tx) =>
        redeemInvitation(tx, { platform: "SANDBOX", externalId: "web-1", chatId: "web-1", code: invitation.code, now }),
      );
      expect(result.ok).toBe(true);
      // The same code a second time, from another account: used, and nothing half-written.
      const again = await mem.prisma.$transaction((tx) =>
        redeemInvitation(tx, { platform: "SANDBOX", externalId: "web-2", chatId: "web-2", code: invitation.code, now }),
      );
      expect(again).toEqual({ ok: false, reason: "used" });
      expect(await mem.prisma.chatIdentity.count()).toBe(1);
    } finally {
      await mem.close();
    }
  });
});

describe("a new embedded database folder", () => {
  it("is made whole or not at all: what an interrupted first start left is set aside, and a database is made", async () => {
    const root = mkdtempSync(join(tmpdir(), "baocao-pglite-init-"));
    try {
      const dir = join(root, "pglite");
      mkdirSync(dir);
      writeFileSync(join(dir, "postgresql.conf"), "# half of an initdb\n");
      const db = await openPglite(dir);
      await db.close();
      expect(existsSync(join(dir, "PG_VERSION"))).toBe(true);
      const aside = readdirSync(root).filter((n) => n.startsWith("pglite.incomplete-"));
      expect(aside).toHaveLength(1);
      expect(readFileSync(join(root, aside[0]!, "postgresql.conf"), "utf8")).toBe("# half of an initdb\n");
      expect(existsSync(join(root, "pglite.new"))).toBe(false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);
});
