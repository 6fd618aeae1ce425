// `npm run db:migrate` as an operator sees it: one line per fact, exit code 1 on failure.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { readMigrations } from "../../src/db/migrate.ts";
import { createEmptyDatabase, databaseUrl } from "../support/db.ts";

const run = promisify(execFile);
const names = readMigrations().map((m) => m.name);
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const fn of cleanups) await fn();
});

async function cli(env: Record<string, string | undefined>): Promise<{ code: number; stdout: string; stderr: string }> {
  const { DATABASE_URL: _url, DATA_DIR: _dir, ...rest } = process.env;
  try {
    const out = await run("node_modules/.bin/tsx", ["src/db/migrate-cli.ts"], { env: { ...rest, ...env } });
    return { code: 0, ...out };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("db:migrate CLI", () => {
  it("applies to DATABASE_URL, then reports up to date", async () => {
    const empty = await createEmptyDatabase();
    cleanups.push(empty.drop);
    const first = await cli({ DATABASE_URL: empty.url });
    expect(first).toMatchObject({ code: 0, stderr: "" });
    const lines = first.stdout.trim().split("\n");
    expect(lines.slice(0, names.length)).toEqual(names.map((n) => `Applied ${n}`));
    expect(lines.at(-1)).toMatch(/up to date/);

    const again = await cli({ DATABASE_URL: empty.url });
    expect(again.code).toBe(0);
    expect(again.stdout.trim().split("\n")).toEqual([expect.stringMatching(/^Database up to date/)]);
  });

  it("fails with one line and exit code 1 when the database is unreachable", async () => {
    const res = await cli({ DATABASE_URL: databaseUrl("baocao_no_such_database") });
    expect(res.code).toBe(1);
    expect(res.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^Migration failed: .*baocao_no_such_database/)]);
  });

  it("uses the embedded PGlite in DATA_DIR when DATABASE_URL is unset", async () => {
    const dir = mkdtempSync(join(tmpdir(), "baocao-data-"));
    cleanups.push(() => Promise.resolve(rmSync(dir, { recursive: true, force: true })));
    const res = await cli({ DATA_DIR: dir });
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`Applied ${names[0]!}`);
    expect(res.stdout).toContain(join(dir, "pglite"));
  }, 60_000);
});
