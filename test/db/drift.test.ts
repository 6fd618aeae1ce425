// schema.prisma and prisma/migrations must agree; the check must notice when they don't.
// Each engine call applies all migrations to an in-memory shadow database: seconds, not ms.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { diffMigrationsToSchema, schemaPath } from "../../prisma/tools/schema-engine.ts";

const dir = mkdtempSync(join(tmpdir(), "baocao-schema-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("drift between schema.prisma and migrations", () => {
  it("finds none in the project", async () => {
    expect(await diffMigrationsToSchema()).toBe("");
  }, 60_000);

  it("reports the missing SQL when schema.prisma gains a field", async () => {
    const schema = readFileSync(schemaPath, "utf8");
    const changed = schema.replace(/^(model Unit \{\n)/m, "$1  email String?\n");
    expect(changed).not.toBe(schema);
    const file = join(dir, "schema.prisma");
    writeFileSync(file, changed);

    const diff = await diffMigrationsToSchema({ schema: file });
    expect(diff).toContain(`ALTER TABLE "Unit" ADD COLUMN`);
    expect(diff).toContain(`"email" TEXT`);
  }, 60_000);
});
