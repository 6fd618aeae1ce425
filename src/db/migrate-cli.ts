// `npm run db:migrate`: applies prisma/migrations to DATABASE_URL, or to the
// embedded PGlite in ${DATA_DIR:-./data}/pglite when DATABASE_URL is unset.
// Reads the two variables itself so it works before the app's config exists.
import { join } from "node:path";
import { openPglite, openPostgres, type Database } from "./database.ts";
import { migrate } from "./migrate.ts";
import { DataDirBusyError } from "./data-lock.ts";

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL?.trim();
  let db: Database;
  try {
    db = url ? openPostgres(url, { poolSize: 1 }) : await openPglite(join(process.env.DATA_DIR?.trim() || "./data", "pglite"), { owner: "npm run db:migrate" });
  } catch (err) {
    if (!(err instanceof DataDirBusyError)) throw err;
    console.error(err.message);
    process.exitCode = 1;
    return;
  }
  try {
    const applied = await migrate(db);
    if (applied.length === 0) console.log(`Database up to date (${db.where})`);
    for (const name of applied) console.log(`Applied ${name}`);
    if (applied.length > 0) console.log(`Database up to date (${db.where}), ${applied.length} migration(s) applied`);
  } finally {
    await db.close().catch(() => undefined);
  }
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  // Driver errors can span lines (e.g. SQL context); the operator needs the first.
  console.error(`Migration failed: ${message.split("\n")[0] ?? ""}`);
  process.exitCode = 1;
});
