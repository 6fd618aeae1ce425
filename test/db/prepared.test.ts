// Database.query's statements are prepared once per connection on
// PostgreSQL (DATABASE_PREPARED_STATEMENTS, default on): the same answers as
// unnamed statements, a failed statement leaves the connection usable, and
// with the setting off nothing is kept on the server (for PgBouncer before
// 1.21 in transaction mode).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgres, type Database } from "../../src/db/database.ts";
import { Prisma as P } from "../../src/db/generated/client.ts";
import { createEmptyDatabase } from "../support/db.ts";

let empty: Awaited<ReturnType<typeof createEmptyDatabase>>;
const opened: Database[] = [];

function open(prepare: boolean): Database {
  const db = openPostgres(empty.url, { poolSize: 1, prepare });
  opened.push(db);
  return db;
}

const kept = (db: Database) => db.query<{ n: number }>(P.sql`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'q%'`);

beforeAll(async () => {
  empty = await createEmptyDatabase();
});

afterAll(async () => {
  for (const db of opened) await db.close();
  await empty.drop();
});

describe.each([true, false])("Database.query with prepared statements %s", (prepare) => {
  it("answers each call with its own values, and survives a failed statement", async () => {
    const db = open(prepare);
    for (let i = 0; i < 8; i++) {
      const rows = await db.query<{ doubled: number }>(P.sql`SELECT ${i}::int * 2 AS doubled`);
      expect(rows).toEqual([{ doubled: i * 2 }]);
    }
    await expect(db.query(P.sql`SELECT 1 / ${0}::int AS broken`)).rejects.toThrow(/division by zero/);
    await expect(db.query(P.sql`SELECT 1 / ${0}::int AS broken`)).rejects.toThrow(/division by zero/);
    expect(await db.query(P.sql`SELECT ${"còn chạy"}::text AS still`)).toEqual([{ still: "còn chạy" }]);
    // One connection: what it prepared is what the server keeps for it.
    const [row] = await kept(db);
    if (prepare) expect(row?.n).toBeGreaterThanOrEqual(2);
    else expect(row?.n).toBe(0);
  });
});
