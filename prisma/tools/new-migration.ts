// `npm run db:new-migration -- <name>`: writes the SQL that takes the
// migrations folder to schema.prisma as a new Prisma-style migration folder.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { createMigrationSql, lockfileText, migrationsPath } from "./schema-engine.ts";

const NAME = /^[a-z0-9][a-z0-9_]*$/;

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const name = args[0];
  if (args.length !== 1 || name === undefined || !NAME.test(name) || name.length > 200) {
    console.error("Usage: npm run db:new-migration -- <name>   (one name: lowercase letters, digits and _, e.g. add_unit_email)");
    return 2;
  }
  const created = await createMigrationSql(name);
  if (created.empty) {
    console.log("No changes: schema.prisma matches the migrations; nothing written.");
    return 0;
  }
  const dir = join(migrationsPath, created.folder);
  if (existsSync(dir)) {
    console.error(`Refusing to overwrite ${relative(process.cwd(), dir)}; wait a second and run again.`);
    return 1;
  }
  mkdirSync(dir, { recursive: true });
  const file = join(dir, "migration.sql");
  writeFileSync(file, created.sql);
  console.log(`Wrote ${relative(process.cwd(), file)}`);
  const lock = join(migrationsPath, "migration_lock.toml");
  if (!existsSync(lock)) {
    writeFileSync(lock, lockfileText);
    console.log(`Wrote ${relative(process.cwd(), lock)}`);
  }
  console.log("Review the SQL, then apply it with: npm run db:migrate");
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error(`Could not create the migration: ${err instanceof Error ? err.message.split("\n")[0] ?? "" : String(err)}`);
    process.exitCode = 1;
  },
);
